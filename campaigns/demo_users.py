"""Demo users, one per role (the README lists them), all sharing DEMO_PASSWORD; and an audit history:
edits made by the office and an inspector through the services, as they would through the web."""

import datetime

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from accounts.choices import CITY_ROLES, RoleKind
from accounts.models import LoginEvent, RoleAssignment

from . import services as roster
from .choices import BusinessStatus, LicenceState
from .demo import STREETS
from .models import Business, Department, Licence, LicenceType

DEMO_PASSWORD = "wuxiao-demo-2026"
SCOPED_BY_DEPARTMENT = (RoleKind.DEPARTMENT, RoleKind.CITY_BUREAU)

# username, full name, role, scope (village code / department code / "business"), is_staff
DEMO_USERS = [
    ("office", "叶创新", RoleKind.OFFICE, None, True),
    ("leader", "梁永强", RoleKind.LEADER, None, False),
    ("agri", "莫锦柱", RoleKind.DEPARTMENT, "agri_office", False),
    ("aic", "郭富良", RoleKind.DEPARTMENT, "aic", False),
    ("health", "陈炳惠", RoleKind.DEPARTMENT, "health", False),
    ("economy", "何丽芳", RoleKind.DEPARTMENT, "economy", False),
    ("techsup", "王沛昌", RoleKind.DEPARTMENT, "tech_supervision", False),
    ("enforce", "杨焕明", RoleKind.DEPARTMENT, "enforcement", False),
    ("inspector", "罗志伟", RoleKind.INSPECTOR, "zhongxin", False),
    ("inspector2", "冯秀英", RoleKind.INSPECTOR, "xinhua", False),
    ("supervisor", "郑建平", RoleKind.SUPERVISOR, None, False),
    ("shop", "张家豪", RoleKind.BUSINESS, "business", False),
    # O5 / issue 24: the city over its towns — city leadership, and 市药监局 (pharmacies in every town).
    ("city", "黄志明", RoleKind.CITY_LEADER, None, False),
    ("citydrug", "刘晓燕", RoleKind.CITY_BUREAU, "city_drug", False),
]


# C3: the share of the other trading groceries that have joined the e-ledger (an account of their own
# that enters their purchases and sales); the office's goal for the demo campaign is the default 50%.
E_LEDGER_SHARE = 0.45
E_LEDGER_PREFIX = "eledger-"


def clear(ctx) -> None:
    users = get_user_model().objects.filter(username__in=[u[0] for u in DEMO_USERS])
    users = users | get_user_model().objects.filter(username__startswith=E_LEDGER_PREFIX)
    LoginEvent.objects.filter(user__in=users).delete()
    users.delete()


def seed(ctx) -> None:
    User = get_user_model()
    villages = {v.code: v for v in ctx.extra.get("villages", [])}
    departments = {d.code: d for d in Department.objects.all()}
    businesses = ctx.extra.get("businesses", [])
    # The business account belongs to a grocery in the town centre that keeps an electronic ledger (C3).
    shop_business = next(
        (b for b in businesses if b.category.code == "grocery" and b.village.code == "zhongxin"),
        businesses[0] if businesses else None,
    )
    hasher_user = User(username="_")
    hasher_user.set_password(DEMO_PASSWORD)
    password_hash = hasher_user.password  # hash once: the same password for every demo user
    for username, full_name, kind, scope, staff in DEMO_USERS:
        if kind == RoleKind.BUSINESS and shop_business is None:
            continue
        user = User.objects.create(
            username=username,
            first_name=full_name,
            password=password_hash,
            is_staff=staff,
            is_superuser=staff,
        )
        RoleAssignment.objects.create(
            user=user,
            kind=kind,
            village=villages.get(scope) if kind == RoleKind.INSPECTOR else None,
            department=departments.get(scope) if kind in SCOPED_BY_DEPARTMENT else None,
            business=shop_business if kind == RoleKind.BUSINESS else None,
            # Issue 24, town first: every role but the city's is held in the demo town.
            town=None if kind in CITY_ROLES else ctx.town,
        )
    ctx.report.append(f"演示用户（密码 {DEMO_PASSWORD}）：" + "、".join(u[0] for u in DEMO_USERS))
    _e_ledger_accounts(ctx, shop_business, password_hash)
    _drop_orphan_history()
    _history(ctx)
    _bureau_certifications(ctx)


def _e_ledger_accounts(ctx, shop_business, password_hash) -> None:
    """C3: some groceries besides the demo shop enter their own ledgers, each through its own account."""
    User = get_user_model()
    groceries = [
        b
        for b in ctx.extra.get("businesses", [])
        if b.category.code == "grocery" and b.is_active and b is not shop_business
    ]
    joined = [b for b in groceries if ctx.rng.random() < E_LEDGER_SHARE]
    for business in joined:
        user = User.objects.create(username=f"{E_LEDGER_PREFIX}{business.pk}", password=password_hash)
        RoleAssignment.objects.create(user=user, kind=RoleKind.BUSINESS, business=business, town=ctx.town)
    ctx.report.append(f"电子台账（C3）：另有 {len(joined)} 家食杂店以本店账号自行录入台账。")


