from django.contrib import admin

from accounts.scoping import reach

from . import models
from .models import Sample, SpotCheckDraw, SpotCheckPair, TipOff, TipOffPhoto, UnlicensedCase


class ChecklistItemInline(admin.TabularInline):
    model = models.ChecklistItem
    extra = 0


@admin.register(models.ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "version", "is_current", "created_at"]
    list_filter = ["category", "is_current"]
    inlines = [ChecklistItemInline]


@admin.register(models.FrequencyRule)
class FrequencyRuleAdmin(admin.ModelAdmin):
    list_display = ["grade", "min_score", "interval_days", "note"]


class VisitAnswerInline(admin.TabularInline):
    model = models.VisitAnswer
    extra = 0
    fields = ["code", "requirement", "text", "answer", "note", "is_relapse"]
    readonly_fields = fields


@admin.register(models.Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["business", "kind", "status", "outcome", "score", "started_at"]
    list_filter = ["status", "kind", "outcome"]
    search_fields = ["business__name"]
    raw_id_fields = ["business", "reinspection_of", "tipoff"]
    inlines = [VisitAnswerInline]


@admin.register(models.RectificationOrder)
class RectificationOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "business", "issued_on", "deadline", "status"]
    list_filter = ["status"]
    search_fields = ["number", "business__name"]
    raw_id_fields = ["business", "visit", "closed_by", "successor", "return_check_visit"]
    filter_horizontal = []


@admin.register(models.InspectionProfile)
class InspectionProfileAdmin(admin.ModelAdmin):
    list_display = ["business", "grade", "hygiene_grade", "last_visit_on", "last_score", "next_due_on"]
    list_filter = ["grade", "hygiene_grade"]
    raw_id_fields = ["business"]


# --- tip-offs, unlicensed-unit cases, spot checks, sampling (issue 7) ---------------------------------
# Admin for the enforcement tools (issue 7). Registered from inspections/admin.py.
#
# What the services decide stays with the services: a draw and its pairs are a published record (read
# only: a redraw is a new draw, made on the draw page); a sample's result, a case's outcome and a tip-off's
# triage change through their pages, which apply the rules (orders, business status, reminders). Tip-offs
# and cases are never deleted (every tip-off is kept; a relapse opens a new case beside the old one).
class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SpotCheckPairInline(ReadOnlyMixin, admin.TabularInline):
    model = SpotCheckPair
    extra = 0
    fields = ["order", "business", "visit", "own_village", "repeated_team"]
    readonly_fields = fields


@admin.register(SpotCheckDraw)
class SpotCheckDrawAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "status", "size", "planned_on", "seed", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "digest"]
    date_hierarchy = "planned_on"
    list_select_related = ["created_by"]
    inlines = [SpotCheckPairInline]


@admin.register(SpotCheckPair)
class SpotCheckPairAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["draw", "order", "business", "visit", "own_village", "repeated_team"]
    list_filter = ["own_village", "repeated_team", "draw__status"]
    search_fields = ["business__name", "draw__title"]
    list_select_related = ["draw", "business__village", "visit__business"]


