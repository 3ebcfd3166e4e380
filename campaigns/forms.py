"""Forms for the roster. The Excel import validates each row through these same forms."""

import re

from django import forms
from django.core.exceptions import ValidationError
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


# The blank choice of a drop-down says what to do, not "---------" (issue 20).
BLANK_LABEL = _("请选择")
DASHES = "---------"


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates render fields the same way in every app; "请选择"
    as the blank choice of every drop-down; after validation each invalid field is outlined (is-invalid)
    and includes/form_fields.html lists the errors at the top of the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
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


class SubtypeCheckboxes(forms.CheckboxSelectMultiple):
    """子类 checkboxes, each naming its category (data-category): site.js shows those of the chosen 类别;
    without JavaScript all are shown and BusinessForm.clean refuses a sub-type of another category."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-category"] = str(instance.category_id)
        return option


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
        widgets = {"subtypes": SubtypeCheckboxes}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subtypes"].queryset = SubType.objects.select_related("category")
        self.fields["subtypes"].label_from_instance = lambda st: f"{st.category.short_name}·{st.name}"
        self.fields["category"].widget.attrs["data-subtypes"] = "subtypes"

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
