"""Forms for the findings of the special actions: drug sales against the law (D5)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department
from lib.forms import BusinessField, DateInput, StyledFormMixin

from ..models import DrugSaleFinding


class DrugSaleFindingForm(StyledFormMixin, forms.ModelForm):
    """D5: a unit found selling drugs against the law, what it sold and what was done."""

    business = BusinessField(label=_("经营单位"))

    class Meta:
        model = DrugSaleFinding
        fields = [
            "business", "found_on", "kind", "goods", "affiliated_with",
            "referred_to", "confiscated", "ordered_to_stop", "note",
        ]  # fmt: skip
        widgets = {"found_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"goods": _("如：阿莫西林胶囊2盒、感冒灵颗粒5袋")}

    def __init__(self, *args, businesses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = businesses
        self.fields["referred_to"].queryset = Department.objects.all()  # the city bureaus (市药监局) first
        self.initial.setdefault("found_on", timezone.localdate())
