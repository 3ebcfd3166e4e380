"""Demo users, one per role (the README lists them). All share DEMO_PASSWORD."""

from django.contrib.auth import get_user_model

from campaigns.models import Department

from .choices import RoleKind
from .models import RoleAssignment

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
    get_user_model().objects.filter(username__in=[u[0] for u in DEMO_USERS]).delete()


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
