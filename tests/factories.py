"""factory_boy factories. Categories, departments and licence types come from the data migration."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model

from accounts.choices import CITY_ROLES, TOWN_WIDE
from accounts.models import RoleAssignment
from campaigns.models import Business, Category, Department, Licence, LicenceType, Town, Village
from campaigns.validators import credit_code_check_char

_codes = itertools.count(1)


def make_credit_code() -> str:
    body = f"92440606MA{next(_codes):07d}"
    return body + credit_code_check_char(body)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def department(code: str) -> Department:
    return Department.objects.get(code=code)


def licence_type(code: str) -> LicenceType:
    return LicenceType.objects.get(code=code)


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town
        django_get_or_create = ("code",)

    name = "测试镇"
    code = "ceshi"


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"第{n}村")
    code = factory.Sequence(lambda n: f"v{n}")


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试经营单位{n}")
    category = factory.LazyFunction(lambda: category("grocery"))
    village = factory.SubFactory(VillageFactory)
    operator = "张三"
    phone = "13812345678"

    @factory.post_generation
    def subtypes(self, create, extracted, **kwargs):
        if create and extracted:
            self.subtypes.set(extracted)


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    business = factory.SubFactory(BusinessFactory)
    licence_type = factory.LazyFunction(lambda: licence_type("business"))
    number = factory.Sequence(lambda n: f"LIC{n:06d}")
    issued_on = datetime.date(2020, 1, 1)
    expires_on = datetime.date(2030, 12, 31)
    state = "valid"
    displayed = True


def licensed(business: Business, **overrides) -> list[Licence]:
    """Give a business every licence its category (and sub-types) require."""
    return [
        LicenceFactory(business=business, licence_type=lt, **overrides)
        for lt in business.required_licence_types()
    ]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


def user_with_role(kind: str, username: str | None = None, **scope) -> "get_user_model()":
    """A user holding one role. Issue 24: a town-wide role (and a department's) is held in a town — the
    one the install has, else the test town (TownFactory) — and a scoped role takes its scope's town."""
    user = UserFactory(**({"username": username} if username else {}))
    role = RoleAssignment(user=user, kind=kind, **scope)
    if "town" not in scope and kind not in CITY_ROLES:
        role.town_id = role._scope_town_id()
        if role.town_id is None and (kind in TOWN_WIDE or kind == "department"):
            towns = list(Town.objects.values_list("pk", flat=True)[:2])
            role.town_id = towns[0] if len(towns) == 1 else TownFactory().pk
    role.save()
    return user
