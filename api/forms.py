"""Forms of the token page."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lib.forms import StyledFormMixin


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("用途"), max_length=60, help_text=_("例如：离线检查 App、部门报表"))


class ServiceTokenForm(TokenForm):
    user = forms.ModelChoiceField(
        label=_("服务账号"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        help_text=_("令牌以该账号的角色和范围访问；服务账号在“用户管理”中建立"),
    )
