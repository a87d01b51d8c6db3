"""The alerts endpoints of the JSON API: an organisation's subscriptions and its delivery log.

What the alerts pages let a security manager do, through the same selectors and services:
reads go through `organisation_subscriptions`, `managed_subscription` and `delivery_log`, so a
user sees only the subscriptions and deliveries of the organisations they manage, and any
other subscription is a 404, as if it did not exist. Writes go through `subscription_create`,
`subscription_update` and `subscription_end`, which check the caller's rights and every rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.views import (
    WriteMixin,
    change_schemas,
    current_values,
    organisation_named,
    signed_in_user,
    validated_values,
    write_schema,
)
from incidents.selectors import memberships_of

from .. import services
from ..access import managed_organisations
from ..models import Delivery, Subscription
from ..selectors import delivery_log, managed_subscription, organisation_subscriptions
from .filters import DeliveryFilter, SubscriptionFilter
from .serializers import (
    DeliverySerializer,
    SubscriptionCreateSerializer,
    SubscriptionSerializer,
    SubscriptionWriteSerializer,
)

# What a security desk's tool sends, shown in the documentation (and tried by the API's tests).
SUBSCRIPTION_EXAMPLE = OpenApiExample(
    "A weekly digest of two regions",
    value={
        "name": "Bamako and Mopti desk",
        "countries": [],
        "regions": ["ml-bko", "ml-5"],
        "categories": ["kidnapping", "terrorism"],
        "min_severity": 3,
        "include_advisories": True,
        "frequency": "weekly",
        "time_zone": "Africa/Bamako",
        "include_members": True,
        "addresses": ["security-desk@example.org"],
    },
    request_only=True,
)


def _managed_ids(request: Request) -> list[int]:
    return list(managed_organisations(request.user).values_list("pk", flat=True))


def _not_a_manager(user: User) -> str:
    """Why a user who manages no organisation's alerts may not create a subscription (as the pages say it)."""
    if memberships_of(user).exists():
        message = _(
            "An organisation's alerts are set up by its security managers and administrators. Ask one of them "
            "to add your address to a subscription, or to give you one of these roles."
        )
    else:
        message = _("You are not a member of any organisation, so there are no organisation alerts for you to manage.")
    advice = _("You can also receive alerts for yourself: subscribe with your e-mail address at %(url)s.") % {
        "url": reverse("alerts:subscribe")
    }
    return f"{message} {advice}"


