"""Forms for the inspector's pages. The visit form is built from the visit's own answers and licence
checks; it only parses what was typed — completeness is checked by services.visit_submit."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Department
from lib.forms import BoundedFormSetMixin, DateInput, MultipleFileInput, StyledFormMixin, apply_service_errors

from .. import selectors, services
from ..choices import Answer, LicenceAction, VisitKind, VisitOutcome
from ..models import ChecklistTemplate, FrequencyRule, Visit

YES_NO = [("", "—"), ("1", _("是")), ("0", _("否"))]


def _yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _yes_no_initial(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _camera_input() -> forms.ClearableFileInput:
    return forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})


class VisitStartForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("检查方式"), choices=VisitKind.choices, initial=VisitKind.ROUTINE)
    companions = forms.ModelMultipleChoiceField(
        label=_("同行检查人员"),
        required=False,
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("本村（社区）检查员、牵头部门人员和镇办公室人员"),
    )

    def __init__(self, *args, business, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["companions"]
        field.queryset = selectors.visit_inspector_choices(business).exclude(pk=user.pk)
        field.label_from_instance = lambda u: u.get_full_name() or u.username


class VisitForm(StyledFormMixin, forms.Form):
    notes = forms.CharField(label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(
        label=_("处理结果"), required=False, choices=[("", "—"), *VisitOutcome.choices]
    )
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=DateInput())
    requirements_text = forms.CharField(
        label=_("整改要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    referral_department = forms.ModelChoiceField(
        label=_("移送部门"), required=False, queryset=Department.objects.all()
    )
    referral_note = forms.CharField(label=_("移送事由"), required=False, max_length=200)
    photos = MultipleFileField(label=_("现场照片"), required=False)
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    location_accuracy = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, visit: Visit, **kwargs):
        self.visit = visit
        self.answers = list(visit.answers.all())
        self.checks = list(visit.licence_checks.all())
        initial = {
            "notes": visit.notes,
            "outcome": visit.outcome,
            "deadline": visit.deadline,
            "requirements_text": visit.requirements_text,
            "referral_department": visit.referral_department_id,
            "referral_note": visit.referral_note,
        }
        for ans in self.answers:
            initial[f"answer_{ans.pk}"] = ans.answer
            initial[f"note_{ans.pk}"] = ans.note
        for check in self.checks:
            initial[f"held_{check.pk}"] = _yes_no_initial(check.held)
            initial[f"displayed_{check.pk}"] = _yes_no_initial(check.displayed)
            initial[f"action_{check.pk}"] = check.action
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        # Issue 24, town first: the business's town's own departments, the shared ones and the city's.
        self.fields["referral_department"].queryset = Department.objects.filter(
            Q(town__isnull=True) | Q(town__villages__businesses=visit.business_id)
        )
        for ans in self.answers:
            self.fields[f"answer_{ans.pk}"] = forms.ChoiceField(
                label=ans.text, required=False, choices=Answer.choices, widget=forms.RadioSelect
            )
            self.fields[f"note_{ans.pk}"] = forms.CharField(label=_("说明"), required=False, max_length=300)
            self.fields[f"photo_{ans.pk}"] = forms.FileField(
                label=_("拍照"), required=False, widget=_camera_input()
            )
        for check in self.checks:
            self.fields[f"held_{check.pk}"] = forms.ChoiceField(
                label=_("持证"), required=False, choices=YES_NO
            )
            self.fields[f"displayed_{check.pk}"] = forms.ChoiceField(
                label=_("亮证"), required=False, choices=YES_NO
            )
            self.fields[f"action_{check.pk}"] = forms.ChoiceField(
                label=_("证照处理"), required=False, choices=LicenceAction.choices
            )
        for name, field in self.fields.items():
            if name.startswith(("held_", "displayed_", "action_")):
                field.widget.attrs["class"] = "form-select"
            elif name.startswith("note_"):
                field.widget.attrs.update(
                    {"class": "form-control", "placeholder": _("说明（可选）"), "maxlength": 300}
                )
            elif name.startswith("photo_") or name == "photos":
                field.widget.attrs["class"] = "form-control"

    def answer_rows(self):
        """One row per checklist item with its bound fields, for the template."""
        photos: dict[int, list] = {}
        for photo in self.visit.photos.all():
            photos.setdefault(photo.answer_id, []).append(photo)
        for ans in self.answers:
            yield {
                "answer": ans,
                "choice": self[f"answer_{ans.pk}"],
                "note": self[f"note_{ans.pk}"],
                "photo": self[f"photo_{ans.pk}"],
                "photos": photos.get(ans.pk, []),
                "value": self[f"answer_{ans.pk}"].value() or "",
            }

    def licence_rows(self):
        for check in self.checks:
            yield {
                "check": check,
                "held": self[f"held_{check.pk}"],
                "displayed": self[f"displayed_{check.pk}"],
                "action": self[f"action_{check.pk}"],
                # Tapped, not picked from a drop-down (one thumb on a phone, issue 19).
                "held_and_displayed": (self[f"held_{check.pk}"], self[f"displayed_{check.pk}"]),
            }

    def general_photos(self):
        return [p for p in self.visit.photos.all() if p.answer_id is None]

    def to_input(self) -> services.VisitInput:
        data = self.cleaned_data
        photos = [(None, f) for f in data.get("photos") or []]
        for ans in self.answers:
            upload = data.get(f"photo_{ans.pk}")
            if upload:
                photos.append((ans.pk, upload))
        return services.VisitInput(
            answers={
                ans.pk: services.AnswerInput(
                    answer=data.get(f"answer_{ans.pk}") or "", note=data.get(f"note_{ans.pk}") or ""
                )
                for ans in self.answers
            },
            licences={
                c.pk: services.LicenceInput(
                    held=_yes_no(data.get(f"held_{c.pk}")),
                    displayed=_yes_no(data.get(f"displayed_{c.pk}")),
                    action=data.get(f"action_{c.pk}") or "",
                )
                for c in self.checks
            },
            notes=data.get("notes") or "",
            outcome=data.get("outcome") or "",
            deadline=data.get("deadline"),
            requirements_text=data.get("requirements_text") or "",
            referral_department=data.get("referral_department"),
            referral_note=data.get("referral_note") or "",
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            location_accuracy=data.get("location_accuracy"),
            photos=photos,
        )

    def add_service_errors(self, exc) -> None:
        """Put a service's ValidationError on the field it names (licence_<id> → held_<id>)."""
        apply_service_errors(self, exc, rename=lambda key: re.sub(r"^licence_", "held_", key))


class AmendmentForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("更正内容"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("更正原因"), max_length=200)


class ChecklistReviseForm(StyledFormMixin, forms.Form):
    """A revision of a checklist: one line per item, `代码 | 要求编号 | 检查内容 | 须拍照(是/否) | 分值`."""

    title = forms.CharField(label=_("名称"), max_length=100)
    note = forms.CharField(label=_("修订说明"), max_length=200)
    items = forms.CharField(
        label=_("检查条目"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"}),
        help_text=_(
            "每行一个条目：条目代码 | 依据要求编号 | 检查内容 | 不符合须拍照（是/否） | "
            "分值（可省略，默认10）"
        ),
    )

    @staticmethod
    def lines_for(template: ChecklistTemplate) -> str:
        lines = []
        for i in template.items.all():
            photo = "是" if i.requires_photo_on_failure else "否"
            lines.append(f"{i.code} | {i.requirement} | {i.text} | {photo} | {i.weight}")
        return "\n".join(lines)

    def clean_items(self) -> list[services.ItemInput]:
        items, errors = [], []
        for n, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            if len(parts) < 3:
                errors.append(_("第%(n)d行：至少需要“条目代码 | 要求编号 | 检查内容”三列。") % {"n": n})
                continue
            photo = len(parts) > 3 and parts[3] in ("是", "1", "Y", "y", "yes", "true")
            weight = 10
            if len(parts) > 4 and parts[4]:
                if not parts[4].isdigit() or not 1 <= int(parts[4]) <= 100:
                    errors.append(_("第%(n)d行：分值应为1–100的整数。") % {"n": n})
                    continue
                weight = int(parts[4])
            items.append(services.ItemInput(parts[0], parts[1], parts[2], "", photo, weight))
        if errors:
            raise forms.ValidationError(errors)
        return items


class FrequencyRuleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = FrequencyRule
        fields = ["min_score", "interval_days", "note"]


class _FrequencyRuleFormSet(BoundedFormSetMixin, forms.BaseModelFormSet):
    pass


FrequencyRuleFormSet = forms.modelformset_factory(
    FrequencyRule, form=FrequencyRuleForm, formset=_FrequencyRuleFormSet, extra=0
)


class DeadlineChangeForm(StyledFormMixin, forms.Form):
    """Move an open order's deadline; the service checks the dates (Chinese messages on the fields)."""

    deadline = forms.DateField(label=_("新的整改期限"), widget=DateInput())
    reason = forms.CharField(
        label=_("调整原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：经营者申请延期并经批准、原期限填写有误等；记入通知书的期限调整记录"),
        error_messages={"required": _("请填写调整原因。")},
    )

    def add_service_errors(self, exc) -> None:
        apply_service_errors(self, exc)
