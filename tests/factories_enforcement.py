"""Factories for issue 7's enforcement tools (tip-offs, unlicensed-unit cases)."""

import factory

from inspections.choices import CaseSource
from inspections.models import TipOff, UnlicensedCase
from tests import factories as f


class TipOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TipOff

    content = factory.Sequence(lambda n: f"某店出售过期食品，第{n}条")
    place = "人民路口"
    contact_name = "热心群众"
    contact_phone = "13900001111"


class UnlicensedCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnlicensedCase

    business = factory.SubFactory(f.BusinessFactory)
    department = factory.LazyFunction(lambda: f.department("enforcement"))
    source = CaseSource.ROSTER
    missing_licences = "营业执照"


def enforcement_user(username: str = "enforce_user"):
    return f.user_with_role("department", username, department=f.department("enforcement"))
