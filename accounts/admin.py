from django.contrib import admin

from .models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "village", "department", "business"]
    list_filter = ["kind", "village", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["business"]
