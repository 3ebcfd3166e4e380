"""Forms for random spot checks and sampling."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department
from lib.forms import DateInput, StyledFormMixin
from lib.workbook import ACCEPT

from ..choices import SampleAction, SampleResult
from ..models import Sample


class SampleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Sample
        fields = ["number", "kind", "product", "batch", "quantity", "lab", "bureau", "sampled_on"]
        widgets = {"sampled_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = Department.objects.all()
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("result_on", timezone.localdate())


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SampleImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("检验结果文件（.xlsx、.xls、.ods 或 .csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("按模板填写：样品编号、检验结果、不合格项目、检验日期；不合格的填写处理方式"),
    )
