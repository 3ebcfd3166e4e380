"""Issue 24, per-town settings: a town's own G2 ledger window (live and kept figures, at the boundary days),
E2's return-check days, the documents' masthead and numbering prefix; the office's form, its Chinese
messages and who may open it. A town without settings keeps every default (campaigns.town_settings)."""

import datetime
import io

import docx
import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment
from campaigns import services as campaign_services
from campaigns import town_settings
from campaigns.models import Campaign, Phase, TownSettings
from dashboard import figures, services, status
from dashboard.models import BusinessTargetStatus
from dashboard.targets import Ctx, available, get
from inspections.choices import VisitKind
from ledgers.selectors import ledger_summary, with_ledger_metrics
from tests import factories as f
from tests.factories_dashboard import campaign
from tests.factories_inspections import inspect
from tests.factories_ledgers import line, record

pytestmark = pytest.mark.django_db

# The default window (settings.WUXIAO_LEDGER_WINDOW_DAYS) and the second town's own.
DEFAULT, OWN = 30, 20


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def second_town(db):
    town = f.TownFactory(name="西岗镇", code="xigang")
    return town


@pytest.fixture
def second_village(second_town):
    return f.VillageFactory(town=second_town, name="西岗村", code="xigangcun")


@pytest.fixture
def office(village, second_town):
    """The office of both towns: town first (tests/test_town_tenancy.py), a town's office reaches and sets
    its own towns only."""
    user = f.user_with_role("office", "office_user", town=village.town)
    RoleAssignment.objects.create(user=user, kind="office", town=second_town)
    return user


def restaurant(village, name: str, today: datetime.date, days_ago: int):
    """A licensed restaurant whose only ledger line (a purchase: all G2 asks of a restaurant) is
    `days_ago` days old."""
    business = f.BusinessFactory(village=village, name=name, category=f.category("restaurant"))
    f.licensed(business)
    day = today - datetime.timedelta(days=days_ago)
    record(business, line(occurred_on=day, kind="food", product="大米"), today=today)
    return business


@pytest.fixture
def towns(village, second_village, second_town, today, settings):
    """Two towns at their windows' boundaries: lines exactly `window` days old (in) and one day older
    (out), in the first town (the default 30 days) and the second (its own 20 days)."""
    settings.WUXIAO_LEDGER_WINDOW_DAYS = DEFAULT
    campaign(starts_on=today - datetime.timedelta(days=90), ends_on=today + datetime.timedelta(days=90))
    campaign_services.town_settings_save(row=TownSettings(town=second_town, ledger_window_days=OWN))
    shops = {
        "first_in": restaurant(village, "东村饭店甲", today, DEFAULT),
        "first_out": restaurant(village, "东村饭店乙", today, DEFAULT + 1),
        "second_in": restaurant(second_village, "西岗饭店甲", today, OWN),
        "second_out": restaurant(second_village, "西岗饭店乙", today, OWN + 1),
        # 25 days old: kept in the first town, not in the second
        "first_25": restaurant(village, "东村饭店丙", today, 25),
        "second_25": restaurant(second_village, "西岗饭店丙", today, 25),
    }
    status.rebuild()
    return shops


def live_g2(ctx: Ctx) -> dict[str, bool]:
    """G2 met per business computed live (figures.rows, the dashboard's own code)."""
    g2 = get("G2")
    rows = figures.rows([g2], ctx, "business", figures.businesses(), bound=False)
    return {r["pk"]: bool(r["n0"]) for r in rows if r["d0"]}


def kept_g2() -> dict[int, bool]:
    rows = BusinessTargetStatus.objects.filter(target="G2", counted=True)
    return dict(rows.values_list("business_id", "met"))


def named(shops: dict, result: dict) -> dict[str, bool]:
    return {key: result[b.pk] for key, b in shops.items()}


EXPECTED_TODAY = {
    "first_in": True,
    "first_out": False,
    "second_in": True,
    "second_out": False,
    "first_25": True,
    "second_25": False,
}


