"""Forms for ledger lines (the phone form and each Excel row go through LedgerLineForm), traces, alerts."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import BoundedFormSetMixin, BusinessField, DateInput, StyledFormMixin
from lib.workbook import ACCEPT

from .choices import Direction, Unit
from .models import LedgerEntry
from .services import LINE_FIELDS, future_date_message
from .text import normalise_unit, unit_error

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"]


class UnitField(forms.ChoiceField):
    """A unit from the known list; 'kg', 'ＫＧ', '公斤' are read as 千克."""

    def __init__(self, **kwargs):
        super().__init__(choices=[("", "—"), *Unit.choices], **kwargs)

    def to_python(self, value):
        return normalise_unit(value) if value not in self.empty_values else ""

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(unit_error(""), code="required")
        if value and value not in Unit.values:
            raise forms.ValidationError(unit_error(value), code="invalid_choice")


class LedgerLineForm(StyledFormMixin, forms.ModelForm):
    """One ledger line; the service checks the rules that need other lines or the database."""

    unit = UnitField(label=_("单位"))

    class Meta:
        model = LedgerEntry
        fields = list(LINE_FIELDS)  # the service saves exactly these: one list for both
        widgets = {
            "occurred_on": DateInput(),
            "production_date": DateInput(),
            "expiry_date": DateInput(),
            "quantity": forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("occurred_on", "production_date", "expiry_date"):
            self.fields[name].input_formats = DATE_FORMATS
        self.fields["quantity"].error_messages["invalid"] = _("数量应为数字。")

    def has_changed(self) -> bool:
        """A phone-form row without a product name and a quantity is a blank row, whatever its defaults."""
        if self.is_bound and not any(
            str(self.data.get(self.add_prefix(name), "")).strip() for name in ("product_name", "quantity")
        ):
            return False
        return super().has_changed()

    def clean_occurred_on(self):
        day = self.cleaned_data.get("occurred_on")
        today = timezone.localdate()
        if day and day > today:
            raise forms.ValidationError(future_date_message(day, today))
        return day

    def clean_quantity(self):
        quantity = self.cleaned_data.get("quantity")
        if quantity is not None and quantity <= 0:
            raise forms.ValidationError(_("数量必须大于0，当前为 %(q)s。"), params={"q": quantity})
        return quantity

    def line(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class BaseLineFormSet(BoundedFormSetMixin, forms.BaseModelFormSet):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", LedgerEntry.objects.none())
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        if not any(form.has_changed() and not self._should_delete_form(form) for form in self.forms):
            raise forms.ValidationError(_("请至少填写一行台账。"))


LedgerLineFormSet = forms.modelformset_factory(
    LedgerEntry, form=LedgerLineForm, formset=BaseLineFormSet, extra=3, max_num=50, validate_max=True
)


def line_formset(data=None, *, default_direction: str = Direction.PURCHASE, default_kind: str = ""):
    today = timezone.localdate()
    initial = [{"direction": default_direction, "kind": default_kind, "occurred_on": today}] * 3
    return LedgerLineFormSet(data, prefix="lines", initial=initial)


class LedgerImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("表格文件（.xlsx、.xls、.ods 或 .csv）"),
        help_text=_("按模板填写；表头上方的标题行、序号列、合计行和空行会自动跳过"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class TraceForm(StyledFormMixin, forms.Form):
    """Forward (supplier/product/batch), backward (business + product) and A6 (pesticide, dates, village)."""

    MODES = [
        ("forward", _("正向追踪：供货方/产品/批号 → 购买单位 → 其去向")),
        ("backward", _("反向追溯：经营单位 + 产品 → 供货方 → 其上游")),
        ("a6", _("农残溯源（A6）：农药 + 时间段 + 村 → 售出该农药的门店及购买人")),
    ]
    mode = forms.ChoiceField(label=_("追溯方式"), choices=MODES, initial="forward")
    product = forms.CharField(label=_("产品名称"), max_length=100)
    batch = forms.CharField(label=_("批号"), max_length=60, required=False)
    supplier = forms.CharField(
        label=_("供货方"), max_length=100, required=False, help_text=_("名称、许可证号或信用代码")
    )
    business = BusinessField(label=_("经营单位"), required=False)  # typed, not a 100,000-row <select>
    village = forms.ModelChoiceField(label=_("村（社区）"), queryset=None, required=False)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=DateInput(), input_formats=DATE_FORMATS
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=DateInput(), input_formats=DATE_FORMATS
    )

    def __init__(self, *args, businesses, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = businesses
        self.fields["village"].queryset = villages

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == "backward" and not cleaned.get("business"):
            self.add_error("business", _("反向追溯需要选择经营单位。"))
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return cleaned


class AlertHandleForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("处理情况"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}), required=True
    )
