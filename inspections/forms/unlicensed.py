"""Forms of the enforcement tools: the public tip-off form and the office's triage and case forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Village
from lib.forms import DateInput, StyledFormMixin

from ..choices import CaseStatus


class CaseResolveForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("结案结果"), choices=[c for c in CaseStatus.choices if c[0] != CaseStatus.OPEN]
    )
    resolved_on = forms.DateField(label=_("结案日期"), required=False, widget=DateInput())
    note = forms.CharField(label=_("处理情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CaseNoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("办理进展"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *CaseStatus.choices], required=False
    )
    village = forms.ModelChoiceField(
        label=_("村（社区）"), queryset=Village.objects.all(), required=False, empty_label=_("全部")
    )
