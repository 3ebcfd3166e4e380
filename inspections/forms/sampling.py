"""Forms for random spot checks and sampling."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from campaigns.models import Department
from lib.forms import BusinessField, DateInput, StyledFormMixin
from lib.workbook import ACCEPT

from ..choices import SampleAction, SampleResult
from ..models import Sample


class SampleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Sample
        fields = ["number", "kind", "product", "batch", "quantity", "lab", "bureau", "sampled_on"]
        widgets = {"sampled_on": DateInput()}

    def __init__(self, *args, user=None, business=None, **kwargs):
        """`user` and `business` (issue 24): the departments of the user's towns and of the business's
        town, the shared ones and the city's — never another town's."""
        super().__init__(*args, **kwargs)
        bureaus = scoping.departments(user) if user is not None else Department.objects.all()
        if business is not None:
            bureaus = bureaus.filter(Q(town__isnull=True) | Q(town_id=business.village.town_id))
        self.fields["bureau"].queryset = bureaus
        self.initial.setdefault("sampled_on", timezone.localdate())


class SampleResultForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("抽样单编号"), max_length=40)
    result = forms.ChoiceField(
        label=_("检验结果"), choices=[c for c in SampleResult.choices if c[0] != SampleResult.PENDING]
    )
    result_on = forms.DateField(label=_("结果日期"), widget=DateInput())
    failing_items = forms.CharField(
        label=_("不合格项目"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    action = forms.ChoiceField(label=_("处理方式（不合格时）"), choices=SampleAction.choices, required=False)
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=DateInput())
    referral_department = forms.ModelChoiceField(
        label=_("移送部门"), queryset=Department.objects.all(), required=False
    )
    # A6: a residue sample's lab result (other kinds leave these blank).
    pesticide = forms.CharField(
        label=_("检出农药（农残检测）"),
        max_length=60,
        required=False,
        help_text=_("蔬菜农残检测不合格时必填，据此追溯售药门店"),
    )
    residue_value = forms.DecimalField(
        label=_("检出值（mg/kg）"), max_digits=10, decimal_places=4, min_value=0, required=False
    )
    residue_limit = forms.DecimalField(
        label=_("限量值（mg/kg）"), max_digits=10, decimal_places=4, min_value=0, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        """`user` (issue 24): a referral goes to a department of the user's towns, a shared one or the
        city's (the service checks it is also the sample's town's)."""
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["referral_department"].queryset = scoping.departments(user)
        self.initial.setdefault("result_on", timezone.localdate())


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SampleImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("检验结果文件（.xlsx、.xls、.ods 或 .csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("按模板填写：样品编号、检验结果、不合格项目、检验日期；不合格的填写处理方式"),
    )


class ResidueResultForm(StyledFormMixin, forms.ModelForm):
    """A6: one vegetable pesticide-residue result — the stall (or business), the vegetable, the pesticide
    found with its value and limit, pass or fail, lab or quick test. The number may be left blank."""

    business = BusinessField(label=_("受检摊位/经营单位"))
    result = forms.ChoiceField(
        label=_("检测结果"), choices=[c for c in SampleResult.choices if c[0] != SampleResult.PENDING]
    )

    class Meta:
        model = Sample
        fields = [
            "business", "sampled_on", "product", "method", "pesticide", "residue_value", "residue_limit",
            "result", "lab", "number", "quantity", "failing_items",
        ]  # fmt: skip
        labels = {
            "product": _("蔬菜名称"),
            "sampled_on": _("检测日期"),
            "lab": _("检测机构/快检点"),
            "number": _("检测编号"),
            "quantity": _("样品数量"),
            "failing_items": _("不合格情况"),
        }
        help_texts = {
            "number": _("可不填：系统按日期自动编号"),
            "pesticide": _("不合格时必填，据此追溯售出该农药的农资店"),
            "residue_value": _("快检可填抑制率（%）"),
            "failing_items": _("可不填：按检出农药、检出值和限量值自动填写"),
        }
        widgets = {"sampled_on": DateInput(), "failing_items": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, businesses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = businesses
        self.fields["number"].required = False
        self.initial.setdefault("sampled_on", timezone.localdate())
        self.initial.setdefault("method", "quick")
        self.initial.setdefault("quantity", "1份")

    def clean(self):
        """The model's rules (A6) run on the kind, the result dated on the test day and the 不合格项目
        written from the pesticide when left blank (Sample.residue_prepare)."""
        cleaned = super().clean()
        sample = self.instance
        for name in ("sampled_on", "result", "pesticide", "residue_value", "residue_limit", "failing_items"):
            if name in cleaned:
                setattr(sample, name, cleaned[name])
        sample.result_on = None
        sample.residue_prepare()
        cleaned["failing_items"] = sample.failing_items
        return cleaned

    def _update_errors(self, errors):
        """The result is dated on the test day: the model's errors on the result date are the test day's
        (with a test day refused, the result has no date either)."""
        if hasattr(errors, "error_dict") and "result_on" in errors.error_dict:
            errors.error_dict.setdefault("sampled_on", []).extend(errors.error_dict.pop("result_on"))
        super()._update_errors(errors)

    def clean_sampled_on(self):
        day = self.cleaned_data["sampled_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("检测日期不能晚于今天。"))
        return day
