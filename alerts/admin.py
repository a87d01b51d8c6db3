"""The admin for subscriptions, digest runs, immediate alerts and deliveries.

Subscriptions are ended, never deleted (their deliveries point to them), through the same
service the pages use. Digest runs, immediate alerts and deliveries are the sending engine's
records: the admin shows them and changes nothing. An incident alert's subject quotes the
incident's title, so staff, superusers included, see it, and which incident an alert was
about, only if the sharing rules let them see the incident, as everywhere else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from config.admin import BoundedDateHierarchy, bound_every_date_hierarchy

from .models import Delivery, DeliveryStatus, DigestRun, EndReason, ImmediateAlert, OptOut, Subscription
from .selectors import with_hidden_incidents
from .services import MAX_ADDRESSES, normalise_email, subscription_end


class SubscriptionStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("active", _("Active")), ("unconfirmed", _("Not confirmed")), ("ended", _("Ended"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "active":
            return queryset.filter(ended_at__isnull=True, confirmed_at__isnull=False)
        if self.value() == "unconfirmed":
            return queryset.filter(ended_at__isnull=True, confirmed_at__isnull=True)
        if self.value() == "ended":
            return queryset.filter(ended_at__isnull=False)
        return queryset


class OptOutInline(admin.TabularInline):
    model = OptOut
    extra = 0
    fields = ("email", "created_at")
    readonly_fields = ("created_at",)
    verbose_name = _("recipient who unsubscribed")
    verbose_name_plural = _("recipients who unsubscribed (delete a row to send to them again)")


class SubscriptionAdminForm(forms.ModelForm):
    class Meta:
        model = Subscription
        fields = (
            "name",
            "organisation",
            "include_members",
            "addresses",
            "user",
            "email",
            "countries",
            "regions",
            "categories",
            "min_severity",
            "include_advisories",
            "frequency",
            "time_zone",
            "language",
        )

    def clean_addresses(self) -> list[str]:
        addresses = self.cleaned_data.get("addresses") or []
        if not isinstance(addresses, list):
            raise forms.ValidationError(gettext('Write the addresses as a JSON list, e.g. ["desk@example.org"].'))
        cleaned: list[str] = []
        for raw in addresses:
            address = normalise_email(str(raw))
            try:
                forms.EmailField().clean(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    gettext("“%(value)s” is not an e-mail address.") % {"value": str(raw)[:100]}
                ) from None
            if address not in cleaned:
                cleaned.append(address)
        if len(cleaned) > MAX_ADDRESSES:
            raise forms.ValidationError(gettext("At most %(max)s addresses.") % {"max": MAX_ADDRESSES})
        return cleaned

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data.get("email") or "")


@admin.register(Subscription)
class SubscriptionAdmin(BoundedDateHierarchy, admin.ModelAdmin):
    form = SubscriptionAdminForm
    list_display = ("__str__", "recipients", "frequency", "time_zone", "language", "state", "created_at")
    list_filter = (
        SubscriptionStateFilter,
        ("organisation", admin.EmptyFieldListFilter),
        "frequency",
        "language",
        "end_reason",
        "include_advisories",
    )
    list_select_related = ("organisation", "user")
    search_fields = ("email", "organisation__name", "name", "user__username")
    autocomplete_fields = ("organisation", "user", "countries", "regions", "categories")
    readonly_fields = ("created_by", "confirmed_at", "ended_at", "end_reason", "ended_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name",)}),
        (_("Recipients"), {"fields": ("organisation", "include_members", "addresses", "user", "email")}),
        (
            _("What is followed"),
            {"fields": ("countries", "regions", "categories", "min_severity", "include_advisories")},
        ),
        (_("When"), {"fields": ("frequency", "time_zone", "language")}),
        (
            _("History"),
            {
                "fields": (
                    "created_by",
                    "created_at",
                    "confirmed_at",
                    "updated_at",
                    "ended_at",
                    "end_reason",
                    "ended_by",
                )
            },
        ),
    )
    inlines = (OptOutInline,)
    actions = ("end_subscriptions",)
    date_hierarchy = "created_at"

    @admin.display(description=_("recipients"), ordering="organisation__name")
    def recipients(self, subscription: Subscription) -> str:
        if subscription.organisation is not None:
            return subscription.organisation.name
        return subscription.email

    @admin.display(description=_("state"))
    def state(self, subscription: Subscription) -> str:
        if subscription.ended_at is not None:
            return gettext("Ended %(date)s: %(reason)s") % {
                "date": f"{subscription.ended_at:%Y-%m-%d}",
                "reason": subscription.get_end_reason_display(),
            }
        if subscription.confirmed_at is None:
            return gettext("Not confirmed")
        return gettext("Active")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Ended, never deleted: its deliveries are the record of what was sent.
        return False

    @admin.action(description=_("End the selected subscriptions"), permissions=["change"])
    def end_subscriptions(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        user: User = request.user  # type: ignore[assignment]
        ended = 0
        for subscription in queryset.filter(ended_at__isnull=True):
            try:
                subscription_end(by=user, subscription=subscription, reason=EndReason.ENDED_BY_STAFF)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            ended += 1
        self.message_user(
            request,
            ngettext("%(count)d subscription ended.", "%(count)d subscriptions ended.", ended) % {"count": ended},
            messages.SUCCESS,
        )


class ReadOnlyAdmin(BoundedDateHierarchy, admin.ModelAdmin):
    """The sending engine's records: shown, never changed by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _status_counts() -> dict[str, Count]:
    return {
        f"{status}_count": Count("deliveries", filter=Q(deliveries__status=status))
        for status in (DeliveryStatus.PENDING, DeliveryStatus.SENT, DeliveryStatus.FAILED)
    }


