"""Forms of the incident register (C7) and the work register."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.forms import BusinessField, DateInput, StyledFormMixin, business_label

from ..models import Activity, Incident

MAX_UNITS = 30


class BusinessesField(forms.CharField):
    """Several businesses, one per line, each typed as BusinessField reads it (name, '名称（村）' or credit
    code), resolved within the caller's scoped queryset. The error names the line."""

    widget = forms.Textarea

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("每行一家：单位名称、“名称（村）”或统一社会信用代码。"))
        super().__init__(**kwargs)
        self.queryset = queryset
        self.widget.attrs.update({"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(business_label(b) for b in value)
        return value

    def clean(self, value):
        text = super().clean(value)
        lines = [" ".join(line.split()) for line in (text or "").splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_UNITS:
            raise ValidationError(_("一次最多填写 %(n)d 家经营单位。") % {"n": MAX_UNITS})
        one = BusinessField(queryset=self.queryset, search_url=None)
        found, errors = [], []
        for number, line in enumerate(lines, start=1):
            try:
                business = one.clean(line)
            except ValidationError as exc:
                errors.append(
                    _("第%(n)d行“%(line)s”：%(msg)s") % {"n": number, "line": line, "msg": exc.messages[0]}
                )
            else:
                if business is not None and business not in found:
                    found.append(business)
        if errors:
            raise ValidationError(errors)
        return found


class IncidentForm(StyledFormMixin, forms.ModelForm):
    units = BusinessesField(label=_("涉事经营单位"))

    class Meta:
        model = Incident
        fields = [
            "occurred_on",
            "title",
            "severity",
            "village",
            "place",
            "cases",
            "deaths",
            "description",
            "status",
            "outcome",
        ]
        widgets = {
            "occurred_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, businesses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = businesses
        if self.instance.pk:
            self.fields["units"].initial = list(self.instance.businesses.select_related("village"))


class ActivityForm(StyledFormMixin, forms.ModelForm):
    units = BusinessesField(label=_("涉及经营单位"))

    class Meta:
        model = Activity
        fields = [
            "kind",
            "held_on",
            "title",
            "department",
            "village",
            "phase",
            "participants",
            "content",
            "endorser",
            "referred_to",
            "case_number",
            "published",
        ]
        widgets = {"held_on": DateInput(), "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, businesses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = businesses


class SlaughterReturnForm(StyledFormMixin, forms.ModelForm):
    """F1: one month of the designated slaughterhouse."""

    month = forms.DateField(label=_("月份"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            input_formats=["%Y-%m", "%Y-%m-%d"])  # fmt: skip

    class Meta:
        from ..models import SlaughterReturn

        model = SlaughterReturn
        fields = ["business", "month", "head_slaughtered", "head_consumed", "head_for_hire", "note"]

    def __init__(self, *args, slaughterhouses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = slaughterhouses
