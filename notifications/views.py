"""The inbox and the channel preferences. Every view works on the user's own rows only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.lists import list_page

from . import selectors, services
from .choices import ReminderKind
from .filters import MessageFilter
from .forms import PreferencesForm
from .models import ChannelPreference, ContactDetails


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    listing = list_page(request, MessageFilter, selectors.inbox(user=request.user), per_page=20)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page_obj": listing.page,
            "filter": listing.filter,
            "query": listing.query,
            "unread_only": unread_only,
            "upcoming": selectors.upcoming_reminders(user=request.user, limit=10),
        },
    )


@login_required
@require_POST
def message_open(request, pk: int):
    """Mark read and go to the thing the message is about (or back to the inbox)."""
    message = get_object_or_404(selectors.messages_for(user=request.user), pk=pk)
    services.message_mark_read(message=message)
    if message.link and url_has_allowed_host_and_scheme(message.link, allowed_hosts={request.get_host()}):
        return redirect(message.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def message_read(request, pk: int):
    message = get_object_or_404(selectors.messages_for(user=request.user), pk=pk)
    services.message_mark_read(message=message)
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.messages_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.preferences_save(
                user=request.user,
                email_kinds=form.cleaned_data["email_kinds"],
                sms_kinds=form.cleaned_data["sms_kinds"],
                mobile=form.cleaned_data["mobile"],
            )
            messages.success(request, _("提醒方式已保存。"))
            return redirect("notifications:preferences")
    else:
        prefs = {p.kind: p for p in ChannelPreference.objects.filter(user=request.user)}
        contact = ContactDetails.objects.filter(user=request.user).first()
        form = PreferencesForm(
            initial={
                "email_kinds": [k for k in ReminderKind.values if k not in prefs or prefs[k].email],
                "sms_kinds": [k for k in ReminderKind.values if k in prefs and prefs[k].sms],
                "mobile": contact.mobile if contact else "",
            }
        )
    email_checked = set(form["email_kinds"].value() or [])
    sms_checked = set(form["sms_kinds"].value() or [])
    rows = [
        (value, label, value in email_checked, value in sms_checked) for value, label in ReminderKind.choices
    ]
    return render(request, "notifications/preferences.html", {"form": form, "rows": rows})
