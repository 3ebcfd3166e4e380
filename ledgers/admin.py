"""Admin for the banned-product list (editable, A4), ledger lines and alerts (read mostly)."""

from django.contrib import admin

from . import services
from .models import BannedProduct, LedgerAlert, LedgerEntry


@admin.register(BannedProduct)
class BannedProductAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "aliases", "effective_from", "effective_to", "basis"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases"]

    def save_model(self, request, obj, form, change):
        services.banned_product_save(product=obj)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "business", "direction", "product_name", "quantity", "unit", "batch"]
    list_filter = ["direction", "kind", "flag_no_registration", "flag_expired_sale", "flag_no_certificate"]
    search_fields = ["product_name", "batch", "supplier_name", "buyer_name", "business__name"]
    raw_id_fields = ["business"]
    date_hierarchy = "occurred_on"
    list_select_related = ["business"]

    def has_add_permission(self, request):
        return False  # lines go through the ledger pages, which apply the rules (ledgers.services)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LedgerAlert)
class LedgerAlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "business", "banned_product", "department", "state"]
    list_filter = ["state", "department"]
    raw_id_fields = ["business", "entry", "handled_by"]
    list_select_related = ["business", "banned_product", "department"]
