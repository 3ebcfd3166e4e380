"""Forms of the office's user management: the account, its password, its roles."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from lib.forms import BoundedFormSetMixin, BusinessField, StyledFormMixin

from . import scoping
from .choices import RoleKind
from .models import RoleAssignment

User = get_user_model()


class UserForm(StyledFormMixin, forms.ModelForm):
    """The account. The password pair is required for a new user, optional (keep) on edit."""

    password1 = forms.CharField(
        label=_("密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "email", "is_active"]
        labels = {"first_name": _("姓名"), "email": _("电子邮箱"), "is_active": _("启用")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = " ".join(password_validators_help_texts())
        self.fields["password1"].help_text = rules
        if self.instance.pk:
            self.fields["password1"].label = _("新密码")
            self.fields["password1"].help_text = f"{_('不修改请留空。')} {rules}"
        else:
            self.fields["password1"].required = True
            self.fields["password2"].required = True
            self.fields.pop("is_active")

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if (p1 or p2) and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned


class RoleForm(StyledFormMixin, forms.ModelForm):
    """One role with its scope; the model's clean() says which scope each role needs."""

    business = BusinessField(label=_("经营单位"), queryset=None, required=False)

    class Meta:
        model = RoleAssignment
        fields = ["kind", "town", "village", "department", "business"]

    def __init__(self, *args, actor=None, **kwargs):
        """`actor`: the user managing roles. Issue 24, town first: a town's office offers its own towns'
        villages, departments and businesses only (and the town field only where there are several)."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "---------"), *RoleKind.choices]
        # The roster's businesses the actor reaches (the office: its towns'), by the role field's model.
        businesses = RoleAssignment._meta.get_field("business").related_model
        towns = RoleAssignment._meta.get_field("town").related_model
        if actor is None:
            self.fields["business"].queryset = businesses.objects.all()
        else:
            self.fields["business"].queryset = scoping.scope(actor, businesses.objects.all(), write=True)
            self.fields["village"].queryset = scoping.villages(actor)
            self.fields["department"].queryset = scoping.departments(actor)
            self.fields["town"].queryset = towns.objects.filter(scoping.town_q(actor, "pk"))
        if towns.objects.count() <= 1:
            self.fields.pop("town")  # one town: every role is held in it (RoleAssignment.clean)
        else:
            self.fields["town"].help_text = _("镇办公室、领导、督查组和牵头部门须选；其他角色随所选范围。")
        if self.instance.business_id:  # the label, from the formset's select_related
            self.initial["business"] = self.instance.business


class _RoleFormSet(BoundedFormSetMixin, forms.BaseModelFormSet):
    pass


RoleFormSet = forms.modelformset_factory(
    RoleAssignment, form=RoleForm, formset=_RoleFormSet, extra=2, can_delete=True
)
