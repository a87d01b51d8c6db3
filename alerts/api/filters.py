"""Query-string filters of the subscriptions and of the delivery log.

They narrow what the selectors already allow (the subscriptions and deliveries of the
organisations the user manages), never widen it. A value that does not parse is a 400 naming
the parameter, never a filter quietly dropped.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from advisories.api.filters import CodeFilter
from advisories.models import Country, Region, ThreatCategory
from config.api.filters import IdFilter, StrictBooleanFilter, UTCDateTimeFilter

from ..models import Delivery, DeliveryStatus, Frequency, Subscription
from ..selectors import managed_organisations

# No percent sign in it: django-filter formats every message with its parameters, even when it has none.
DATETIME_INVALID = _(
    "Write an ISO 8601 date and time, e.g. 2026-11-23T07:00:00Z (URL-encode the + of an offset such as +01:00)."
)


class SubscriptionFilter(django_filters.FilterSet):
    frequency = django_filters.ChoiceFilter(
        choices=Frequency.choices,
        error_messages={"invalid_choice": _("There is no frequency “%(value)s”; use immediate, daily or weekly.")},
    )
    country = CodeFilter(
        field_name="countries",
        queryset=Country.objects.all(),
        to_field_name="code",
        help_text=_("Subscriptions that follow this country as a whole: an ISO 3166-1 alpha-2 code, e.g. ml."),
        error_messages={"invalid_choice": _("There is no country with the code %(value)s.")},
    )
    region = CodeFilter(
        field_name="regions",
        queryset=Region.objects.all(),
        to_field_name="code",
        help_text=_("Subscriptions that follow this region on its own: an ISO 3166-2 code, e.g. ml-bko."),
        error_messages={"invalid_choice": _("There is no region with the code %(value)s.")},
    )
    category = django_filters.ModelChoiceFilter(
        field_name="categories",
        queryset=ThreatCategory.objects.all(),
        to_field_name="slug",
        help_text=_(
            "Subscriptions that name this threat category (a slug, e.g. kidnapping); those that follow every "
            "category name none."
        ),
        error_messages={"invalid_choice": _("There is no threat category %(value)s.")},
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


class DeliveryFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, before = cleaned.get("since"), cleaned.get("before")
        if since and before and since > before:
            self.add_error(
                "before",
                forms.ValidationError(
                    _("before (%(before)s) is earlier than since (%(since)s); swap them or change one."),
                    params={"before": before.isoformat(), "since": since.isoformat()},
                    code="date_range",
                ),
            )
        return cleaned


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
