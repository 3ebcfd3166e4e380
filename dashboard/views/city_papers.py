"""The city's own bulletin and circular on its towns (issue 24, O5): a city leader drafts them from the city
figures (the towns ranked, those below a target named with their figures) and downloads them as .docx or
PDF. A town's staff never reach these pages (404): the city's papers are the city's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.access import rule_required
from lib.files import serve_private_file
from lib.lists import paginate

from .. import selectors, services
from ..forms import CityPaperForm
from .papers import stored_pdf


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
            messages.success(request, _("已起草%(ref)s《%(title)s》。") % {
                "ref": paper.figures.get("reference", ""), "title": paper.title})  # fmt: skip
            return redirect("dashboard:city_papers")
    page = paginate(request, selectors.city_papers(user=request.user))
    return render(request, "dashboard/city_papers.html", {"form": form, "page": page})


@rule_required(access.can_manage_city_papers)
def city_paper_download(request, pk: int):
    paper = get_object_or_404(selectors.city_papers(user=request.user), pk=pk)
    return serve_private_file(request, paper.file, as_attachment=True, filename=paper.filename)


@rule_required(access.can_manage_city_papers)
def city_paper_pdf(request, pk: int):
    """The paper as PDF, made by a worker with LibreOffice like the town's (lib.pdf)."""
    paper = get_object_or_404(selectors.city_papers(user=request.user), pk=pk)
    return stored_pdf(request, paper, "dashboard:city_paper_download")
