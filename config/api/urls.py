"""/api/v1/: each app's endpoints, the OpenAPI schema and its documentation (served offline)."""

from csp.decorators import csp_replace
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.api.views import api_not_found

# Their inline style and script carry the Content-Security-Policy nonce (templates/api/);
# Redoc injects its styles as it renders and searches in a worker it makes from a blob: so its
# page alone allows inline styles (a nonce in the directive would make browsers ignore
# 'unsafe-inline', so the directive is replaced, not extended) and blob: workers.
redoc = csp_replace({"style-src": ["'self'", "'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(
    SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
)

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/", SpectacularSwaggerView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"), name="docs"
    ),
    path("redoc/", redoc, name="redoc"),
    path("", include("advisories.api.urls")),
    path("", include("incidents.api.urls")),
    path("", include("alerts.api.urls")),
    re_path(r"^[\s\S]*$", api_not_found),  # any address, one with a newline in it too
]
