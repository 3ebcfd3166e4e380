"""Checklist templates (read by all; revised by the office) and the grade → frequency table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access

from .. import selectors, services
from ..forms import ChecklistReviseForm, FrequencyRuleFormSet
from ..models import ChecklistTemplate, FrequencyRule


@access.rule_required(access.works_in_field)  # the rule of its menu entry (accounts/nav.py)
def checklist_list(request):
    return render(
        request,
        "inspections/checklist_list.html",
        {
            "templates": selectors.checklist_list(),
            "rules": FrequencyRule.objects.all(),
            "can_edit": access.can_manage_reference(request.user),
        },
    )


@login_required
def checklist_detail(request, pk: int):
    template = get_object_or_404(ChecklistTemplate.objects.select_related("category", "created_by"), pk=pk)
    return render(
        request,
        "inspections/checklist_detail.html",
        {
            "template": template,
            "items": template.items.all(),
            "versions": ChecklistTemplate.objects.filter(category=template.category).order_by("-version"),
            "can_edit": access.can_manage_reference(request.user) and template.is_current,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checklist_revise(request, pk: int):
    if not access.can_manage_reference(request.user):
        raise Http404
    template = get_object_or_404(ChecklistTemplate.objects.select_related("category"), pk=pk, is_current=True)
    form = ChecklistReviseForm(
        request.POST or None,
        initial={"title": template.title, "items": ChecklistReviseForm.lines_for(template)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.checklist_revise(
                template=template,
                items=form.cleaned_data["items"],
                user=request.user,
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                form.add_error("items", errors)
        else:
            messages.success(
                request, _("已生成第%(v)d版；进行中的和已提交的检查不受影响。") % {"v": new.version}
            )
            return redirect("inspections:checklist_detail", new.pk)
    return render(request, "inspections/checklist_revise.html", {"template": template, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def frequency_edit(request):
    if not access.can_manage_reference(request.user):
        raise Http404
    formset = FrequencyRuleFormSet(request.POST or None, queryset=FrequencyRule.objects.all())
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            for form in formset.forms:
                services.frequency_rule_save(rule=form.save(commit=False))
            moved = services.frequency_table_apply()
        messages.success(
            request, _("检查频次已保存；%(n)d 家单位的下次应检日期已按新频次重排。") % {"n": moved}
        )
        return redirect("inspections:checklist_list")
    return render(request, "inspections/frequency_form.html", {"formset": formset})
