"""GB 32100 check character of 统一社会信用代码 (foundation issue, Business model)."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.validators import credit_code_check_char, validate_credit_code, validate_phone


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a published example code
        "91110000100001117D",
    ],
)
def test_known_valid_codes_pass(code):
    validate_credit_code(code)


def test_check_character_is_recomputed():
    assert credit_code_check_char("91350100M000100Y4") == "3"


def test_wrong_check_character_names_expected_one():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y44")
    assert "校验位错误" in exc.value.messages[0]
    assert "应为 3" in exc.value.messages[0]


def test_wrong_length_is_explained():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("9135010")
    assert "18位" in exc.value.messages[0]


def test_forbidden_letters_are_named():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100IO3")
    assert "I" in exc.value.messages[0] and "O" in exc.value.messages[0]


def test_fullwidth_and_spaces_are_normalised():
    validate_credit_code(" ９１３５０１００Ｍ０００１００Ｙ４３ ")


@pytest.mark.parametrize(
    "phone", ["13812345678", "0757-22345678", "075722345678", "１３８ １２３４ ５６７８", "88123456"]
)
def test_valid_phones(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "1381234567", "abc", "23812345678"])
def test_invalid_phones_say_what_is_allowed(phone):
    with pytest.raises(ValidationError) as exc:
        validate_phone(phone)
    assert "手机号" in exc.value.messages[0]
