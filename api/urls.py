"""/api/v1/ — version 1 of the API. A breaking change goes to /api/v2/ (a new module beside this one);
v1 then stays as it is, and its committed schema (docs/api/openapi-v1.yaml) says what it is."""

from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView

from .views import pages, reads, writes


class IdConverter:
    """An object id: 1–15 digits (a longer number is nobody's: a 404, never an overflow)."""

    regex = "[0-9]{1,15}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

v1 = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", pages.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("me/", reads.Me.as_view(), name="me"),
    path("villages/", reads.VillageList.as_view(), name="villages"),
    path("categories/", reads.CategoryList.as_view(), name="categories"),
    path("licence-types/", reads.LicenceTypeList.as_view(), name="licence_types"),
    path("checklists/", reads.ChecklistList.as_view(), name="checklists"),
    path("checklists/<id:pk>/", reads.ChecklistDetail.as_view(), name="checklist"),
    path("businesses/", reads.BusinessList.as_view(), name="businesses"),
    path("businesses/<id:pk>/", reads.BusinessDetail.as_view(), name="business"),
    path("businesses/<id:pk>/ledger/", writes.LedgerLines.as_view(), name="business_ledger"),
    path("today/", reads.TodayWork.as_view(), name="today"),
    path("visits/", reads.VisitList.as_view(), name="visits"),
    path("visits/submit/", writes.VisitSubmit.as_view(), name="visit_submit"),
    path("visits/<id:pk>/", reads.VisitDetail.as_view(), name="visit"),
    path("orders/", reads.OrderList.as_view(), name="orders"),
    path("orders/<id:pk>/", reads.OrderDetail.as_view(), name="order"),
    path("targets/", reads.TargetList.as_view(), name="targets"),
    path("trace/", reads.Trace.as_view(), name="trace"),
    path("tipoffs/<id:pk>/", reads.TipOffDetail.as_view(), name="tipoff"),
    path("tipoffs/<id:pk>/status/", writes.TipOffStatus.as_view(), name="tipoff_status"),
]

app_name = "api"
urlpatterns = [
    *[path(f"v1/{p.pattern}", p.callback, name=p.name) for p in v1],
    # The web pages of token management (HTML): a user's own tokens; the office's service accounts.
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
]
