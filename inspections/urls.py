from .enforcement.urls import PUBLIC_URL_NAMES as ENFORCEMENT_PUBLIC_URL_NAMES
from .enforcement.urls import urlpatterns as enforcement_urlpatterns

app_name = "inspections"

# URL names that open without login (namespaced); the roles issue's URL-walk test reads this set.
PUBLIC_URL_NAMES = set(ENFORCEMENT_PUBLIC_URL_NAMES)

urlpatterns: list = [*enforcement_urlpatterns]
