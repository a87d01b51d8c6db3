"""/api/v1/: each app's endpoints, the OpenAPI schema and its documentation (served offline)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.api.views import api_not_found

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include("advisories.api.urls")),
    path("", include("incidents.api.urls")),
    path("", include("alerts.api.urls")),
    re_path(r"^[\s\S]*$", api_not_found),  # any address, one with a newline in it too
]