@extend_schema_view(
    list=extend_schema(
        summary=_("Your organisations' alert subscriptions"),
        description=_(
            "The subscriptions of the organisations whose alerts you manage (as a security manager or an "
            "administrator), ended ones included, newest first (by id). Anyone else gets an empty list."
        ),
        responses=SubscriptionSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary=_("One subscription"),
        description=_("404 if it does not exist or if you do not manage its organisation's alerts."),
        responses=SubscriptionSerializer,
    ),
    create=write_schema(
        _("Create a subscription"),
        _(
            "For security managers and administrators: a subscription of your organisation (name it with "
            "`organisation` if you manage several), active at once. It is checked as the page's form checks it: "
            "at least one country or region, a known time zone, at most 50 valid addresses, and someone to "
            "send to (the members, some addresses, or both)."
        ),
        request=SubscriptionCreateSerializer,
        example=SUBSCRIPTION_EXAMPLE,
        responses={201: SubscriptionSerializer},
    ),
    **change_schemas(
        every=(
            _("Change a subscription (every field)"),
            _(
                "Fields left out take their defaults (the time zone: the organisation's). The organisation cannot "
                "change. An ended subscription cannot be changed: create a new one."
            ),
        ),
        some=(
            _("Change some fields of a subscription"),
            _("Fields left out keep their values. An ended subscription cannot be changed."),
        ),
        request=SubscriptionWriteSerializer,
        example=SUBSCRIPTION_EXAMPLE,
        responses=SubscriptionSerializer,
    ),
    destroy=extend_schema(
        summary=_("End a subscription"),
        description=_(
            "Nothing more is sent under it. It is ended, not deleted: it stays in the list with `ended_at`, "
            "`end_reason` and `ended_by`, and the delivery log keeps what was sent under it. The answer is the "
            "ended subscription (200, not 204). Ending it again changes nothing and gives the same answer."
        ),
        responses={200: SubscriptionSerializer},
    ),
)
class SubscriptionViewSet(
    WriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Subscription],
):
    serializer_class = SubscriptionSerializer
    # Nothing here is public: an anonymous client is told to sign in, not shown an empty list.
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = SubscriptionFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Subscription]:
        if getattr(self, "swagger_fake_view", False):
            return Subscription.objects.none()
        return organisation_subscriptions(_managed_ids(self.request))

    def get_object(self) -> Subscription:
        return self._counted(int(self.kwargs["pk"]))

    def create(self, request: Request) -> Response:
        user = signed_in_user(request)
        organisations = list(managed_organisations(user).order_by("name"))
        if not organisations:
            raise PermissionDenied(_not_a_manager(user))
        values = validated_values(SubscriptionCreateSerializer, request)
        organisation = organisation_named(
            organisations,
            values.pop("organisation", None),
            several=_(
                "You manage the alerts of several organisations; say which one this subscription is for: %(slugs)s."
            ),
            only=_("You manage the alerts of these organisations only: %(slugs)s."),
        )
        # As on the page's form, the time zone starts as the organisation's.
        defaults: dict[str, Any] = {"time_zone": organisation.time_zone}
        fields = services.SubscriptionFields(**(defaults | values))
        subscription = services.subscription_create(by=user, organisation=organisation, data=fields)
        location = reverse("api:subscription-detail", kwargs={"pk": subscription.pk})
        return Response(self._detail(subscription.pk), status=status.HTTP_201_CREATED, headers={"Location": location})

    def write(self, request: Request, *, partial: bool) -> Response:
        user = signed_in_user(request)
        subscription = managed_subscription(user, int(self.kwargs["pk"]))
        sent = validated_values(SubscriptionWriteSerializer, request, partial=partial)
        if partial:
            values = current_values(subscription, services.SubscriptionFields)
        else:
            assert subscription.organisation is not None  # managed subscriptions are organisations'
            values = {"time_zone": subscription.organisation.time_zone}
        values |= sent
        services.subscription_update(by=user, subscription=subscription, data=services.SubscriptionFields(**values))
        return Response(self._detail(subscription.pk))

    def destroy(self, request: Request, pk: str) -> Response:
        user = signed_in_user(request)
        subscription = managed_subscription(user, int(self.kwargs["pk"]))
        services.subscription_end(by=user, subscription=subscription)
        return Response(self._detail(subscription.pk))

    def _counted(self, pk: int) -> Subscription:
        """One subscription the user manages (else a 404), with its opt-outs counted as the list's rows are."""
        subscription = managed_subscription(self.request.user, pk)
        # organisation_subscriptions annotates the list; managed_subscription reads one row without it.
        setattr(subscription, "opt_out_count", subscription.opt_outs.count())  # noqa: B010 (not a model field)
        return subscription

    def _detail(self, pk: int) -> dict[str, Any]:
        """The subscription as it is now, after a write: what a GET of it answers."""
        return dict(SubscriptionSerializer(self._counted(pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary=_("The delivery log"),
        description=_(
            "Every e-mail sent or to be sent under the subscriptions of the organisations whose alerts you "
            "manage, newest first (by id): to whom, about what, and what failed and why. Anyone else gets an "
            "empty list. The subject of an e-mail about an incident your own account may not see is null, "
            "with `subject_hidden` true."
        ),
        responses=DeliverySerializer(many=True),
    ),
)
class DeliveryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Delivery]):
    serializer_class = DeliverySerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = DeliveryFilter

    def get_queryset(self) -> QuerySet[Delivery]:
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        organisation_ids = _managed_ids(self.request)
        if not organisation_ids:
            # Nothing to read: spare the queries that decide which incidents the user may see.
            return Delivery.objects.none()
        return delivery_log(self.request.user, organisation_ids=organisation_ids)