@admin.register(DigestRun)
class DigestRunAdmin(ReadOnlyAdmin):
    list_display = ("period", "frequency", "time_zone", "window_end", "planned_at", "sent", "pending", "failed")
    # The zones that have runs, not every zone the field offers.
    list_filter = ("frequency", ("time_zone", admin.AllValuesFieldListFilter))
    search_fields = ("period", "time_zone")
    date_hierarchy = "window_end"

    def get_queryset(self, request: HttpRequest) -> QuerySet[DigestRun]:
        return super().get_queryset(request).annotate(**_status_counts())

    @admin.display(description=_("sent"))
    def sent(self, run: Any) -> int:
        return run.sent_count

    @admin.display(description=_("pending"))
    def pending(self, run: Any) -> int:
        return run.pending_count

    @admin.display(description=_("failed"))
    def failed(self, run: Any) -> int:
        return run.failed_count


def _shown_alert(alert: ImmediateAlert, *, hidden: bool) -> str:
    """An alert as "Incident #18", or without its number when the viewer may not see it."""
    if hidden and alert.incident_id is not None:
        return gettext("%(kind)s (one you may not see)") % {"kind": alert.get_kind_display()}
    return str(alert)


@admin.register(ImmediateAlert)
class ImmediateAlertAdmin(ReadOnlyAdmin):
    # The incident is named by its number only (its title may be for its organisation's eyes),
    # and not even that when the sharing rules hide it from the viewer.
    list_display = (
        "shown_alert",
        "kind",
        "shown_incident",
        "place",
        "created_at",
        "planned_at",
        "sent",
        "pending",
        "failed",
    )
    list_filter = ("kind",)
    list_select_related = ("advisory__country", "advisory__region")
    fields = ("kind", "shown_incident", "place", "created_at", "planned_at")
    readonly_fields = fields
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImmediateAlert]:
        alerts = super().get_queryset(request).annotate(**_status_counts())
        return with_hidden_incidents(alerts, request.user, incident="incident_id", name="incident_hidden")

    @admin.display(description=_("immediate alert"))
    def shown_alert(self, alert: Any) -> str:
        return _shown_alert(alert, hidden=getattr(alert, "incident_hidden", True))

    @admin.display(description=_("incident"))
    def shown_incident(self, alert: Any) -> str:
        if alert.incident_id is None:
            return ""
        if getattr(alert, "incident_hidden", True):
            return gettext("(one you may not see)")
        return str(alert.incident_id)

    @admin.display(description=_("advisory of"))
    def place(self, alert: ImmediateAlert) -> str:
        if alert.advisory is None:
            return ""
        if alert.advisory.region is not None:
            return f"{alert.advisory.region.name}, {alert.advisory.country.name}"
        return alert.advisory.country.name

    @admin.display(description=_("sent"))
    def sent(self, alert: Any) -> int:
        return alert.sent_count

    @admin.display(description=_("pending"))
    def pending(self, alert: Any) -> int:
        return alert.pending_count

    @admin.display(description=_("failed"))
    def failed(self, alert: Any) -> int:
        return alert.failed_count


class DeliveryKindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("digest", _("Digest")), ("incident", _("Incident alert")), ("advisory", _("Advisory change"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "digest":
            return queryset.filter(run__isnull=False)
        if self.value() in ("incident", "advisory"):
            return queryset.filter(alert__kind=self.value())
        return queryset


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("email", "what", "shown_subject", "status", "attempts", "sent_at", "created_at")
    list_filter = ("status", DeliveryKindFilter)
    list_select_related = ("subscription__organisation", "run", "alert")
    search_fields = ("email",)
    date_hierarchy = "created_at"
    fields = (
        "subscription",
        "email",
        "user",
        "what",
        "shown_subject",
        "status",
        "attempts",
        "last_error",
        "message_id",
        "window_start",
        "claimed_until",
        "next_attempt_at",
        "sent_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        return with_hidden_incidents(super().get_queryset(request), request.user)

    @admin.display(description=_("what"))
    def what(self, delivery: Any) -> str:
        if delivery.run is not None:
            return str(delivery.run)
        if delivery.alert is not None:
            return _shown_alert(delivery.alert, hidden=getattr(delivery, "subject_hidden", True))
        return ""

    @admin.display(description=_("subject"))
    def shown_subject(self, delivery: Any) -> str:
        if getattr(delivery, "subject_hidden", True):
            return gettext("(about an incident you may not see)")
        return delivery.subject


# Every admin's date hierarchy, the libraries' too (django-celery-beat's tasks, django-axes' logs),
# takes a date past the calendar's end as an invalid filter. The alerts app's admin is loaded last.
bound_every_date_hierarchy(admin.site)
