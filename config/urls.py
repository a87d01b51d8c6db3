from typing import Any

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from config.language import language_switch
from config.views import healthz

admin.site.site_header = _("Vigil administration")
admin.site.site_title = _("Vigil")
admin.site.index_title = _("Advisories, incidents and alerts")

# Errors no view handled: JSON under /api/, and 503 while the database is unreachable.
handler500 = "config.views.server_error"


class FaviconRedirect(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says: the site's icon is an SVG among the
    static files, its address known only once the static files are (hashed names in production)."""

    permanent = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("language/<str:code>/", language_switch, name="language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("advisories.urls")),
    path("", include("incidents.urls")),
    path("", include("alerts.urls")),
]
