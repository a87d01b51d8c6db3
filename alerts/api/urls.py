"""The alerts endpoints of the JSON API, under /api/v1/.

/api/v1/subscriptions/, /api/v1/subscriptions/<id>/ (DELETE ends it), /api/v1/deliveries/.
"""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from .views import DeliveryViewSet, SubscriptionViewSet

router = SimpleRouter()
router.register("subscriptions", SubscriptionViewSet, basename="subscription")
router.register("deliveries", DeliveryViewSet, basename="delivery")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
