from django.contrib import admin

from . import models
from .enforcement import admin as enforcement_admin  # noqa: F401  (registers the enforcement models)


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
