"""HTML pages of the API: the interactive docs (Swagger UI, signed-in users), token management, and the
JSON 404/500 answers for /api/ URLs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.defaults import page_not_found
from django.views.defaults import server_error as html_server_error
from drf_spectacular.views import SpectacularSwaggerSplitView

from accounts.scoping import reach

from .. import errors, services
from ..forms import ServiceTokenForm, TokenForm
from ..models import ApiToken


@method_decorator(login_required, name="dispatch")
class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's bundled files (no CDN); the page has no inline code, so
    the site's Content-Security-Policy holds."""

    template_name = "api/swagger_ui.html"


def _tokens_for(user):
    qs = ApiToken.objects.select_related("user", "created_by").annotate(use_count=Count("uses"))
    if reach(user).write_all:
        return qs.filter(revoked_at__isnull=True)
    return qs.filter(user=user)


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """我的 API 令牌: create (the secret is shown on this answer only) and revoke; the office also
    issues tokens to service accounts and sees every live token."""
    user = request.user
    office = reach(user).write_all
    form = TokenForm(request.POST if request.POST.get("action") == "own" else None)
    service_form = (
        ServiceTokenForm(request.POST if request.POST.get("action") == "service" else None)
        if office
        else None
    )
    created = None
    if request.method == "POST":
        bound = form if form.is_bound else service_form
        if bound is None:
            return redirect("api:tokens")
        if bound.is_valid():
            owner = bound.cleaned_data.get("user") or user
            try:
                created = services.token_create(user=owner, name=bound.cleaned_data["name"], created_by=user)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    bound.add_error(field if field in bound.fields else None, messages)
    return render(
        request,
        "api/tokens.html",
        {
            "tokens": _tokens_for(user),
            "form": form if not created else TokenForm(),
            "service_form": service_form if not created else (ServiceTokenForm() if office else None),
            "created": created,
            "office": office,
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    """Revoke one of the user's own tokens (the office: any)."""
    qs = (
        ApiToken.objects.all()
        if reach(request.user).write_all
        else ApiToken.objects.filter(user=request.user)
    )
    token = get_object_or_404(qs, pk=pk)
    services.token_revoke(token=token, user=request.user)
    messages.success(request, _("令牌“%(name)s”已吊销，使用它的请求将被拒绝。") % {"name": token.name})
    return redirect("api:tokens")


def not_found(request, exception=None):
    if request.path.startswith("/api/v"):
        return errors.json_404(request, exception)
    return page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/v"):
        return errors.json_500(request)
    return html_server_error(request)
