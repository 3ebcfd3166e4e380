from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.validators import normalise_phone, validate_phone
from lib.forms import StyledFormMixin

from .choices import ReminderKind


class PreferencesForm(StyledFormMixin, forms.Form):
    """Which kinds of reminder also go by email and by SMS; the inbox always gets them all."""

    email_kinds = forms.MultipleChoiceField(
        label=_("同时发送邮件"),
        choices=ReminderKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sms_kinds = forms.MultipleChoiceField(
        label=_("同时发送短信"),
        choices=ReminderKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mobile = forms.CharField(label=_("接收短信的手机号码"), max_length=20, required=False)

    def clean_mobile(self) -> str:
        mobile = normalise_phone(self.cleaned_data.get("mobile"))
        if mobile:
            validate_phone(mobile)
        return mobile

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sms_kinds") and not cleaned.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", _("选择了短信提醒，请填写接收短信的手机号码。"))
        return cleaned
