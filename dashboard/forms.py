"""Forms of the dashboard: acceptance records with their score sheet, the circular's text, the city's
papers."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department
from lib.forms import DateInput, StyledFormMixin

from .choices import SHEETS, AcceptanceKind, CityPaperKind
from .models import AcceptanceRecord, Circular, CityPaper


class AsOfForm(StyledFormMixin, forms.Form):
    as_of = forms.DateField(label=_("统计日期"), required=False, widget=DateInput())


class CityPaperForm(AsOfForm):
    """Issue 24: which of the city's papers to draft, from the city's figures of which date (today when
    left empty)."""

    kind = forms.ChoiceField(label=_("文种"), choices=CityPaperKind.choices)
    field_order = ["kind", "as_of"]


class AcceptanceRecordForm(StyledFormMixin, forms.ModelForm):
    """An acceptance record; one number field per score-sheet item of its kind."""

    class Meta:
        model = AcceptanceRecord
        fields = [
            "village",
            "department",
            "checks_from",
            "checked_on",
            "team",
            "conclusion",
            "findings",
            "remarks",
        ]
        widgets = {
            "checks_from": DateInput(),
            "checked_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.instance.kind = kind
        if kind == AcceptanceKind.VILLAGE:
            del self.fields["department"]
            self.fields["village"].required = True
        else:
            del self.fields["village"]
            self.fields["department"].required = True
            self.fields["department"].queryset = Department.objects.filter(
                Q(led_categories__isnull=False) | Q(leads_unlicensed=True)
            ).distinct()
        for code, item, what, full in SHEETS[kind]:
            self.fields[f"score_{code}"] = forms.DecimalField(
                label=f"{item}（{full}分）",
                help_text=what,
                min_value=0,
                max_value=full,
                decimal_places=1,
                initial=self.instance.scores.get(code) if self.instance.pk else None,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
            )

    def clean(self):
        cleaned = super().clean()
        # The model validates the sheet as a whole (every item present and in range).
        self.instance.scores = self.scores()
        return cleaned

    def score_fields(self):
        return [self[name] for name in self.fields if name.startswith("score_")]

    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("score_")]

    def scores(self) -> dict:
        return {
            code: float(self.cleaned_data[f"score_{code}"])
            for code, *_rest in SHEETS[self.kind]
            if getattr(self, "cleaned_data", {}).get(f"score_{code}") is not None
        }


class CircularForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Circular
        fields = ["title", "preamble", "commended", "criticised", "requirements"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields[1:]}


class CityPaperTextForm(StyledFormMixin, forms.ModelForm):
    """Issue 24: a draft city paper's title and text (the ranking table is the figures', not edited). A
    bulletin has no 通报表扬; its parts are named as the bulletin names them."""

    class Meta:
        model = CityPaper
        fields = ["title", "preamble", "commended", "criticised", "requirements"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields[1:]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("preamble", "criticised", "requirements"):
            self.fields[name].required = True
        if self.instance.is_circular:
            self.fields["criticised"].label = _("通报批评")
        else:
            del self.fields["commended"]
            self.fields["requirements"].label = _("下一步工作")
