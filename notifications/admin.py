from django.contrib import admin

from .models import ChannelPreference, ContactDetails, Message, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "recipient",
        "kind",
        "due_at",
        "claimed_at",
        "sent_at",
        "cancelled_at",
        "channels",
    ]
    list_filter = [
        "kind",
        "planner",
        ("sent_at", admin.EmptyFieldListFilter),
        ("cancelled_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["title", "dedupe_key", "recipient__username"]
    date_hierarchy = "due_at"
    raw_id_fields = ["recipient", "message"]
    readonly_fields = ["claimed_at", "sent_at", "channels", "message", "dedupe_key"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user"]


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email", "sms"]
    list_filter = ["kind", "email", "sms"]
    raw_id_fields = ["user"]


@admin.register(ContactDetails)
class ContactDetailsAdmin(admin.ModelAdmin):
    list_display = ["user"]
    raw_id_fields = ["user"]
