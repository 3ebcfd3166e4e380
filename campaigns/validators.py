"""Validators for the identifiers the roster holds; messages are in Chinese and say what is allowed."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.text import squash

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, S, V, Z); the last one is a
# check character computed from the first 17 with these weights.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: str | None) -> str:
    return squash(value).upper()


def validate_credit_code(value: str) -> None:
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。"), code="length", params={"n": len(code)}
        )
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（只允许数字和除I、O、S、V、Z以外的大写字母）。"),
            code="charset",
            params={"chars": "、".join(bad)},
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：第18位应为 %(expected)s，实为 %(actual)s，请核对。"),
            code="check",
            params={"expected": expected, "actual": code[17]},
        )


# A mainland mobile (11 digits starting 1[3-9]) or a landline with an optional area code: 0xxx-xxxxxxx.
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,4})?)$")


def normalise_phone(value: str | None) -> str:
    return squash(value).replace("－", "-").replace("—", "-")


def validate_phone(value: str) -> None:
    if not PHONE_RE.match(normalise_phone(value)):
        raise ValidationError(
            _("联系电话格式不正确：应为11位手机号（如13812345678）或固定电话（如0757-22345678）。"),
            code="phone",
        )


def validate_subtypes_of_category(category, subtypes) -> None:
    """Every sub-type must belong to the business's category (the web form and the Excel import)."""
    wrong = [st.name for st in subtypes if category and st.category_id != category.pk]
    if wrong:
        raise ValidationError(
            _("子类“%(names)s”不属于类别“%(cat)s”。"),
            code="subtype_category",
            params={"names": "、".join(wrong), "cat": category},
        )
