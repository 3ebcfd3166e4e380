"""Forms of the enforcement tools: the public tip-off form and the office's triage and case forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from campaigns.models import Business, Category, Department, Town, Village
from campaigns.validators import normalise_phone, validate_phone
from lib.forms import BusinessField, DateInput, MultipleFileInput, StyledFormMixin

from ..antispam import TokenExpired, form_token, token_spam_reason
from ..choices import TipOffStatus
from ..selectors import visit_inspector_choices
from ..services.tipoffs import NO_BUSINESS_FOR_CHECK
from ..uploads import TIPOFF_MAX_PHOTOS, TIPOFF_PHOTO_MAX_MB, clean_image


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; each is checked and re-encoded (see uploads.clean_image)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > TIPOFF_MAX_PHOTOS:
            raise ValidationError(_("最多上传 %(n)d 张照片。") % {"n": TIPOFF_MAX_PHOTOS})
        cleaned, errors = [], []
        for i, upload in enumerate(files, start=1):
            try:
                cleaned.append(clean_image(upload, label=_("照片%(i)d") % {"i": i}))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class TipOffForm(StyledFormMixin, forms.Form):
    """The public tip-off form (W5). No login; contact is optional and kept private.

    `website` is a honeypot: hidden from people by CSS, filled by bots. `token` carries the signed time
    the form was shown. Either failing does not show an error (that would teach a bot): the tip-off is
    stored flagged as spam and the sender sees the same thank-you page.
    """

    content = forms.CharField(
        label=_("举报内容"),
        max_length=2000,
        min_length=5,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("发现了什么问题？如无证经营、销售假冒伪劣、过期食品等")}
        ),
    )
    # Issue 24: in an installation serving several towns the tipster names the town (镇（街道）) when
    # the village is 不清楚, so the tip-off reaches that town's office and no other (TipOff.town).
    town = forms.ModelChoiceField(
        label=_("所在镇（街道）"),
        queryset=Town.objects.all(),
        required=False,
        empty_label=_("请选择"),
        help_text=_("不清楚村（社区）时必选"),
    )
    village = forms.ModelChoiceField(
        label=_("所在村（社区）"),
        queryset=Village.objects.select_related("town"),
        required=False,
        empty_label=_("不清楚"),
    )
    place = forms.CharField(label=_("具体地点"), max_length=200, required=False)
    business_name = forms.CharField(
        label=_("被举报单位名称"), max_length=100, required=False, help_text=_("如知道请填写，不知道可不填")
    )
    photos = MultiplePhotoField(
        label=_("现场照片"),
        required=False,
        help_text=_("可选，最多 %(n)d 张，每张不超过 %(mb)d MB")
        % {"n": TIPOFF_MAX_PHOTOS, "mb": TIPOFF_PHOTO_MAX_MB},
    )
    contact_name = forms.CharField(label=_("您的称呼"), max_length=30, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        help_text=_("可选。仅镇专项整治办公室可见，用于核实情况和发放奖励，绝不公开"),
    )
    wants_reward = forms.BooleanField(label=_("查实后申请举报奖励（需留联系电话）"), required=False)
    website = forms.CharField(
        label=_("网址"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["token"] = form_token()
        self.spam_reason = ""
        if Town.objects.count() < 2:  # one town: nothing to choose (and nothing changes)
            del self.fields["town"]

    def clean_contact_phone(self):
        phone = normalise_phone(self.cleaned_data.get("contact_phone"))
        if phone:
            validate_phone(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wants_reward") and not cleaned.get("contact_phone"):
            self.add_error("contact_phone", _("申请举报奖励需要留下联系电话，以便查实后联系您。"))
        if "town" in self.fields and not cleaned.get("village") and not cleaned.get("town"):
            self.add_error("town", _("不清楚村（社区）时，请选择所在镇（街道）。"))
        try:
            reason = token_spam_reason(self.data.get("token", ""))
        except TokenExpired:
            raise ValidationError(_("页面已打开超过一天，请刷新页面后重新提交。")) from None
        if self.data.get("website"):
            reason = "honeypot"
        self.spam_reason = reason
        return cleaned


class TipOffTriageForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("办理状态"), choices=TipOffStatus.choices)
    lead_department = forms.ModelChoiceField(
        label=_("承办部门"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("留空时按关联经营单位的类别自动确定牵头部门"),
    )
    business = BusinessField(label=_("关联经营单位"), queryset=Business.objects.all(), required=False)
    new_business_name = forms.CharField(
        label=_("或新建经营单位（名称）"),
        max_length=100,
        required=False,
        help_text=_("名册中没有时填写，村（社区）取举报所填"),
    )
    new_business_category = forms.ModelChoiceField(
        label=_("新建单位类别"), queryset=Category.objects.all(), required=False
    )
    triage_note = forms.CharField(
        label=_("办理情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, **kwargs):
        """`user`: the office triaging — it links units and departments of its own towns (issue 24)."""
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["business"].queryset = scoping.scope(user, Business.objects.all(), write=True)
            self.fields["lead_department"].queryset = scoping.departments(user)


class TipOffCheckForm(StyledFormMixin, forms.Form):
    """Schedule the 举报核查 visit: who goes and when (W5)."""

    inspector = forms.ModelChoiceField(
        label=_("核查人员"),
        queryset=get_user_model().objects.none(),
        help_text=_("该单位所在村（社区）的检查员、牵头部门人员或镇办公室人员"),
    )
    planned_on = forms.DateField(label=_("核查日期"), widget=DateInput())

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        self.business = business
        field = self.fields["inspector"]
        if business is not None:
            field.queryset = visit_inspector_choices(business)
        else:  # nothing to choose yet: say why, instead of "select a valid choice"
            for f in self.fields.values():
                f.required = False
        field.label_from_instance = lambda u: u.get_full_name() or u.username
        self.initial.setdefault("planned_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if self.business is None:
            raise ValidationError(NO_BUSINESS_FOR_CHECK)
        return cleaned


class TipOffRewardForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(label=_("奖励金额（元）"), min_value=0, max_digits=8, decimal_places=2)
    paid_on = forms.DateField(label=_("发放日期"), required=False, widget=DateInput())
