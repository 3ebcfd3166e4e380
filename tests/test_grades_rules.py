"""Risk grades (W3: visit frequency by risk) and the E1 hygiene grade at their exact boundaries.

Written against mutation testing (issue 22): the grade thresholds were exercised only through whole
visits, so a threshold moved by one point, a `>=` turned into `>` or the rules read in the wrong order
went unnoticed. Each boundary is asserted on both sides here."""

import pytest

from inspections.choices import Grade, HygieneGrade
from inspections.models import FrequencyRule
from inspections.services.grades import grade_for_score, hygiene_grade_for_score

RULES = [  # unsorted on purpose: the best grade reached wins, whatever the table's order
    FrequencyRule(grade=Grade.B, min_score=75, interval_days=60),
    FrequencyRule(grade=Grade.A, min_score=90, interval_days=90),
    FrequencyRule(grade=Grade.C, min_score=0, interval_days=30),
]


@pytest.mark.parametrize(
    "score, grade",
    [
        (100, Grade.A),
        (90, Grade.A),  # the minimum itself reaches the grade
        (89.99, Grade.B),
        (75, Grade.B),
        (74.99, Grade.C),
        (0, Grade.C),
    ],
)
def test_grade_is_the_best_whose_minimum_the_average_reaches(score, grade):
    assert grade_for_score(score, RULES) == grade


def test_below_every_rule_is_grade_c_and_no_rules_is_grade_c():
    strict = [FrequencyRule(grade=Grade.A, min_score=90, interval_days=90)]
    assert grade_for_score(89, strict) == Grade.C
    assert grade_for_score(95, strict) == Grade.A
    assert grade_for_score(50, []) == Grade.C


@pytest.mark.django_db
def test_grade_reads_the_office_table_when_no_rules_are_given():
    FrequencyRule.objects.all().delete()
    FrequencyRule.objects.bulk_create(RULES)
    assert grade_for_score(90) == Grade.A
    assert grade_for_score(80) == Grade.B
    FrequencyRule.objects.filter(grade=Grade.A).update(min_score=95)  # the office raises the bar
    assert grade_for_score(90) == Grade.B


@pytest.mark.parametrize(
    "score, grade",
    [
        (None, ""),  # not scored: not graded
        (100, HygieneGrade.A),
        (90, HygieneGrade.A),
        (89, HygieneGrade.B),
        (75, HygieneGrade.B),
        (74, HygieneGrade.C),
        (60, HygieneGrade.C),
        (59, ""),  # below 60: no grade at the door (E1)
        (0, ""),
    ],
)
def test_hygiene_grade_boundaries(score, grade):
    assert hygiene_grade_for_score(score) == grade
