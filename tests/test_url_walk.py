"""The URL walk (issue 3, scoping): every URL pattern of the project, found by walking the resolver.

1. An anonymous user is refused everywhere except the explicit PUBLIC_URL_NAMES: a redirect to a login
   page, 404 or 405 — for GET and for POST.
2. Every page about one object refuses (404) a signed-in user outside that object's scope.

How it finds objects: the `walk_world` fixture builds ONE object of every model of the project, all with
the same primary key WALK_PK and all outside the outsiders' scope, so any `<int:pk>` resolves to a real
object whatever model the view looks up. When you add a model, add a builder to WALK_BUILDERS; when you
add a URL parameter name, add it to PARAM_VALUES. The walk fails, naming the model or pattern, until you do.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.regex_helper import normalize

from accounts.models import LoginEvent, RoleAssignment
from api.models import ApiToken, ApiTokenUse
from campaigns import models as cm
from inspections import models as im
from inspections.urls import PUBLIC_URL_NAMES as INSPECTIONS_PUBLIC_URL_NAMES
from ledgers import models as lm
from notifications import models as nm
from tests import factories as f

pytestmark = pytest.mark.django_db

WALK_PK = 900_001
LOCAL_APPS = ("campaigns", "accounts", "inspections", "ledgers", "notifications", "dashboard", "api")

# Pages anyone may open without logging in. Extend with care (e.g. a tip-off form, published results).
PUBLIC_URL_NAMES = {
    "login",
    "logout",
    "campaigns:healthz",
    "admin:login",
    "admin:logout",
}
PUBLIC_URL_NAMES |= INSPECTIONS_PUBLIC_URL_NAMES  # issue 7: the tip-off form, its look-up, 一公开 results
# Object pages any signed-in user may open whatever the object (none yet): name -> why.
SCOPE_FREE_URL_NAMES: dict[str, str] = {
    "inspections:checklist_detail": "checklist templates are reference data: what is checked is no secret",
    "api:checklist": "the same checklist templates, for the offline app (issue 18)",
    # C4: the office's town-wide plan (a holiday and its dates), open to every field role like the menu
    # entry; the page's report and checks are scoped to the user's units (tests: the C4 workflow).
    "inspections:holiday_round": "a holiday-goods round is town-wide; its checks on the page are scoped",
}


def _b(model, **fields):
    return model.objects.create(pk=WALK_PK, **fields)


def _dashboard(model: str, **fields):
    return lambda w: _b(apps.get_model("dashboard", model), campaign=w["campaigns.Campaign"], **fields)


DASHBOARD_BUILDERS = {
    "dashboard.TargetSnapshot": _dashboard(
        "TargetSnapshot", as_of=datetime.date(2009, 1, 1), target="G1", numerator=1, denominator=2
    ),
    # Kept figures of a date nobody asks for, so the walk's pages stay live.
    "dashboard.StoredMatrix": lambda w: _b(
        apps.get_model("dashboard", "StoredMatrix"),
        as_of=datetime.date(2009, 1, 1),
        campaign_start=datetime.date(2009, 1, 1),
        targets="G1",
        rows=[],
        computed_at=datetime.datetime(2009, 1, 1, tzinfo=datetime.UTC),
        duration_ms=1,
    ),
    "dashboard.Bulletin": _dashboard(
        "Bulletin",
        number=1,
        period_start=datetime.date(2009, 1, 1),
        period_end=datetime.date(2009, 1, 7),
        file=ContentFile(b"walk", name="walk.docx"),  # a real file: the office's download must stream it
    ),
    "dashboard.AcceptanceRecord": lambda w: _b(
        apps.get_model("dashboard", "AcceptanceRecord"),
        campaign=w["campaigns.Campaign"],
        kind="village",
        village=w["campaigns.Village"],
        checked_on=datetime.date(2009, 7, 10),
        conclusion="passed",
    ),
    "dashboard.Circular": _dashboard(
        "Circular", number=1, title="走查通报", preamble="-", commended="-", criticised="-", requirements="-"
    ),
    # Issue 24: the city's own papers (city leadership's alone)
    "dashboard.CityPaper": lambda w: _b(
        apps.get_model("dashboard", "CityPaper"),
        kind="circular",
        year=2009,
        number=1,
        title="走查全市通报",
        as_of=datetime.date(2009, 1, 1),
        preamble="走查",
        criticised="走查",
        requirements="走查",  # a draft: its edit and issue forms are on the page (the fuzz posts them)
    ),
    # Issue 26: a kept status row, and the table's state for a campaign start nobody has (so the walk's
    # pages read the live figures, as they do before the first build).
    "dashboard.BusinessTargetStatus": lambda w: _b(
        apps.get_model("dashboard", "BusinessTargetStatus"),
        business=w["campaigns.Business"],
        target="G1",
        village=w["campaigns.Village"],
        category=w["campaigns.Category"],
        counted=True,
        met=False,
    ),
    # Issue 24: that row's town × category total.
    "dashboard.TargetStatusTotal": lambda w: _b(
        apps.get_model("dashboard", "TargetStatusTotal"),
        town=w["campaigns.Village"].town,
        category=w["campaigns.Category"],
        target="G1",
        counted=1,
        met=0,
    ),
    # Issue 26: that row's village × category total.
    "dashboard.TargetStatusVillageTotal": lambda w: _b(
        apps.get_model("dashboard", "TargetStatusVillageTotal"),
        village=w["campaigns.Village"],
        category=w["campaigns.Category"],
        target="G1",
        counted=1,
        met=0,
    ),
    "dashboard.TargetStatusState": lambda w: _b(
        apps.get_model("dashboard", "TargetStatusState"),
        campaign_start=datetime.date(2009, 1, 1),
        targets="G1",
        built_at=datetime.datetime(2009, 1, 1, tzinfo=datetime.UTC),
        swept_on=datetime.date(2009, 1, 1),
    ),
}


def _walk_incident(w):
    incident = _b(
        im.Incident,
        title="走查事故",
        place="走查村",
        village=w["campaigns.Village"],
        severity="IV",
        occurred_on=datetime.date(2009, 3, 1),
    )
    incident.businesses.add(w["campaigns.Business"])
    return incident


# One builder per model, in dependency order; each makes the object with pk=WALK_PK, in the walk village,
# of the walk category, with every licence it needs (so the enforcement branch does not reach it either).
WALK_BUILDERS: dict[str, Callable[[dict], object]] = {
    "auth.User": lambda w: _b(get_user_model(), username="walk_user"),
    "campaigns.Town": lambda w: _b(cm.Town, name="走查镇", code="walk-town"),
    "campaigns.TownSettings": lambda w: _b(cm.TownSettings, town=w["campaigns.Town"], ledger_window_days=20),
    "campaigns.Village": lambda w: _b(
        cm.Village, town=w["campaigns.Town"], name="走查村", code="walk-village"
    ),
    "campaigns.Market": lambda w: _b(cm.Market, village=w["campaigns.Village"], name="走查市场"),
    "campaigns.Department": lambda w: _b(cm.Department, name="走查部门", code="walk-dept"),
    "campaigns.Category": lambda w: _b(
        cm.Category, code="walk", name="走查类", short_name="走查", lead_department=w["campaigns.Department"]
    ),
    "campaigns.SubType": lambda w: _b(
        cm.SubType, category=w["campaigns.Category"], code="walk", name="走查子类"
    ),
    "campaigns.LicenceType": lambda w: _b(cm.LicenceType, code="walk", name="走查证"),
    "campaigns.LicenceRequirement": lambda w: _b(
        cm.LicenceRequirement, category=w["campaigns.Category"], licence_type=w["campaigns.LicenceType"]
    ),
    "campaigns.Business": lambda w: _b(
        cm.Business, name="走查单位", category=w["campaigns.Category"], village=w["campaigns.Village"]
    ),
    "campaigns.Licence": lambda w: _b(
        cm.Licence,
        business=w["campaigns.Business"],
        licence_type=w["campaigns.LicenceType"],
        number="WALK-1",
        issued_on=datetime.date(2020, 1, 1),
        state="valid",
        displayed=True,
    ),
    "campaigns.Campaign": lambda w: _b(
        cm.Campaign,
        name="走查专项",
        town=w["campaigns.Town"],
        starts_on=datetime.date(2009, 1, 1),
        ends_on=datetime.date(2009, 8, 31),
    ),
    "campaigns.Phase": lambda w: _b(
        cm.Phase,
        campaign=w["campaigns.Campaign"],
        code="P1",
        name="整改实施阶段",
        starts_on=datetime.date(2009, 1, 1),
        ends_on=datetime.date(2009, 6, 30),
    ),
    "campaigns.LeadingGroupMember": lambda w: _b(
        cm.LeadingGroupMember, campaign=w["campaigns.Campaign"], name="走查", position="组长", role="director"
    ),
    "campaigns.ImportRecord": lambda w: _b(
        cm.ImportRecord, user=w["auth.User"], file_name="走查.xlsx", status="previewed"
    ),
    "accounts.RoleAssignment": lambda w: _b(
        RoleAssignment, user=w["auth.User"], kind="inspector", village=w["campaigns.Village"]
    ),
    "accounts.LoginEvent": lambda w: _b(LoginEvent, kind="login", user=w["auth.User"], username="walk_user"),
    "inspections.ChecklistTemplate": lambda w: _b(
        im.ChecklistTemplate, category=w["campaigns.Category"], title="走查检查表"
    ),
    "inspections.ChecklistItem": lambda w: _b(
        im.ChecklistItem,
        template=w["inspections.ChecklistTemplate"],
        code="G1-1",
        requirement="G1",
        text="证照齐全",
    ),
    # Grades A/B/C are seeded by a migration and unique; no page addresses a rule by pk.
    "inspections.FrequencyRule": lambda w: im.FrequencyRule.objects.first(),
    "inspections.InspectionProfile": lambda w: _b(im.InspectionProfile, business=w["campaigns.Business"]),
    "inspections.Visit": lambda w: _b(
        im.Visit,
        business=w["campaigns.Business"],
        template=w["inspections.ChecklistTemplate"],
        created_by=w["auth.User"],
    ),
    "inspections.VisitAnswer": lambda w: _b(
        im.VisitAnswer, visit=w["inspections.Visit"], code="G1-1", requirement="G1", text="证照齐全"
    ),
    "inspections.VisitPhoto": lambda w: _b(
        im.VisitPhoto, visit=w["inspections.Visit"], image="walk/walk.jpg", uploaded_by=w["auth.User"]
    ),
    "inspections.VisitLicenceCheck": lambda w: _b(
        im.VisitLicenceCheck, visit=w["inspections.Visit"], licence_type=w["campaigns.LicenceType"]
    ),
    "inspections.VisitAmendment": lambda w: _b(
        im.VisitAmendment, visit=w["inspections.Visit"], author=w["auth.User"], text="更正", reason="笔误"
    ),
    "inspections.RectificationOrder": lambda w: _b(
        im.RectificationOrder,
        number="走查〔2009〕1号",
        year=2009,
        sequence=1,
        business=w["campaigns.Business"],
        visit=w["inspections.Visit"],
        issued_on=datetime.date(2009, 3, 1),
        deadline=datetime.date(2009, 3, 15),
        reinspection_due_on=datetime.date(2009, 3, 15),
        issued_by=w["auth.User"],
    ),
    "inspections.DeadlineChange": lambda w: _b(
        im.DeadlineChange,
        order=w["inspections.RectificationOrder"],
        previous_deadline=datetime.date(2009, 3, 10),
        deadline=datetime.date(2009, 3, 15),
        reason="走查",
        changed_by=w["auth.User"],
    ),
    "ledgers.LedgerEntry": lambda w: _b(
        lm.LedgerEntry,
        business=w["campaigns.Business"],
        direction="in",
        occurred_on=datetime.date(2009, 3, 1),
        product_name="走查大米",
        product_key="走查大米",
        kind="food",
        quantity=1,
        unit="千克",
    ),
    "ledgers.BannedProduct": lambda w: _b(
        lm.BannedProduct, name="走查禁药", name_key="走查禁药", effective_from=datetime.date(2009, 1, 1)
    ),
    "ledgers.LedgerAlert": lambda w: _b(
        lm.LedgerAlert,
        business=w["campaigns.Business"],
        entry=w["ledgers.LedgerEntry"],
        banned_product=w["ledgers.BannedProduct"],
        department=w["campaigns.Department"],
        message="走查告警",
    ),
    # issue 7: enforcement tools
    "inspections.TipOff": lambda w: _b(
        im.TipOff,
        content="走查举报",
        village=w["campaigns.Village"],
        business=w["campaigns.Business"],
        lead_department=w["campaigns.Department"],
        status="assigned",
    ),
    "inspections.TipOffPhoto": lambda w: _b(im.TipOffPhoto, tipoff=w["inspections.TipOff"], image="walk.jpg"),
    "inspections.UnlicensedCase": lambda w: _b(
        im.UnlicensedCase,
        business=w["campaigns.Business"],
        department=w["campaigns.Department"],
        source="roster",
        missing_licences="走查证",
    ),
    "inspections.SpotCheckDraw": lambda w: _b(
        im.SpotCheckDraw,
        title="走查抽查",
        seed=1,
        size=1,
        digest="0" * 64,
        planned_on=datetime.date(2009, 7, 1),
        created_by=w["auth.User"],
    ),
    "inspections.SpotCheckPair": lambda w: _b(
        im.SpotCheckPair,
        draw=w["inspections.SpotCheckDraw"],
        order=1,
        business=w["campaigns.Business"],
        visit=w["inspections.Visit"],
    ),
    "inspections.Sample": lambda w: _b(
        im.Sample,
        number="WALK-S1",
        business=w["campaigns.Business"],
        visit=w["inspections.Visit"],
        kind="food",
        product="走查样品",
        quantity="1",
        lab="走查所",
        sampled_on=datetime.date(2009, 7, 1),
        created_by=w["auth.User"],
    ),
    # issue 23: W4 help, B5 site, B3 green channel, C7 incidents, the work register
    "campaigns.ProcessingSite": lambda w: _b(
        cm.ProcessingSite, name="走查加工场", village=w["campaigns.Village"]
    ),
    "campaigns.HelpRecord": lambda w: _b(
        cm.HelpRecord, business=w["campaigns.Business"], kind="jobs", given_on=datetime.date(2009, 3, 1)
    ),
    "campaigns.GreenChannel": lambda w: _b(
        cm.GreenChannel, business=w["campaigns.Business"], applied_on=datetime.date(2009, 3, 1)
    ),
    # issue 23: O2 village groups' members, B2 recall and re-issue of the workshops' papers
    "campaigns.VillageGroupMember": lambda w: _b(
        cm.VillageGroupMember, village=w["campaigns.Village"], name="走查组员", role="member"
    ),
    "campaigns.LicenceReissue": lambda w: _b(
        cm.LicenceReissue,
        business=w["campaigns.Business"],
        licence_type=w["campaigns.LicenceType"],
        recalled_on=datetime.date(2009, 3, 1),
    ),
    "inspections.Incident": lambda w: _walk_incident(w),
    # issue 23: D5 drug sales found on a unit
    "inspections.DrugSaleFinding": lambda w: _b(
        im.DrugSaleFinding,
        business=w["campaigns.Business"],
        found_on=datetime.date(2009, 3, 1),
        kind="unlicensed",
        goods="走查药品",
        ordered_to_stop=True,
    ),
    # C4 holiday-goods checks: a round and a unit checked in it
    "inspections.HolidayCheckRound": lambda w: _b(
        im.HolidayCheckRound,
        holiday="走查节",
        starts_on=datetime.date(2009, 1, 20),
        ends_on=datetime.date(2009, 2, 10),
    ),
    "inspections.HolidayCheck": lambda w: _b(
        im.HolidayCheck,
        round=w["inspections.HolidayCheckRound"],
        business=w["campaigns.Business"],
        checked_on=datetime.date(2009, 1, 25),
        price=True,
        detail="走查：未明码标价",
    ),
    "inspections.SlaughterReturn": lambda w: _b(
        im.SlaughterReturn,
        business=w["campaigns.Business"],
        month=datetime.date(2009, 3, 1),
        head_slaughtered=900,
        head_consumed=1000,
    ),
    "inspections.Activity": lambda w: _b(
        im.Activity,
        kind="training",
        title="走查培训",
        held_on=datetime.date(2009, 3, 1),
        village=w["campaigns.Village"],
        department=w["campaigns.Department"],
    ),
    # Notifications belong to a user: another user's message is out of scope for everyone else.
    # 一公开 (issue 25): a unit's public code; the placard pages address the business, not the code.
    "inspections.PublicCode": lambda w: _b(im.PublicCode, business=w["campaigns.Business"]),
    "notifications.Reminder": lambda w: _b(
        nm.Reminder,
        recipient=w["auth.User"],
        kind="phase_end",
        due_at=datetime.datetime(2009, 6, 23, tzinfo=datetime.UTC),
        title="走查提醒",
        dedupe_key="walk",
    ),
    "notifications.Message": lambda w: _b(nm.Message, user=w["auth.User"], title="走查消息"),
    "notifications.ChannelPreference": lambda w: _b(
        nm.ChannelPreference, user=w["auth.User"], kind="phase_end"
    ),
    "notifications.ContactDetails": lambda w: _b(nm.ContactDetails, user=w["auth.User"]),
    **DASHBOARD_BUILDERS,
    # issue 18: API tokens belong to a user: another user's token is out of scope for everyone else.
    "api.ApiToken": lambda w: _b(
        ApiToken,
        user=w["auth.User"],
        name="走查",
        prefix="wx_walk",
        digest="0" * 64,
        created_by=w["auth.User"],
    ),
    "api.ApiTokenUse": lambda w: _b(
        ApiTokenUse, token=w["api.ApiToken"], method="GET", path="/api/v1/", status=200
    ),
}

# Every parameter name a URL pattern may have: a value, or a callable of the world. "object" parameters
# point at one object; the outsider check applies to the patterns that have one.
OBJECT = "object"
PARAM_VALUES: dict[str, object] = {
    "pk": OBJECT,
    "business_pk": OBJECT,
    "object_id": OBJECT,
    "id": OBJECT,  # admin: user password change
    "content_type_id": lambda w: ContentType.objects.get_for_model(cm.Business).pk,
    "app_label": "campaigns",
    "url": "walk-nowhere/",
    "kind": "village",  # dashboard: acceptance record kind
    "code": "walk-code-not-issued",  # 一公开: a unit's public code (public pages only)
}


@dataclass(frozen=True)
class Route:
    name: str | None
    regex: str
    params: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name or '(unnamed)'} [{self.regex}]"

    @property
    def is_admin(self) -> bool:
        return self.regex.startswith("admin/")

    @property
    def has_object(self) -> bool:
        return any(PARAM_VALUES.get(p) == OBJECT for p in self.params)


def _strip(regex: str) -> str:
    return re.sub(r"(\\Z|\$)$", "", regex.removeprefix("^"))


def walk(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    """Every leaf URL pattern of the project, with its full regex and namespaced name."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        regex = prefix + _strip(p.pattern.regex.pattern)
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, regex, ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else None
            yield Route(name, regex, tuple(re.compile(regex).groupindex))


