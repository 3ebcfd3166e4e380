"""Forms for the roster. The Excel import validates each row through these same forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import LicenceState
from .models import Business, Licence, LicenceType, SubType
from .validators import normalise_credit_code, normalise_phone, validate_subtypes_of_category


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates render fields the same way in every app."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
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
