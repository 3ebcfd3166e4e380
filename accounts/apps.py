from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("用户与角色")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth import get_user_model

        from . import signals  # noqa: F401  (login records)
        from .models import RoleAssignment

        # Issue 3: users and roles are on record too. The password hash never enters a log entry (a
        # change is recorded as "已修改" by the service), nor the last-login stamp (LoginEvent has it).
        auditlog.register(get_user_model(), exclude_fields=["password", "last_login"])
        auditlog.register(RoleAssignment)