ROUTES = list(walk())


def url_for(route: Route, world: dict) -> str:
    values = {}
    for param in route.params:
        if param not in PARAM_VALUES:
            pytest.fail(
                f"URL pattern {route.label} has a parameter '{param}' the URL walk does not know: "
                f"add it to PARAM_VALUES in tests/test_url_walk.py"
            )
        value = PARAM_VALUES[param]
        values[param] = WALK_PK if value == OBJECT else value(world) if callable(value) else value
    template, _names = normalize(route.regex)[0]
    url = "/" + template % {k: str(v) for k, v in values.items()}
    match = resolve(url)
    assert route.name is None or match.view_name == route.name, f"{url} resolved to {match.view_name}"
    return url


@pytest.fixture
def walk_world(db) -> dict:
    world: dict = {}
    for label, build in WALK_BUILDERS.items():
        world[label] = build(world)
    return world


def _login_paths() -> tuple[str, ...]:
    return (reverse("login"), reverse("admin:login"))


def _refused_anonymous(response) -> bool:
    if response.status_code in (404, 405):
        return True
    if response.status_code == 401:  # the API (/api/v1/) asks for credentials instead of redirecting
        return response.wsgi_request.path.startswith("/api/v1/")
    return response.status_code == 302 and response["Location"].split("?")[0] in _login_paths()


