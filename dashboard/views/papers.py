"""Work bulletins (U2), acceptance records, the ranking and the circular (P2). Town-wide documents:
read by leadership, the office and supervisors; written by the office. Files are served only here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.scoping import current_campaign
from campaigns.models import Campaign
from lib import pdf
from lib.files import serve_private_file
from lib.forms import apply_service_errors

from .. import selectors, services
from ..choices import AcceptanceKind
from ..forms import AcceptanceRecordForm, CircularForm
from ..models import AcceptanceRecord

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _reader(request) -> Campaign | None:
    if not access.can_read_town_documents(request.user):
        raise Http404
    return current_campaign(request.user)


def _manager(request) -> Campaign:
    if not access.can_manage_papers(request.user):
        raise Http404
    campaign = current_campaign(request.user)
    if campaign is None:
        raise Http404
    return campaign


# --- bulletins --------------------------------------------------------------------------------------


@login_required
def bulletin_list(request):
    campaign = _reader(request)
    return render(
        request,
        "dashboard/bulletin_list.html",
        {"bulletins": selectors.bulletins(campaign), "can_manage": access.can_manage_papers(request.user)},
    )


@login_required
@require_POST
def bulletin_create(request):
    campaign = _manager(request)
    try:
        bulletin = services.bulletin_create(campaign=campaign, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已生成%(name)s。") % {"name": bulletin})
    return redirect("dashboard:bulletin_list")


@login_required
def bulletin_download(request, pk: int):
    _reader(request)
    bulletin = get_object_or_404(selectors.bulletin_queryset(user=request.user), pk=pk)
    return serve_private_file(request, bulletin.file, as_attachment=True, filename=bulletin.filename)


@login_required
def bulletin_pdf(request, pk: int):
    """The bulletin as PDF, made by a worker with LibreOffice (issue 17); the .docx stays the original."""
    _reader(request)
    bulletin = get_object_or_404(selectors.bulletin_queryset(user=request.user), pk=pk)
    return stored_pdf(request, bulletin, "dashboard:bulletin_download")


def stored_pdf(request, paper, download_url_name: str):
    """A paper's stored .docx (`paper.file`, `paper.filename`) as PDF (lib.pdf, made by a worker); the
    page offers the .docx at `download_url_name` meanwhile (the town's bulletins)."""
    with paper.file.open("rb") as handle:
        data = handle.read()
    return pdf.pdf_response(
        request,
        data,
        filename=paper.filename.replace(".docx", ".pdf"),
        docx_url=reverse(download_url_name, args=[paper.pk]),
    )


# --- acceptance (P2) --------------------------------------------------------------------------------


@login_required
def acceptance_list(request):
    campaign = _reader(request)
    records = selectors.acceptance_records(campaign)
    return render(
        request,
        "dashboard/acceptance_list.html",
        {
            "villages": [r for r in records if r.kind == AcceptanceKind.VILLAGE],
            "departments": [r for r in records if r.kind == AcceptanceKind.DEPARTMENT],
            "can_manage": access.can_manage_papers(request.user),
            "phase": campaign.phase_on() if campaign else None,
        },
    )


@login_required
def acceptance_detail(request, pk: int):
    _reader(request)
    record = get_object_or_404(selectors.acceptance_queryset(user=request.user), pk=pk)
    return render(
        request,
        "dashboard/acceptance_detail.html",
        {
            "record": record,
            "checks": selectors.acceptance_checks(record),
            "can_manage": access.can_manage_papers(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def acceptance_edit(request, kind: str | None = None, pk: int | None = None):
    campaign = _manager(request)
    record = (
        get_object_or_404(selectors.acceptance_queryset(user=request.user).filter(campaign=campaign), pk=pk)
        if pk
        else AcceptanceRecord(campaign=campaign)
    )
    kind = record.kind if pk else kind
    if kind not in AcceptanceKind.values:
        raise Http404
    form = AcceptanceRecordForm(request.POST or None, instance=record, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.acceptance_record_save(
                record=form.save(commit=False), scores=form.scores(), user=request.user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("验收记录已保存。"))
            return redirect(record)
    return render(
        request,
        "dashboard/acceptance_form.html",
        {"form": form, "record": record, "kind": AcceptanceKind(kind)},
    )


@login_required
def ranking(request):
    campaign = _reader(request)
    if campaign is None:
        raise Http404
    return render(
        request,
        "dashboard/ranking.html",
        {
            "ranking": selectors.ranking(campaign),
            "weight": int(selectors.TARGET_WEIGHT * 100),
            "circulars": selectors.circulars(campaign),
            "can_manage": access.can_manage_papers(request.user),
        },
    )


# --- circulars --------------------------------------------------------------------------------------


@login_required
@require_POST
def circular_create(request):
    campaign = _manager(request)
    circular = services.circular_draft(campaign=campaign)
    messages.success(request, _("通报草稿已生成，请审改后印发。"))
    return redirect(circular)


@login_required
@require_http_methods(["GET", "POST"])
def circular_detail(request, pk: int):
    _reader(request)
    circular = get_object_or_404(selectors.circular_queryset(user=request.user), pk=pk)
    editable = access.can_manage_papers(request.user) and not circular.is_issued
    form = CircularForm(request.POST or None, instance=circular) if editable else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.circular_update(circular=circular, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("通报已保存。"))
                return redirect(circular)
    return render(request, "dashboard/circular_detail.html", {"circular": circular, "form": form})


@login_required
@require_POST
def circular_issue(request, pk: int):
    _manager(request)
    circular = get_object_or_404(selectors.circular_queryset(user=request.user), pk=pk)
    try:
        services.circular_issue(circular=circular, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("通报已印发，内容已锁定。"))
    return redirect(circular)


@login_required
def circular_download(request, pk: int):
    _reader(request)
    circular = get_object_or_404(selectors.circular_queryset(user=request.user), pk=pk)
    if circular.is_issued and circular.file:
        return serve_private_file(request, circular.file, as_attachment=True, filename=circular.filename)
    response = HttpResponse(services.circular_document(circular), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''circular-draft-{circular.number}.docx"
    return response


@login_required
def circular_pdf(request, pk: int):
    """The circular (the issued file, or the draft as it reads now) as PDF, made by a worker (issue 17)."""
    _reader(request)
    circular = get_object_or_404(selectors.circular_queryset(user=request.user), pk=pk)
    if circular.is_issued and circular.file:
        with circular.file.open("rb") as handle:
            data = handle.read()
    else:
        data = services.circular_document(circular)
    return pdf.pdf_response(
        request,
        data,
        filename=f"{circular.title}.pdf",
        docx_url=reverse("dashboard:circular_download", args=[circular.pk]),
    )
