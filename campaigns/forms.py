"""Forms for the roster. The Excel import validates each row through these same forms."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .choices import LicenceState
from .models import Business, Licence, LicenceType, SubType
from .text import squash
from .validators import normalise_credit_code, normalise_phone, validate_subtypes_of_category


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


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates render fields the same way in every app; every
    date field limited to EARLIEST_DATE..LATEST_DATE."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.validators = [*field.validators, *sane_date_validators()]
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class BusinessForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Business
        fields = [
            "name",
            "category",
            "subtypes",
            "village",
            "address",
            "operator",
            "phone",
            "credit_code",
            "status",
            "is_town_centre",
            "market",
            "is_model",
        ]
        widgets = {"subtypes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subtypes"].queryset = SubType.objects.select_related("category")
        self.fields["subtypes"].label_from_instance = lambda st: f"{st.category.short_name}·{st.name}"

    def clean_credit_code(self):
        return normalise_credit_code(self.cleaned_data.get("credit_code")) or None

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        try:
            validate_subtypes_of_category(cleaned.get("category"), cleaned.get("subtypes") or [])
        except ValidationError as exc:
            self.add_error("subtypes", exc)
        return cleaned


class LicenceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Licence
        fields = ["licence_type", "number", "issuer", "issued_on", "expires_on", "state", "displayed"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}

    def __init__(self, *args, business: Business, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.business = business
        required = set(business.required_licence_types().values_list("pk", flat=True))
        self.fields["licence_type"].queryset = LicenceType.objects.all()
        self.fields["licence_type"].label_from_instance = lambda lt: (
            f"{lt.name}（{_('必备')}）" if lt.pk in required else lt.name
        )
        self.fields["state"].choices = [
            c for c in LicenceState.choices if c[0] != LicenceState.REVOKED or self.instance.pk
        ]


class LicenceRenewForm(StyledFormMixin, forms.Form):
    """Renewal: a new licence row replaces the old one (which is kept, marked expired)."""

    number = forms.CharField(label=_("新证照编号"), max_length=60)
    issuer = forms.CharField(label=_("发证机关"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("发证日期"), widget=DateInput())
    expires_on = forms.DateField(label=_("有效期至"), widget=DateInput(), required=False)
    displayed = forms.BooleanField(label=_("亮证"), required=False)

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("有效期至不能早于发证日期。"))
        return cleaned


class LicenceRevokeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("吊销原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


CREDIT_CODE_RE = re.compile(r"^[0-9A-Z]{18}$")
NAME_IN_VILLAGE_RE = re.compile(r"^(?P<name>.+?)\s*[（(](?P<village>[^（()）]+)[）)]$")
CANDIDATES_SHOWN = 5
SEARCH_URL = reverse_lazy("campaigns:business_search")  # the <datalist>'s suggestions (static/js/site.js)


def business_label(business: Business) -> str:
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
        if isinstance(value, Business):
            return business_label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found = Business.objects.select_related("village").filter(pk=value).first()
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

    def _candidates(self, **lookups) -> list[Business]:
        qs = self.queryset.filter(**lookups).select_related("village").order_by("name", "pk")
        return list(qs[: CANDIDATES_SHOWN + 1])

    def resolve(self, text: str) -> Business:
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