def test_every_local_model_has_a_walk_builder():
    labels = {
        m._meta.label
        for app in LOCAL_APPS
        if apps.is_installed(app)
        for m in apps.get_app_config(app).get_models()
    }
    missing = sorted(labels - set(WALK_BUILDERS))
    assert not missing, f"add a builder for {missing} to WALK_BUILDERS in tests/test_url_walk.py"


def test_the_walk_sees_the_project(walk_world):
    names = {r.name for r in ROUTES}
    assert {"campaigns:business_detail", "accounts:user_edit", "admin:index", "home"} <= names
    assert len(ROUTES) > 50


def test_anonymous_is_refused_by_every_non_public_url(client, walk_world):
    checked, failures = 0, []
    for route in ROUTES:
        if route.name in PUBLIC_URL_NAMES:
            continue
        url = url_for(route, walk_world)
        for method in (client.get, client.post):
            response = method(url)
            checked += 1
            if not _refused_anonymous(response):
                failures.append(f"{method.__name__.upper()} {url} {route.label} -> {response.status_code}")
    assert not failures, "anonymous users reach:\n" + "\n".join(failures)
    assert checked > 100


def test_public_urls_answer_anonymous(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("campaigns:healthz")).status_code in (200, 503)


@pytest.fixture
def outsiders(walk_world, other_village):
    """Signed-in users none of whose roles reach the walk business (a different village, category,
    business), non-staff."""
    own_shop = f.BusinessFactory(village=other_village)
    return [
        f.user_with_role("inspector", "walk_other_inspector", village=other_village),
        f.user_with_role("department", "walk_aic", department=f.department("aic")),
        f.user_with_role("department", "walk_enforce", department=f.department("enforcement")),
        f.user_with_role("business", "walk_shop", business=own_shop),
        # O5 / issue 24: 市药监局 reads pharmacies (and the referrals sent to it) in every town, not these
        f.user_with_role("city_bureau", "walk_city_drug", department=f.department("city_drug")),
    ]