def test_the_helper_reads_the_towns_own_values_and_the_defaults(village, second_town, settings):
    settings.WUXIAO_LEDGER_WINDOW_DAYS = DEFAULT
    settings.WUXIAO_RETURN_CHECK_DAYS = 30
    assert town_settings.of_town(village.town) == town_settings.default()
    TownSettings.objects.create(town=second_town, ledger_window_days=OWN, masthead="西岗镇人民政府办公室")
    own = town_settings.of_town(second_town)
    assert (own.ledger_window_days, own.return_check_days, own.masthead) == (OWN, 30, "西岗镇人民政府办公室")
    assert town_settings.ledger_windows() == {second_town.pk: OWN}
    # A town set to the default itself is no exception: the figures keep their single condition.
    TownSettings.objects.create(town=village.town, ledger_window_days=DEFAULT)
    assert town_settings.ledger_windows() == {second_town.pk: OWN}


def test_g2_counts_each_towns_window_live_and_kept_alike_at_the_boundary_days(towns, today):
    ctx = Ctx.at(today)
    assert named(towns, live_g2(ctx)) == EXPECTED_TODAY
    assert named(towns, kept_g2()) == EXPECTED_TODAY
    assert status.differences(ctx=ctx) == []
    # The kept rows know the day each line leaves its own town's window: tomorrow for both "in" shops.
    tomorrow = today + datetime.timedelta(days=1)
    changes = dict(BusinessTargetStatus.objects.filter(target="G2").values_list("business_id", "changes_on"))
    assert changes[towns["first_in"].pk] == changes[towns["second_in"].pk] == tomorrow
    assert changes[towns["second_25"].pk] is None  # already out of its 20 days: nothing ahead
    assert changes[towns["first_25"].pk] == today + datetime.timedelta(days=DEFAULT - 25 + 1)


def test_the_next_day_both_towns_lose_their_boundary_shop_and_the_sweep_agrees(towns, today):
    tomorrow = Ctx.at(today + datetime.timedelta(days=1))
    expected = {**EXPECTED_TODAY, "first_in": False, "second_in": False}
    assert named(towns, live_g2(tomorrow)) == expected
    every = available()
    i = [t.id for t in every].index("G2")
    kept_rows = status.matrix(every, tomorrow)  # the due rows counted live before the sweep
    live_rows = figures.rows(every, tomorrow, "matrix", figures.businesses(), bound=False)
    assert sum(r[f"n{i}"] for r in kept_rows) == sum(r[f"n{i}"] for r in live_rows) == 1
    status.sweep(ctx=tomorrow)
    assert named(towns, kept_g2()) == expected
    assert status.differences(ctx=tomorrow) == []


def test_changing_a_towns_window_moves_its_kept_figures_only(towns, today, second_town):
    row = TownSettings.objects.get(town=second_town)
    row.ledger_window_days = 25
    campaign_services.town_settings_save(row=row)
    after = named(towns, kept_g2())
    assert after == {**EXPECTED_TODAY, "second_25": True, "second_out": True}  # 25 and 21 days old
    assert after == named(towns, live_g2(Ctx.at(today)))
    assert status.differences() == []


def test_the_ledger_pages_figures_use_the_towns_window(towns, today):
    assert ledger_summary(towns["second_25"], as_of=today)["keeps_ledger"] is False
    assert ledger_summary(towns["second_25"], as_of=today)["window_days"] == OWN
    assert ledger_summary(towns["first_25"], as_of=today)["keeps_ledger"] is True
    from campaigns.models import Business

    keeping = with_ledger_metrics(Business.objects.all(), as_of=today).filter(keeps_ledger=True)
    assert {b.pk for b in keeping} == {towns[k].pk for k, v in EXPECTED_TODAY.items() if v}


# --- E2: the return check, and the order's number ---------------------------------------------------------


