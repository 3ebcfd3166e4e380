"""Product sampling (A5, D6): register a sample from a visit or a business, record the lab's result."""

import contextlib
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.scoping import scope
from campaigns.selectors import business_queryset
from lib.forms import apply_service_errors, id_param
from lib.lists import list_page
from lib.workbook import BadFile

from .. import sample_io, selectors
from ..filters import ResidueFilter, SampleFilter
from ..forms import XLSX, ResidueResultForm, SampleForm, SampleImportForm, SampleResultForm
from ..services import sampling as services


@login_required
def sample_list(request):
    user = request.user
    if not access.can_see_samples(user):
        raise Http404
    listing = list_page(request, SampleFilter, selectors.sample_list(user=user))
    return render(
        request,
        "inspections/sample_list.html",
        {
            **listing.context(),
            "result": request.GET.get("result", ""),
            "follow_up": selectors.samples_awaiting_follow_up(user=user)[:50],
            "can_sample": access.can_sample(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sample_create(request, business_pk: int):
    """Register a sample taken at a business (optionally in one of its visits: ?visit=<id>)."""
    user = request.user
    if not access.can_sample(user):
        raise Http404
    business = get_object_or_404(business_queryset(user=user, write=True, for_sampling=True), pk=business_pk)
    visit = None
    raw = request.GET.get("visit") or request.POST.get("visit")
    if raw:
        visit_id = id_param(raw)
        if visit_id is None:
            raise Http404  # not an id at all: the same answer as a visit that is not there
        visit = get_object_or_404(selectors.visit_queryset(user=user).filter(business=business), pk=visit_id)
    form = SampleForm(request.POST or None, user=user, business=business)
    if request.method == "POST" and form.is_valid():
        sample = form.save(commit=False)
        sample.business = business
        sample.visit = visit
        try:
            services.sample_register(sample=sample, user=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("样品“%(n)s”已登记。") % {"n": sample.number})
            return redirect(sample)
    return render(
        request, "inspections/sample_form.html", {"form": form, "business": business, "visit": visit}
    )


@login_required
@require_http_methods(["GET", "POST"])
def sample_result(request):
    """Enter a lab result by the sample number printed on the report."""
    user = request.user
    if not access.can_sample(user):
        raise Http404
    form = SampleResultForm(
        request.POST or None, user=user, initial={"number": request.GET.get("number", "")}
    )
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"].strip()
        # Out of (write) scope reads as unknown: the same message as a number that does not exist. A
        # leader who is also a village's inspector records results for that village only.
        if (
            not scope(user, selectors.sample_list(user=user), "business__", write=True, for_sampling=True)
            .filter(number=number)
            .exists()
        ):
            form.add_error("number", services.unknown_sample_message(number))
        else:
            try:
                sample = services.sample_record_result(user=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("检验结果已登记。"))
                return redirect(sample)
    return render(request, "inspections/sample_result_form.html", {"form": form})


@login_required
def sample_detail(request, pk: int):
    sample = get_object_or_404(selectors.sample_detail_queryset(user=request.user), pk=pk)
    return render(
        request,
        "inspections/sample_detail.html",
        {"sample": sample, "can_trace": access.can_read_ledgers(request.user)},
    )


# Errors listed on the page; a file with more says how many there are in all.
ERRORS_SHOWN = 500


@contextlib.contextmanager
def _upload_path(upload):
    """The upload as a file on disk (the workbook checks read a path)."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name or "").suffix[:10]) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        yield Path(tmp.name)


@login_required
@require_http_methods(["GET", "POST"])
def sample_import(request):
    """Lab results in bulk from a .xlsx/.xls/.ods/.csv (A5, D6): every row right, or nothing recorded."""
    user = request.user
    if not access.can_sample(user):
        raise Http404
    form = SampleImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            with _upload_path(form.cleaned_data["file"]) as path:
                result = sample_io.sample_results_import(
                    path=path, user=user, display_name=form.cleaned_data["file"].name or ""
                )
        except BadFile as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(
                    request,
                    _("已登记 %(n)d 份样品的检验结果，其中不合格 %(f)d 份。")
                    % {"n": len(result.updated), "f": result.failed},
                )
                for warning in result.warnings:
                    messages.info(request, _("提示：%(m)s") % {"m": warning})
                return redirect("inspections:sample_list")
    return render(
        request,
        "inspections/sample_import.html",
        {
            "form": form,
            "result": result,
            "errors": result.errors[:ERRORS_SHOWN] if result else [],
            "more_errors": max(0, len(result.errors) - ERRORS_SHOWN) if result else 0,
        },
    )


@login_required
def sample_import_template(request):
    if not access.can_sample(request.user):
        raise Http404
    tmp = tempfile.TemporaryFile()
    sample_io.write_template(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename="检验结果导入模板.xlsx", content_type=XLSX)


# --- A6 vegetable pesticide-residue results ----------------------------------------------------------
@login_required
def residue_list(request):
    """A6: the residue results (quick tests and lab results), with the failed ones by pesticide; from a
    failed result one click traces the pesticide to the agri shops that sold it (the ledgers' A6 trace)."""
    user = request.user
    if not access.can_see_samples(user):
        raise Http404
    listing = list_page(request, ResidueFilter, selectors.residue_results(user=user))
    return render(
        request,
        "inspections/residue_list.html",
        {
            **listing.context(),
            "summary": selectors.residue_summary(listing.filter.qs),
            "can_sample": access.can_sample(user),
            "can_trace": access.can_read_ledgers(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def residue_create(request):
    """A6: record one residue result (a market quick test or a lab's result), sample and result at once."""
    user = request.user
    if not access.can_sample(user):
        raise Http404
    # Where the user may sample (a city bureau: the categories it helps in every town, O5).
    businesses = business_queryset(user=user, write=True, for_sampling=True)
    form = ResidueResultForm(request.POST or None, businesses=businesses)
    if request.method == "POST" and form.is_valid():
        try:
            sample = services.residue_result_record(sample=form.instance, user=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("农残检测结果“%(n)s”已登记。") % {"n": sample.number})
            return redirect(sample)
    return render(request, "inspections/residue_form.html", {"form": form})
