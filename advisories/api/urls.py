"""The advisories endpoints of the JSON API, under /api/v1/.

/api/v1/countries/, /api/v1/regions/, /api/v1/threat-categories/, /api/v1/threat-ratings/,
/api/v1/security-reports/ (and each report's revisions/), /api/v1/contact-points/: each a list
and a detail, read-only.
"""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from .views import (
    ContactPointViewSet,
    CountryViewSet,
    RegionViewSet,
    SecurityReportViewSet,
    ThreatCategoryViewSet,
    ThreatRatingViewSet,
)

router = SimpleRouter()
router.register("countries", CountryViewSet, basename="country")
router.register("regions", RegionViewSet, basename="region")
router.register("threat-categories", ThreatCategoryViewSet, basename="threat-category")
router.register("threat-ratings", ThreatRatingViewSet, basename="threat-rating")
router.register("security-reports", SecurityReportViewSet, basename="security-report")
router.register("contact-points", ContactPointViewSet, basename="contact-point")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