def test_the_return_check_and_the_order_number_follow_the_businesss_town(
    village, second_village, second_town, office, today, settings
):
    settings.WUXIAO_RETURN_CHECK_DAYS = 30
    campaign_services.town_settings_save(
        row=TownSettings(town=second_town, return_check_days=15, number_prefix="西岗镇办")
    )
    due = {}
    numbers = {}
    for v in (village, second_village):
        shop = f.BusinessFactory(village=v, category=f.category("grocery"))
        f.licensed(shop)
        first = inspect(shop, office, day=today - datetime.timedelta(days=10), fails=("C2-1",))
        order = first.orders_issued.get()
        inspect(shop, office, day=today, kind=VisitKind.REINSPECTION)
        order.refresh_from_db()
        due[v.town.code] = order.return_check_due_on
        numbers[v.town.code] = order.number
    assert due == {
        village.town.code: today + datetime.timedelta(days=30),
        "xigang": today + datetime.timedelta(days=15),
    }
    assert numbers[village.town.code].startswith("测试责改〔")
    assert numbers["xigang"].startswith("西岗镇办责改〔")


# --- documents: the masthead and the numbering prefix ----------------------------------------------------


def text_of(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += ["|".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


@pytest.fixture
def documents_town(second_village, second_town, settings, tmp_path, today):
    settings.MEDIA_ROOT = tmp_path
    c = campaign(starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=60))
    c.town = second_town
    c.save()
    f.licensed(f.BusinessFactory(village=second_village))
    return c


def test_a_circular_carries_the_towns_masthead_and_numbering_prefix(documents_town, second_town):
    default = text_of(services.circular_document(services.circular_draft(campaign=documents_town)))
    assert "西岗镇五小经营单位专项整治领导小组文件" in default and "五小整治〔" in default
    campaign_services.town_settings_save(
        row=TownSettings(town=second_town, masthead="西岗镇人民政府办公室", number_prefix="西岗镇办")
    )
    circular = services.circular_draft(campaign=documents_town)
    text = text_of(services.circular_document(circular))
    assert "西岗镇人民政府办公室文件" in text
    assert f"西岗镇办〔{timezone.localdate().year}〕{circular.number}号" in text
    assert "五小整治〔" not in text


def test_a_bulletin_carries_the_towns_masthead(documents_town, second_town):
    campaign_services.town_settings_save(row=TownSettings(town=second_town, masthead="西岗镇人民政府办公室"))
    bulletin = services.bulletin_create(campaign=documents_town)
    text = text_of(bulletin.file.read())
    assert "工作专报" in text and "西岗镇人民政府办公室" in text


# --- the office's form --------------------------------------------------------------------------------


LIST = reverse("campaigns:town_settings")


def edit_url(town) -> str:
    return reverse("campaigns:town_settings_edit", args=[town.pk])


def test_the_office_sees_each_town_with_the_values_in_force(office_client, village, second_town):
    TownSettings.objects.create(town=second_town, ledger_window_days=OWN)
    page = office_client.get(LIST).content.decode()
    assert "西岗镇" in page and village.town.name in page
    assert f"{OWN}天" in page and "默认" in page
    assert edit_url(second_town) in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ledger_window_days", "0", "台账有效期至少为1天。"),
        ("ledger_window_days", "400", "台账有效期不能超过366天。"),
        ("return_check_days", "0", "回头查间隔至少为1天。"),
        ("return_check_days", "999", "回头查间隔不能超过365天。"),
        ("number_prefix", "西岗〔2026〕", "发文字号前缀只写机关代字"),
        ("masthead", "西岗镇人民政府文件", "“文件”二字由系统加上"),
    ],
)
def test_bad_values_get_a_chinese_message_and_save_nothing(office_client, second_town, field, value, message):
    response = office_client.post(edit_url(second_town), {field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TownSettings.objects.filter(town=second_town).exists()


def test_the_office_saves_a_towns_settings_on_record(office_client, office, second_town):
    data = {
        "ledger_window_days": "20",
        "return_check_days": "",
        "masthead": " 西岗镇人民政府办公室 ",
        "number_prefix": "西岗镇办",
    }
    response = office_client.post(edit_url(second_town), data)
    assert response.status_code == 302 and response["Location"] == LIST
    row = TownSettings.objects.get(town=second_town)
    assert (row.ledger_window_days, row.return_check_days, row.masthead) == (20, None, "西岗镇人民政府办公室")
    entry = LogEntry.objects.get_for_model(TownSettings).get(object_id=row.pk)
    assert entry.actor == office
    # Emptied again: back to the defaults.
    office_client.post(edit_url(second_town), {"ledger_window_days": "", "masthead": "", "number_prefix": ""})
    assert town_settings.of_town(second_town) == town_settings.default()


def test_no_one_but_the_office_opens_the_settings(client, leader, inspector, second_town):
    for user in (leader, inspector):
        client.force_login(user)
        assert client.get(LIST).status_code == 404
        assert client.get(edit_url(second_town)).status_code == 404
        assert client.post(edit_url(second_town), {"ledger_window_days": "5"}).status_code == 404
    assert not TownSettings.objects.exists()


# --- the phases' dates: each town's own campaign ---------------------------------------------------------


@pytest.fixture
def two_campaigns(village, second_village, second_town, office, today):
    """Each town runs its own campaign (Campaign.town): the first since 90 days, the second since 10 days
    (with its phases); a restaurant in each was visited 30 days ago."""
    first = campaign(
        starts_on=today - datetime.timedelta(days=90), ends_on=today + datetime.timedelta(days=90)
    )
    first.town = village.town
    first.save()
    second = Campaign.objects.create(
        name="西岗镇五小专项整治",
        town=second_town,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=100),
    )
    Phase.objects.create(
        campaign=second,
        code="P1",
        name="西岗整改实施阶段",
        starts_on=second.starts_on,
        ends_on=today + datetime.timedelta(days=50),
    )
    shops = {}
    for key, v in (("first_shop", village), ("second_shop", second_village)):
        shops[key] = f.BusinessFactory(village=v, category=f.category("restaurant"))
        f.licensed(shops[key])
        inspect(shops[key], office, day=today - datetime.timedelta(days=30))
    status.rebuild()
    return {"first": first, "second": second, **shops}


def test_targets_since_the_start_count_from_each_towns_own_campaign(two_campaigns, today):
    """E1a (visited since the campaign started): the visit 30 days ago is within the first town's campaign,
    before the second town's — live and kept alike."""
    ctx = Ctx.at(today)
    e1a = get("E1a")
    rows = figures.rows([e1a], ctx, "business", figures.businesses(), bound=False)
    live = {r["pk"]: bool(r["n0"]) for r in rows if r["d0"]}
    kept = dict(BusinessTargetStatus.objects.filter(target="E1a").values_list("business_id", "met"))
    expected = {two_campaigns["first_shop"].pk: True, two_campaigns["second_shop"].pk: False}
    assert {k: live[k] for k in expected} == {k: kept[k] for k in expected} == expected
    assert status.serves(ctx) and status.differences(ctx=ctx) == []


def test_a_towns_page_shows_its_own_campaigns_phase(client, two_campaigns, second_town, today):
    assert Campaign.current(second_town) == two_campaigns["second"]
    city_leader = f.user_with_role("city_leader", "city_leader_user")
    client.force_login(city_leader)
    page = client.get(reverse("dashboard:index"), {"town": second_town.code}).content.decode()
    assert "西岗镇五小专项整治" in page  # the town's campaign, with its phase (P1 since 10 days)
    assert two_campaigns["second"].phase_on(today).name == "西岗整改实施阶段"


def test_the_ledger_index_lists_the_units_without_a_ledger_in_their_towns_window(office_client, towns):
    page = office_client.get(reverse("ledgers:index")).content.decode()
    assert "本镇台账有效期内没有台账记录的经营单位（3 家）" in page  # first_out, second_out, second_25
    assert "西岗饭店丙" in page and "东村饭店丙" not in page


def test_a_towns_office_sets_its_own_towns_settings_only(client, village, second_town):
    """Town first: the office of the first town lists and edits its own town, not the second's (404)."""
    own_office = f.user_with_role("office", "first_town_office", town=village.town)
    client.force_login(own_office)
    page = client.get(LIST).content.decode()
    assert edit_url(village.town) in page and edit_url(second_town) not in page
    assert client.get(edit_url(second_town)).status_code == 404
    assert client.post(edit_url(second_town), {"ledger_window_days": "5"}).status_code == 404
    assert client.post(edit_url(village.town), {"ledger_window_days": "25"}).status_code == 302
    assert town_settings.of_town(village.town).ledger_window_days == 25
    assert not TownSettings.objects.filter(town=second_town).exists()