@admin.register(Sample)
class SampleAdmin(admin.ModelAdmin):
    list_display = ["number", "business", "kind", "product", "sampled_on", "result", "result_on", "action"]
    list_filter = ["kind", "method", "result", "action"]  # A6: residue results are kind 蔬菜农药残留检测
    search_fields = ["number", "product", "batch", "pesticide", "business__name"]
    date_hierarchy = "sampled_on"
    list_select_related = ["business"]
    raw_id_fields = ["follow_up_of"]
    # The result and what followed from it are recorded on the sample pages (services.sampling); the
    # number, business and visit identify the sample on the lab's report and in the import (sample_io).
    readonly_fields = [
        "number",
        "business",
        "visit",
        "result",
        "result_on",
        "failing_items",
        "action",
        "order",
        "referral_department",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False  # registered from a visit or a business page, which links D6 follow-ups

    def has_delete_permission(self, request, obj=None):
        return False  # a sample taken is on record; its result may have issued an order


class TipOffPhotoInline(ReadOnlyMixin, admin.TabularInline):
    model = TipOffPhoto
    extra = 0
    fields = ["image", "width", "height", "uploaded_at"]
    readonly_fields = fields


CONTACT_FIELDS = ("contact_name", "contact_phone")


@admin.register(TipOff)
class TipOffAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read only: triage, the check, the reward and the tipster's own words go through the tip-off page
    (services.tipoffs), which applies the rules. The tipster's contact shows to the office only (W5)."""

    list_display = [
        "reference",
        "submitted_at",
        "status",
        "village",
        "business",
        "lead_department",
        "contact_name",
        "contact_phone",
        "wants_reward",
    ]
    list_filter = ["status", "spam_reason", "wants_reward", "lead_department"]
    search_fields = ["reference", "content", "business_name", "contact_name", "contact_phone"]
    date_hierarchy = "submitted_at"
    list_select_related = ["village", "business", "lead_department"]
    inlines = [TipOffPhotoInline]

    @staticmethod
    def _sees_contact(request) -> bool:
        return reach(request.user).write_all  # the office (or a superuser)

    def _hide_contact(self, request, names):
        if self._sees_contact(request):
            return list(names)
        return [n for n in names if n not in CONTACT_FIELDS]

    def get_fields(self, request, obj=None):
        return self._hide_contact(request, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self._hide_contact(
            request, [f.name for f in self.model._meta.concrete_fields if not f.primary_key]
        )

    def get_list_display(self, request):
        return self._hide_contact(request, super().get_list_display(request))

    def get_search_fields(self, request):
        # Searching by a phone number would tell whether that person sent a tip-off.
        return self._hide_contact(request, super().get_search_fields(request))


@admin.register(TipOffPhoto)
class TipOffPhotoAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["tipoff", "width", "height", "uploaded_at"]
    list_select_related = ["tipoff"]
    search_fields = ["tipoff__reference"]


@admin.register(UnlicensedCase)
class UnlicensedCaseAdmin(admin.ModelAdmin):
    list_display = ["business", "department", "source", "status", "opened_on", "resolved_on"]
    list_filter = ["status", "source", "department"]
    search_fields = ["business__name", "missing_licences", "note"]
    date_hierarchy = "opened_on"
    list_select_related = ["business", "department"]
    raw_id_fields = ["business", "tipoff", "opened_by"]
    # Closing a case sets the business's status too (services.unlicensed.case_resolve): the case page.
    readonly_fields = ["status", "resolved_on", "resolved_by", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False  # opened from the roster, a visit or a tip-off (services.unlicensed.case_open)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.DrugSaleFinding)
class DrugSaleFindingAdmin(admin.ModelAdmin):
    """D5: recorded on the page 违法售药查处 (services.findings); here to read and correct."""

    list_display = ["found_on", "business", "kind", "goods", "referred_to", "confiscated", "ordered_to_stop"]
    list_filter = ["kind", "confiscated", "ordered_to_stop"]
    search_fields = ["business__name", "goods", "affiliated_with"]
    date_hierarchy = "found_on"
    list_select_related = ["business", "referred_to"]
    raw_id_fields = ["business"]


class HolidayCheckInline(admin.TabularInline):
    model = models.HolidayCheck
    extra = 0
    raw_id_fields = ["business"]
    fields = ["business", "checked_on", "price", "bundling", "trademark", "false_ad", "fraud", "expired"]


@admin.register(models.HolidayCheckRound)
class HolidayCheckRoundAdmin(admin.ModelAdmin):
    """C4: opened and recorded on the page 节日商品检查 (services.findings); here to read and correct."""

    list_display = ["holiday", "starts_on", "ends_on"]
    search_fields = ["holiday"]
    date_hierarchy = "starts_on"
    inlines = [HolidayCheckInline]