def _drop_orphan_history() -> None:
    """A demo rebuild deletes the old town: its entries would point at nothing. (A dev tool; in the app
    nobody deletes audit entries.)"""
    User = get_user_model()
    for model in (Business, Licence, User, RoleAssignment):
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)).exclude(
            object_id__in=model.objects.values("pk")
        ).delete()


def _history(ctx) -> None:
    """A few days of work on the record: the office corrects and revokes, an inspector updates status."""
    User = get_user_model()
    office = User.objects.filter(username="office").first()
    inspector = User.objects.filter(username="inspector").first()
    businesses = sorted(ctx.extra.get("businesses", []), key=lambda b: b.pk)
    if not office or not businesses:
        return
    rng = ctx.rng
    started = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with set_actor(office):
        for business in rng.sample(businesses, min(4, len(businesses))):
            village = business.village.name
            business.address = (
                f"{ctx.town.name}{village}{rng.choice(STREETS)}{rng.randint(1, 99)}号"  # 地址更正
            )
            roster.business_save(business=business)
        business = rng.choice(businesses)
        business.is_model = True  # W2: marked as a model unit
        roster.business_save(business=business)
        held = list(
            Licence.objects.filter(business__in=businesses, state=LicenceState.VALID).order_by("pk")[:40]
        )
        if held:
            roster.licence_revoke(licence=rng.choice(held), reason="超范围经营，经复查仍未整改")
    if inspector:
        villages = {r.village_id for r in inspector.roles.all()}
        with set_actor(inspector):
            for business in [b for b in businesses if b.village_id in villages][:3]:
                business.status = BusinessStatus.RECTIFYING
                roster.business_save(business=business)
    entries = LogEntry.objects.filter(pk__gt=started).count()
    for username, kind in (("office", "login"), ("inspector", "login"), ("inspector", "failed")):
        user = User.objects.get(username=username)
        LoginEvent.objects.create(kind=kind, user=user if kind == "login" else None, username=username)
    ctx.report.append(f"变更记录：{entries} 条（镇办公室与检查员的修改，见经营单位页“变更记录”）")


def _bureau_certifications(ctx) -> None:
    """O5: 市药监局's user (citydrug) revokes a pharmacy's 药品经营许可证 and records one it issued to a
    pharmacy lacking it, through the office's licence services (its name on the business page, its user
    on the audit trail). No business is added (the roster keeps its N; a town without a pharmacy shows none):
    with no other pharmacy lacking the licence, the revoked one is certified again after rectification."""
    User = get_user_model()
    user = User.objects.filter(username="citydrug").first()
    bureau = Department.objects.filter(code="city_drug").first()
    drug_trade = LicenceType.objects.filter(code="drug_trade").first()
    if not (user and bureau and drug_trade and ctx.town):
        return
    pharmacies = sorted(
        (b for b in ctx.extra.get("businesses", []) if b.category.code == "pharmacy" and b.is_active),
        key=lambda b: b.pk,
    )
    if not pharmacies:  # the smallest towns (--businesses N) have none: the roster keeps exactly N
        return
    held = dict(
        Licence.objects.filter(business__in=pharmacies, licence_type=drug_trade, state=LicenceState.VALID)
        .order_by("business_id", "pk")
        .values_list("business_id", "pk")
    )
    holder = next((b for b in reversed(pharmacies) if b.pk in held), pharmacies[-1])
    lacking = next((b for b in pharmacies if b.pk not in held and b != holder), holder)

    def certify(business, issued: datetime.date, years: int) -> Licence:
        return roster.licence_certify(
            licence=Licence(
                business=business,
                licence_type=drug_trade,
                number=f"粤AA{issued:%Y}{business.pk:04d}",
                issued_on=issued,
                expires_on=issued + datetime.timedelta(days=years * 365),
                displayed=True,
            ),
            bureau=bureau,
            user=user,
        )

    with set_actor(user):
        if holder.pk in held:
            revoked = Licence.objects.get(pk=held[holder.pk])
        else:  # no pharmacy holds one: the bureau's own earlier certification is the one revoked
            revoked = certify(holder, ctx.today - datetime.timedelta(days=730), 5)
        roster.licence_revoke(licence=revoked, reason="出租、出借柜台，经查属实", bureau=bureau)
        certify(lacking, ctx.today - datetime.timedelta(days=3), 5)
    ctx.report.append(
        f"市药监局发证与吊销（O5）：citydrug 吊销“{holder.name}”的药品经营许可证，"
        f"为“{lacking.name}”登记新发的药品经营许可证。"
    )
