from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("campaigns.urls")),
    path("inspections/", include("inspections.urls")),
    path("ledgers/", include("ledgers.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("notifications/", include("notifications.urls")),
    path("p/", include("inspections.urls_public")),
    path("api/", include("api.urls")),
]

# /api/ answers in JSON even for a URL it does not know or a crash (api.errors); pages keep their HTML.
handler404 = "api.views.pages.not_found"
handler500 = "api.views.pages.server_error"
