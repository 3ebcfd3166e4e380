"""The Django admin for every roster model, for the office's power users."""

from django.contrib import admin

from . import models, services


@admin.register(models.Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(models.TownSettings)
class TownSettingsAdmin(admin.ModelAdmin):
    """Issue 24: a town's own settings (the office edits them in the app too); saved through the service so
    a changed ledger window moves the town's kept figures."""

    list_display = ["town", "ledger_window_days", "return_check_days", "masthead", "number_prefix"]

    def save_model(self, request, obj, form, change):
        services.town_settings_save(row=obj)


@admin.register(models.Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "town", "is_town_centre", "order"]
    list_filter = ["town", "is_town_centre"]
    search_fields = ["name", "code"]


@admin.register(models.Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ["name", "village", "is_model"]
    list_filter = ["is_model"]


@admin.register(models.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "level", "town", "leads_unlicensed"]
    list_filter = ["level", "town"]


class SubTypeInline(admin.TabularInline):
    model = models.SubType
    extra = 0


class RequirementInline(admin.TabularInline):
    model = models.LicenceRequirement
    extra = 0


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "lead_department", "order"]
    inlines = [SubTypeInline, RequirementInline]
    filter_horizontal = ["helper_departments"]


@admin.register(models.LicenceType)
class LicenceTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "issuer"]
    filter_horizontal = ["equivalents"]


class LicenceInline(admin.TabularInline):
    model = models.Licence
    extra = 0


@admin.register(models.Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "village", "operator", "credit_code", "status", "is_model"]
    list_filter = ["category", "village", "status", "is_model", "is_town_centre"]
    search_fields = ["name", "operator", "credit_code", "licences__number"]
    list_select_related = ["category", "village"]
    filter_horizontal = ["subtypes"]
    inlines = [LicenceInline]

    def has_delete_permission(self, request, obj=None):
        return False  # never hard-deleted: close or ban instead


@admin.register(models.Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["number", "licence_type", "business", "state", "issued_on", "expires_on", "displayed"]
    list_filter = ["licence_type", "state", "displayed"]
    search_fields = ["number", "business__name"]
    list_select_related = ["licence_type", "business"]
    raw_id_fields = ["business"]


class PhaseInline(admin.TabularInline):
    model = models.Phase
    extra = 0


class LeadingGroupInline(admin.TabularInline):
    model = models.LeadingGroupMember
    extra = 0


@admin.register(models.Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "starts_on", "ends_on", "is_current"]
    inlines = [PhaseInline, LeadingGroupInline]

    def save_related(self, request, form, formsets, change):
        """O1: a town's new campaign added here with no member of its own keeps the town's leading group
        (the previous campaign's members, as on 本镇专项)."""
        super().save_related(request, form, formsets, change)
        campaign = form.instance
        if not change and campaign.town_id is not None:
            services.leading_group_copy(
                campaign=campaign, source=services.leading_group_source(campaign.town, exclude=campaign)
            )


@admin.register(models.ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Who imported which roster file when, and what it changed (issue 4); read-only."""

    list_display = ["file_name", "user", "status", "created_at", "imported_at", "total_rows"]
    list_filter = ["status"]
    search_fields = ["file_name", "user__username"]
    readonly_fields = [f.name for f in models.ImportRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
