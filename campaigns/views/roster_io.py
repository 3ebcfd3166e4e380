"""Roster import and export pages (issue 4). Thin: who may, a form, a service, a redirect or a file."""

import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from lib.forms import StyledFormMixin
from lib.workbook import ACCEPT, BadFile

from .. import selectors
from ..filters import BusinessFilter
from ..models import ImportRecord, ImportStatus
from ..roster_io import services
from ..roster_io.columns import BUSINESS_COLUMNS, LICENCE_COLUMNS
from ..roster_io.exporting import write_error_workbook, write_roster
from ..roster_io.importing import read_workbook
from ..roster_io.template import write_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 500


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("名册文件（.xlsx、.xls、.ods 或 .csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


def _xlsx_response(write, filename: str) -> FileResponse:
    """Write a workbook to a temporary file and stream it: memory stays flat for 100,000 rows."""
    tmp = tempfile.TemporaryFile()
    write(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX)


def _own_record(request, pk: int) -> ImportRecord:
    """An import belongs to the user (and the session) that uploaded it; anyone else gets a 404."""
    record = get_object_or_404(selectors.import_records(user=request.user), pk=pk)
    if (
        record.session_key
        and record.session_key != request.session.session_key
        and record.status
        in (
            ImportStatus.PREVIEWING,
            ImportStatus.PREVIEWED,
        )
    ):
        raise Http404
    return record


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request):
    if not access.may_import(request.user):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if not request.session.session_key:
            request.session.save()
        try:
            record = services.import_record_create(
                user=request.user, session_key=request.session.session_key, upload=form.cleaned_data["file"]
            )
        except BadFile as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("campaigns:roster_import_detail", pk=record.pk)
    recent = ImportRecord.objects.filter(user=request.user).order_by("-created_at")[:10]
    return render(
        request,
        "campaigns/roster_import.html",
        {
            "form": form,
            "recent": recent,
            "business_columns": BUSINESS_COLUMNS,
            "licence_columns": LICENCE_COLUMNS,
            "max_mb": settings.WUXIAO_UPLOAD_MAX_MB,
        },
    )


@login_required
def roster_import_detail(request, pk: int):
    record = _own_record(request, pk)
    return render(
        request,
        "campaigns/roster_import_detail.html",
        {
            "record": record,
            "errors": record.errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(record.errors) - ERRORS_SHOWN),
            "can_confirm": record.status == ImportStatus.PREVIEWED
            and not record.errors
            and not record.message,
        },
    )


@login_required
def roster_import_progress(request, pk: int):
    record = _own_record(request, pk)
    return JsonResponse(
        {
            "status": record.status,
            "running": record.is_running,
            "stage": record.stage,
            "processed": record.processed_rows,
            "total": record.total_rows,
            "percent": record.percent,
        }
    )


@login_required
@require_POST
def roster_import_confirm(request, pk: int):
    record = _own_record(request, pk)
    try:
        services.import_record_confirm(record=record)
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("campaigns:roster_import_detail", pk=record.pk)


@login_required
def roster_import_errors(request, pk: int):
    """The preview's errors as a workbook: the original rows with an error column, to fix and re-upload."""
    record = _own_record(request, pk)
    path = services.stored_file(record)
    if not record.errors or not path.exists():
        raise Http404
    stem = record.file_name.rsplit(".", 1)[0]

    def write(fh):
        with read_workbook(path, display_name=record.file_name) as book:
            sheets = [(s.name, s.headers, s.rows) for s in book.sheets]
            write_error_workbook(sheets=sheets, errors=record.errors, target=fh)

    return _xlsx_response(write, f"{stem}-错误.xlsx")


@login_required
def roster_template(request):
    return _xlsx_response(write_template, "经营单位名册模板.xlsx")


@login_required
def roster_export(request):
    """The roster as the page shows it: the same filters, the same scope."""
    filterset = BusinessFilter(
        request.GET, queryset=selectors.business_list(user=request.user), request=request
    )
    queryset = filterset.qs
    return _xlsx_response(
        lambda fh: write_roster(queryset, fh), f"经营单位名册-{timezone.localdate():%Y%m%d}.xlsx"
    )
