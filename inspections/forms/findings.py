"""Forms for the findings of the special actions: drug sales against the law (D5), holiday-goods checks
(C4)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department
from lib.forms import BusinessField, DateInput, StyledFormMixin

from ..models import DrugSaleFinding, HolidayCheck, HolidayCheckRound


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


class HolidayRoundForm(StyledFormMixin, forms.ModelForm):
    """C4: a round of holiday-goods checks — the holiday and its dates."""

    class Meta:
        model = HolidayCheckRound
        fields = ["holiday", "starts_on", "ends_on", "note"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"holiday": _("如：春节、元宵、端午、中秋、国庆")}


class HolidayCheckForm(StyledFormMixin, forms.ModelForm):
    """C4: a unit checked in the round, what was found (tick each kind) and what was done."""

    business = BusinessField(label=_("经营单位"))

    class Meta:
        model = HolidayCheck
        fields = [
            "business", "checked_on", "price", "bundling", "trademark", "false_ad", "fraud", "expired",
            "detail",
        ]  # fmt: skip
        widgets = {"checked_on": DateInput(), "detail": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"detail": _("发现问题的须填写：问题商品、违法情形及处理（责令整改、立案、移送）")}

    def __init__(self, *args, round_: HolidayCheckRound, businesses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.round = round_
        self.fields["business"].queryset = businesses
        self.initial.setdefault("checked_on", min(timezone.localdate(), round_.ends_on))

    def validate_unique(self):
        """The round is set on the instance, not a field: the once-per-round rule is checked here."""
        try:
            self.instance.validate_constraints()
        except forms.ValidationError as exc:
            self._update_errors(exc)