def test_object_pages_refuse_users_outside_the_objects_scope(client, walk_world, outsiders):
    object_routes = [r for r in ROUTES if r.has_object and r.name not in PUBLIC_URL_NAMES]
    object_routes = [r for r in object_routes if r.name not in SCOPE_FREE_URL_NAMES]
    assert any(r.name == "campaigns:business_detail" for r in object_routes)
    failures = []
    for n, user in enumerate(outsiders):
        client.force_login(user)
        for route in object_routes:
            url = url_for(route, walk_world)
            if route.is_admin:
                if n:
                    continue  # the admin checks staff status only: one non-staff user says it all
                # Not staff: the admin sends them to its own login whatever the object.
                response = client.get(url)
                if not (response.status_code == 302 and reverse("admin:login") in response["Location"]):
                    failures.append(f"{user.username}: GET {url} -> {response.status_code}")
                continue
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url)
            if response.status_code != 404:
                failures.append(f"{user.username}: {url} {route.label} -> {response.status_code}")
    assert not failures, "outsiders reach:\n" + "\n".join(failures)


def test_the_walk_objects_are_real_for_someone_in_scope(client, walk_world, office):
    """The 404s above are about scope, not about missing objects: the office opens the same pages."""
    client.force_login(office)
    for name in ("campaigns:business_detail", "campaigns:licence_edit", "accounts:user_edit"):
        assert client.get(reverse(name, args=[WALK_PK])).status_code == 200, name


def test_a_new_parameter_name_fails_naming_its_pattern(walk_world):
    route = Route("visits:photo", "visits/(?P<photo_token>[0-9]+)/", ("photo_token",))
    with pytest.raises(pytest.fail.Exception, match=r"visits:photo.*photo_token.*PARAM_VALUES"):
        url_for(route, walk_world)


# A <script type="application/json"> (json_script) is data, not code: the CSP lets it be.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.I
)


def test_no_page_needs_inline_code_the_csp_would_block(client, walk_world, office):
    """Content-Security-Policy allows scripts and styles from static files only; every page the office
    can open (the widest reach) must work under it: no inline <script>, <style>, style= or on…= handlers."""
    client.force_login(office)
    failures, pages = [], 0
    for route in ROUTES:
        if route.is_admin or route.name in PUBLIC_URL_NAMES - {"login"}:
            continue
        response = client.get(url_for(route, walk_world))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        found = INLINE_CODE.findall(response.content.decode())
        if found:
            failures.append(f"{route.label}: {sorted(set(found))[:3]}")
    assert not failures, "inline code the CSP blocks:\n" + "\n".join(failures)
    assert pages > 10
