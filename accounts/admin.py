from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import LoginEvent, RoleAssignment

# Issue 24, town first: the Django admin has no notion of a user's towns — its lists and forms show every
# town's rows. So in an installation serving several towns it is for superusers only (the city's
# technical staff); a town's office works in the app's own pages, which are scoped. A single-town install
# keeps its staff users' admin as before (docs/architecture.md, "Town first").
_staff_permission = admin.site.has_permission


def _admin_permission(request) -> bool:
    if not _staff_permission(request):
        return False
    if request.user.is_superuser:
        return True
    return apps.get_model("campaigns", "Town").objects.count() < 2


admin.site.has_permission = _admin_permission


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "town", "village", "department", "business"]
    list_filter = ["kind", "town", "village", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["business"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """The record is for reading: nobody adds, changes or deletes entries, superusers included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# auditlog's own admin lets a cascade delete through; the audit trail here is never deleted.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditEntryAdmin(ReadOnlyAdmin, LogEntryAdmin):
    pass


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["username"]
    date_hierarchy = "at"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Users are deactivated, never deleted: every change must stay traceable to a person."""

    def has_delete_permission(self, request, obj=None):
        return False
