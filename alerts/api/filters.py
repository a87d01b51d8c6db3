"""Query-string filters of the subscriptions and of the delivery log.

They narrow what the selectors already allow (the subscriptions and deliveries of the
organisations the user manages), never widen it. A value that does not parse is a 400 naming
the parameter, never a filter quietly dropped.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from advisories.api.filters import CodeFilter
from advisories.models import Country, Region
from config.api.filters import IdFilter, StrictBooleanFilter, UTCDateTimeFilter, named
from config.forms import DateRangeForm
from incidents.api.filters import category_filter

from ..access import managed_organisations
from ..models import Delivery, DeliveryStatus, Frequency, Subscription

# No percent sign in it: django-filter formats every message with its parameters, even when it has none.
DATETIME_INVALID = _(
    "Write an ISO 8601 date and time, e.g. 2026-11-23T07:00:00Z (URL-encode the + of an offset such as +01:00)."
)


class SubscriptionFilter(django_filters.FilterSet):
    frequency = django_filters.ChoiceFilter(
        choices=Frequency.choices,
        error_messages={"invalid_choice": _("There is no frequency “%(value)s”; use immediate, daily or weekly.")},
    )
    country = named(
        CodeFilter,
        Country.objects.all(),
        field_name="countries",
        to_field_name="code",
        help_text=_("Subscriptions that follow this country as a whole: an ISO 3166-1 alpha-2 code, e.g. ml."),
        no_such=_("There is no country with the code %(value)s."),
    )
    region = named(
        CodeFilter,
        Region.objects.all(),
        field_name="regions",
        to_field_name="code",
        help_text=_("Subscriptions that follow this region on its own: an ISO 3166-2 code, e.g. ml-bko."),
        no_such=_("There is no region with the code %(value)s."),
    )
    category = category_filter(
        "categories",
        _(
            "Subscriptions that name this threat category (a slug, e.g. kidnapping); those that follow every "
            "category name none."
        ),
    )
    active = StrictBooleanFilter(
        method="filter_active",
        help_text=_("true: confirmed and not ended, e-mail is sent under them; false: ended (or never confirmed)."),
    )

    class Meta:
        model = Subscription
        fields: list[str] = []

    def filter_active(self, queryset: QuerySet[Subscription], name: str, value: bool) -> QuerySet[Subscription]:
        active = Subscription.objects.active().values("pk")
        return queryset.filter(pk__in=active) if value else queryset.exclude(pk__in=active)


def managed_subscriptions(request: HttpRequest | None) -> QuerySet[Subscription]:
    """The subscriptions the `subscription` filter may name: those of the organisations the user manages."""
    user = getattr(request, "user", None)
    return Subscription.objects.filter(organisation__in=managed_organisations(user))


class DeliveryFilterForm(DateRangeForm):
    range_fields = ("since", "before")
    range_error_field = "before"
    range_message = _("before (%(before)s) is earlier than since (%(since)s); swap them or change one.")


class DeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=DeliveryStatus.choices,
        error_messages={"invalid_choice": _("There is no status “%(value)s”; use pending, sent, failed or cancelled.")},
    )
    subscription = IdFilter(
        queryset=managed_subscriptions,
        help_text=_("A subscription's id (see /api/v1/subscriptions/)."),
        error_messages={
            "invalid_choice": _(
                "There is no subscription with the id %(value)s among those you manage; see /api/v1/subscriptions/."
            )
        },
    )
    since = UTCDateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text=_("Deliveries written at or after this ISO 8601 date and time, e.g. 2026-11-23T07:00:00Z."),
        error_messages={"invalid": DATETIME_INVALID},
    )
    before = UTCDateTimeFilter(
        field_name="created_at",
        lookup_expr="lt",
        help_text=_("Deliveries written before this ISO 8601 date and time, e.g. 2026-11-24T00:00:00Z."),
        error_messages={"invalid": DATETIME_INVALID},
    )

    class Meta:
        model = Delivery
        fields: list[str] = []
        form = DeliveryFilterForm
