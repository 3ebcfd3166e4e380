"""Form helpers every app uses: Bootstrap styling, the date input, a service's errors put onto a form,
and the typed business field (a roster of 100,000 cannot be a <select>)."""

import datetime
import re
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Model
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from lib.text import squash


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# Dates a campaign can be about (issue 22): a licence issued in 1950 is plausible, 0001-01-01 and
# 9999-12-31 are typing accidents or probes, and date arithmetic at the calendar's ends overflowed (a 500).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


def sane_date_validators() -> list:
    return [
        MinValueValidator(EARLIEST_DATE, _("日期不能早于 %(limit_value)s。")),
        MaxValueValidator(LATEST_DATE, _("日期不能晚于 %(limit_value)s。")),
    ]


# The largest primary key the databases store (a 64-bit signed integer).
MAX_ID = 2**63 - 1


def id_param(raw) -> int | None:
    """A request parameter naming an object by its id: the id, or None when it cannot be one (empty,
    not digits, full-width digits, beyond MAX_ID — a 30-digit id crashed SQLite's `IN` and PostgreSQL)."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def _bounded_choices(field: forms.ModelMultipleChoiceField) -> None:
    """Refuse ids beyond MAX_ID as "not a valid choice" before the `pk IN (...)` query that overflows."""
    check = field._check_values

    def checked(values):
        key = field.to_field_name or "pk"
        if key == "pk":
            for value in values:
                text = str(value).strip()
                if text.isascii() and text.isdigit() and id_param(text) is None:
                    message = field.error_messages["invalid_pk_value"]
                    raise ValidationError(message, code="invalid_pk_value", params={"pk": value})
        return check(values)

    field._check_values = checked


# The blank choice of a drop-down says what to do, not "---------" (issue 20).
BLANK_LABEL = _("请选择")
DASHES = "---------"


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates render fields the same way in every app; "请选择"
    as the blank choice of every drop-down; after validation each invalid field is outlined (is-invalid)
    and templates/includes/form_fields.html lists the errors at the top of the form; every date field
    limited to EARLIEST_DATE..LATEST_DATE; ids beyond the database's integers refused (issue 22)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.validators = [*field.validators, *sane_date_validators()]
            if isinstance(field, forms.ModelMultipleChoiceField):
                _bounded_choices(field)
            widget = field.widget
            if getattr(field, "empty_label", None) == DASHES:
                field.empty_label = BLANK_LABEL
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                field.choices = [
                    (v, BLANK_LABEL if v == "" and label == DASHES else label) for v, label in field.choices
                ]
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


def apply_service_errors(form, exc: ValidationError, rename: Callable[[str], str] | None = None) -> None:
    """Put a ValidationError raised by a service onto the form, field by field (a key that is not one of
    the form's fields goes to the form's own errors, shown at its top). `rename` maps a service's key to
    the form's field where they differ (a model's `password` is the form's `password1`)."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            field = rename(key) if rename else key
            form.add_error(field if field in form.fields else None, errors)
    elif exc.messages:
        form.add_error(None, exc)


def exc_has(exc: ValidationError, field: str) -> bool:
    """Whether a service's ValidationError names this field."""
    return hasattr(exc, "error_dict") and field in exc.error_dict


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files (photos taken one after another)."""

    allow_multiple_selected = True


CREDIT_CODE_RE = re.compile(r"^[0-9A-Z]{18}$")
NAME_IN_VILLAGE_RE = re.compile(r"^(?P<name>.+?)\s*[（(](?P<village>[^（()）]+)[）)]$")
CANDIDATES_SHOWN = 5
SEARCH_URL = reverse_lazy("campaigns:business_search")  # the <datalist>'s suggestions (static/js/site.js)


def business_label(business) -> str:
    """What the clerk sees and types back: '名称（村）', with the credit code when there is one."""
    label = f"{business.name}（{business.village.name}）"
    return f"{label} {business.credit_code}" if business.credit_code else label


class BusinessField(forms.Field):
    """A business typed by name or 统一社会信用代码, resolved on the server within a (scoped) queryset.

    A roster of 100,000 businesses cannot be a <select> (issue 11): the page would carry every name.
    Resolution, first rule that finds anything wins: an 18-character credit code (the last word typed, so
    a pasted '名称（村） 代码' works); the exact name; '名称（村）' as business_label writes it; a part of
    the name. One match resolves; several is an error listing a few; none is an error. Businesses outside
    the queryset never resolve and are never listed, so the scope is the caller's: pass scope(user, …).
    A constant number of queries (at most four, each LIMITed) whatever the size of the roster.
    """

    widget = forms.TextInput

    def __init__(self, *, queryset=None, search_url=SEARCH_URL, **kwargs):
        kwargs.setdefault("help_text", _("输入单位名称或统一社会信用代码；同名单位可写成“名称（村）”。"))
        super().__init__(**kwargs)
        self.queryset = queryset
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        if search_url is not None:  # lazy: evaluating it here would reverse before the URLconf loads
            self.widget.attrs["data-business-search"] = search_url

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": "130"}

    def prepare_value(self, value):
        if isinstance(value, Model):
            return business_label(value)
        if self.queryset is not None and (
            isinstance(value, int) or (isinstance(value, str) and value.isdigit())
        ):
            found = self.queryset.model._default_manager.select_related("village").filter(pk=value).first()
            return business_label(found) if found else ""
        return value

    def to_python(self, value):
        return " ".join(str(value).split()) if value not in self.empty_values else ""

    def has_changed(self, initial, data):
        initial_text = self.prepare_value(initial) if initial is not None else ""
        return initial_text != self.to_python(data)

    def clean(self, value):
        text = self.to_python(value)
        self.validate(text)
        self.run_validators(text)
        return self.resolve(text) if text else None

    def _candidates(self, **lookups) -> list:
        qs = self.queryset.filter(**lookups).select_related("village").order_by("name", "pk")
        return list(qs[: CANDIDATES_SHOWN + 1])

    def resolve(self, text: str) -> Model:
        code = squash(text.rsplit(" ", 1)[-1]).upper()
        if CREDIT_CODE_RE.match(code):
            found = self._candidates(credit_code=code)
            if not found:
                raise ValidationError(
                    _("您的管辖范围内没有统一社会信用代码为 %(code)s 的经营单位。"),
                    code="not_found",
                    params={"code": code},
                )
            return found[0]  # credit codes are unique
        found = self._candidates(name=text)
        if not found and (parts := NAME_IN_VILLAGE_RE.match(text)):
            found = self._candidates(name=parts["name"], village__name=parts["village"])
        if not found:
            found = self._candidates(name__icontains=text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                _("您的管辖范围内没有找到名称含“%(text)s”的经营单位，请核对名称或改用统一社会信用代码。"),
                code="not_found",
                params={"text": text},
            )
        shown = "、".join(business_label(b) for b in found[:CANDIDATES_SHOWN])
        more = _("等") if len(found) > CANDIDATES_SHOWN else ""
        raise ValidationError(
            _(
                "“%(text)s”对应多家经营单位：%(shown)s%(more)s。请写全名称、写成“名称（村）”或填统一社会信用代码。"
            ),
            code="ambiguous",
            params={"text": text, "shown": shown, "more": more},
        )


class BoundedFormSetMixin:
    """A formset whose management form cannot name a negative count (INITIAL_FORMS=-1 indexed the
    queryset backwards: a 500). Mix in before the base class: modelformset_factory(..., formset=...)."""

    def initial_form_count(self):
        return max(0, super().initial_form_count())

    def total_form_count(self):
        return max(0, super().total_form_count())
