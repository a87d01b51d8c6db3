"""The incidents endpoints of the JSON API, under /api/v1/.

/api/v1/incidents/, /api/v1/incidents/<id>/ (and its verify/, publish/ and retract/ actions),
/api/v1/incidents/geojson/, /api/v1/actors/, /api/v1/incident-types/, /api/v1/organisations/.
"""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from .views import ActorViewSet, IncidentTypeViewSet, IncidentViewSet, MyOrganisationViewSet

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("actors", ActorViewSet, basename="actor")
router.register("incident-types", IncidentTypeViewSet, basename="incident-type")
router.register("organisations", MyOrganisationViewSet, basename="organisation")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
