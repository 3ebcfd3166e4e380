"""Forms for random spot checks and sampling."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from accounts.choices import RoleKind
from accounts.models import RoleAssignment
from campaigns.models import Category, SubType, Village
from lib.forms import DateInput, StyledFormMixin

from ..choices import Grade


def pool_queryset(user=None):
    """Who can be drawn: village inspectors and lead-department staff — of the drawing user's towns
    (issue 24, town first)."""
    roles = RoleAssignment.objects.filter(kind__in=[RoleKind.INSPECTOR, RoleKind.DEPARTMENT])
    if user is not None:
        roles = roles.filter(scoping.town_q(user))
    return (
        get_user_model().objects.filter(is_active=True, pk__in=roles.values("user_id")).order_by("username")
    )


class DrawForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("抽查名称"), max_length=100)
    categories = forms.ModelMultipleChoiceField(
        label=_("类别"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选即全部类别"),
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("村（社区）"),
        queryset=Village.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选即全部村（社区）"),
    )
    grades = forms.MultipleChoiceField(
        label=_("风险等级"), choices=Grade.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    subtypes = forms.ModelMultipleChoiceField(
        label=_("子类"),
        queryset=SubType.objects.select_related("category"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("只抽这些子类的单位（如D5：工业区超市、杂货铺）；不选即不限"),
    )
    drug_sales = forms.BooleanField(
        label=_("只抽有违法售药查处记录的单位（D5）"),
        required=False,
        help_text=_("无证、挂靠、超范围售药被查处过的单位，回头再查"),
    )
    count = forms.IntegerField(label=_("抽取数量（家）"), min_value=1, required=False)
    percentage = forms.DecimalField(
        label=_("或抽取比例（%）"), min_value=0, max_value=100, decimal_places=1, required=False
    )
    pool = forms.ModelMultipleChoiceField(
        label=_("检查人员库"), queryset=pool_queryset(), widget=forms.CheckboxSelectMultiple
    )
    team_size = forms.IntegerField(label=_("每组人数"), min_value=1, max_value=4, initial=2)
    planned_on = forms.DateField(label=_("计划检查日期"), widget=DateInput())
    seed = forms.IntegerField(
        label=_("随机种子（可选）"),
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text=_("留空由系统随机生成；也可当场公开摇号后填入。种子与全部条件一并留存，任何人可复核"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = pool_queryset(user)
        if user is not None:
            self.fields["villages"].queryset = scoping.villages(user)
        self.fields["pool"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["categories"].label_from_instance = lambda c: c.short_name
        self.initial.setdefault("planned_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("count") is None) == (cleaned.get("percentage") is None):
            self.add_error("count", _("请填写抽取数量或抽取比例（二选一）。"))
        return cleaned


class RedrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("重新抽取原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )
