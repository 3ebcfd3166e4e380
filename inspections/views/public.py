"""Public pages, no login (W5 有奖举报): the tip-off form, its thank-you page and the status look-up.

They show no personal data: the status page answers with the status and dates only.
"""

from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from campaigns.models import Town

from .. import antispam, services
from ..choices import TIPOFF_CLOSED, SpamReason, TipOffStatus
from ..forms import TipOffForm
from ..models import TipOff

THANKS_SALT = "wuxiao.tipoff.thanks"


@never_cache
@require_http_methods(["GET", "POST"])
def tipoff_public_create(request):
    if request.method == "POST":
        digest = antispam.client_hash(request)
        if antispam.rate_limited(digest):
            antispam.count_refused()
            form = TipOffForm()
            return render(
                request,
                "inspections/tipoff_public_form.html",
                {
                    "form": form,
                    "refused": _(
                        "提交过于频繁：同一网络每小时最多提交 %(n)d 条举报，请稍后再试，或拨打举报电话。"
                    )
                    % {"n": antispam.RATE_LIMIT_PER_HOUR},
                },
                status=429,
            )
        antispam.count_submission(digest)
        form = TipOffForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if not form.spam_reason and not antispam.claim_token(data["token"]):
                form.spam_reason = SpamReason.BAD_TOKEN  # the same form posted again
            tipoff = services.tipoff_submit(
                content=data["content"],
                village=data["village"],
                place=data["place"],
                business_name=data["business_name"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                wants_reward=data["wants_reward"],
                photos=data["photos"] or [],
                client_hash=digest,
                spam_reason=form.spam_reason,
                town=data.get("town"),
            )
            # The reference travels signed, so the thank-you page cannot be used to probe other codes.
            return redirect(
                reverse("inspections:tipoff_public_thanks")
                + "?r="
                + signing.dumps(tipoff.reference, salt=THANKS_SALT)
            )
    else:
        # Issue 24: from a unit's or a town's public page (?town=CODE) the town is already chosen.
        code = request.GET.get("town", "")
        town = (
            Town.objects.filter(code=code.strip()).first() if isinstance(code, str) and code.strip() else None
        )
        form = TipOffForm(initial={"town": town} if town is not None else None)
    return render(request, "inspections/tipoff_public_form.html", {"form": form})


@never_cache
def tipoff_public_thanks(request):
    try:
        reference = signing.loads(request.GET.get("r", ""), salt=THANKS_SALT, max_age=3600)
    except signing.BadSignature:
        return redirect("inspections:tipoff_public_create")
    return render(request, "inspections/tipoff_public_thanks.html", {"reference": reference})


@never_cache
def tipoff_public_status(request):
    """Look up one's own tip-off by its reference: status and dates only."""
    reference = (request.GET.get("ref") or "").strip().upper()
    found = None
    if reference:
        found = (
            TipOff.objects.filter(reference=reference)
            .only("reference", "status", "submitted_at", "triaged_at", "updated_at", "reward_paid_on")
            .first()
        )
    public_status = None
    if found:
        # Spam is shown as 'received': telling a bot it was caught teaches it.
        public_status = (
            TipOffStatus.RECEIVED.label if found.status == TipOffStatus.SPAM else found.get_status_display()
        )
    return render(
        request,
        "inspections/tipoff_public_status.html",
        {
            "reference": reference,
            "found": found,
            "public_status": public_status,
            "finished": bool(found and found.status in TIPOFF_CLOSED and found.status != TipOffStatus.SPAM),
        },
    )
