"""Demo users, one per role (the README lists them), all sharing DEMO_PASSWORD; and an audit history:
edits made by the office and an inspector through the services, as they would through the web."""

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from accounts.choices import RoleKind
from accounts.models import LoginEvent, RoleAssignment

from . import services as roster
from .choices import BusinessStatus, LicenceState
from .demo import STREETS
from .models import Business, Department, Licence

DEMO_PASSWORD = "wuxiao-demo-2026"

# username, full name, role, scope (village code / department code / "business"), is_staff
DEMO_USERS = [
    ("office", "梁永强", RoleKind.OFFICE, None, True),
    ("leader", "叶创新", RoleKind.LEADER, None, False),
    ("agri", "陈国华", RoleKind.DEPARTMENT, "agri_office", False),
    ("aic", "李振东", RoleKind.DEPARTMENT, "aic", False),
    ("health", "周建平", RoleKind.DEPARTMENT, "health", False),
    ("economy", "何丽芳", RoleKind.DEPARTMENT, "economy", False),
    ("techsup", "黄志明", RoleKind.DEPARTMENT, "tech_supervision", False),
    ("enforce", "吴海涛", RoleKind.DEPARTMENT, "enforcement", False),
    ("inspector", "罗志伟", RoleKind.INSPECTOR, "zhongxin", False),
    ("inspector2", "冯秀英", RoleKind.INSPECTOR, "xinhua", False),
    ("supervisor", "郑建平", RoleKind.SUPERVISOR, None, False),
    ("shop", "张家豪", RoleKind.BUSINESS, "business", False),
]


def clear(ctx) -> None:
    users = get_user_model().objects.filter(username__in=[u[0] for u in DEMO_USERS])
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
            department=departments.get(scope) if kind == RoleKind.DEPARTMENT else None,
            business=shop_business if kind == RoleKind.BUSINESS else None,
        )
    ctx.report.append(f"演示用户（密码 {DEMO_PASSWORD}）：" + "、".join(u[0] for u in DEMO_USERS))
    _drop_orphan_history()
    _history(ctx)


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
