"""The city's own bulletin and circular on its towns (issue 24, O5): a city leader drafts them from the city
figures (the towns ranked, those below a target named with their figures), edits the draft's text, reads it
as .docx or PDF, and issues it (印发), which freezes it and stores the .docx — the life of the town's
circular (dashboard/views/papers.py). A town's staff and the city's bureaus never reach these pages (404):
the city's papers are the city leadership's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.access import rule_required
from lib import pdf
from lib.files import serve_private_file
from lib.forms import apply_service_errors
from lib.lists import paginate

from .. import selectors, services
from ..forms import CityPaperForm, CityPaperTextForm
from .papers import DOCX


@rule_required(access.can_manage_city_papers)
@require_http_methods(["GET", "POST"])
def city_papers(request):
    """The city's papers, newest first; the form drafts the next bulletin or circular."""
    form = CityPaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.city_paper_draft(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已起草%(ref)s《%(title)s》，请审改后印发。") % {
                "ref": paper.reference, "title": paper.title})  # fmt: skip
            return redirect(paper)
    page = paginate(request, selectors.city_papers(user=request.user))
    return render(request, "dashboard/city_papers.html", {"form": form, "page": page})


@rule_required(access.can_manage_city_papers)
@require_http_methods(["GET", "POST"])
def city_paper_detail(request, pk: int):
    """A paper: its text, editable while a draft; issued, read only."""
    paper = get_object_or_404(selectors.city_papers(user=request.user), pk=pk)
    form = None if paper.is_issued else CityPaperTextForm(request.POST or None, instance=paper)
    if request.method == "POST":
        if form is None:
            messages.error(request, _("%(ref)s已印发，不能再修改。") % {"ref": paper.reference})
            return redirect(paper)
        if form.is_valid():
            try:
                services.city_paper_update(paper=paper, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("草稿已保存。"))
                return redirect(paper)
    return render(request, "dashboard/city_paper_detail.html", {"paper": paper, "form": form})


@rule_required(access.can_manage_city_papers)
@require_POST
def city_paper_issue(request, pk: int):
    paper = get_object_or_404(selectors.city_papers(user=request.user), pk=pk)
    try:
        services.city_paper_issue(paper=paper, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(ref)s已印发，内容已锁定。") % {"ref": paper.reference})
    return redirect(paper)


def _docx(paper) -> bytes:
    """The issued file as stored, or the draft as it reads now."""
    if paper.is_issued and paper.file:
        with paper.file.open("rb") as handle:
            return handle.read()
    return services.city_paper_document(paper)


@rule_required(access.can_manage_city_papers)
def city_paper_download(request, pk: int):
    paper = get_object_or_404(selectors.city_papers(user=request.user), pk=pk)
    if paper.is_issued:
        if not paper.file:
            raise Http404
        return serve_private_file(request, paper.file, as_attachment=True, filename=paper.filename)
    response = HttpResponse(services.city_paper_document(paper), content_type=DOCX)
    name = f"city-{paper.kind}-draft-{paper.year}-{paper.number}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@rule_required(access.can_manage_city_papers)
def city_paper_pdf(request, pk: int):
    """The paper (the issued file, or the draft as it reads now) as PDF, made by a worker with LibreOffice
    like the town's (lib.pdf)."""
    paper = get_object_or_404(selectors.city_papers(user=request.user), pk=pk)
    if paper.is_issued and not paper.file:
        raise Http404
    return pdf.pdf_response(
        request,
        _docx(paper),
        filename=paper.filename.replace(".docx", ".pdf"),
        docx_url=reverse("dashboard:city_paper_download", args=[paper.pk]),
    )
