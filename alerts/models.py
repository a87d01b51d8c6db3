"""Who wants to know, and what was sent to them.

A *subscription* says which places (countries, regions), threat categories and minimum
severity a set of recipients follows, and how often they hear about it. Its recipients are
either one person (a traveler's confirmed address, or a signed-in user) or an organisation
(its members and/or a list of addresses chosen by its security manager).

Every e-mail is a *delivery*, written to the database before it is sent: one per recipient
of a subscription and per *digest run* (daily or weekly, one per period and time zone) or
per *immediate alert* (an incident or an advisory change). The database is the outbox: a
delivery is claimed by a lease, sent once, and moves pending -> sent | failed.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneField

from advisories.models import Advisory, Country, Region, ThreatCategory, TimeStamped
from config.choices import ChoiceLabels
from config.translation import language_field
from incidents.models import Incident, Organisation, acted_by_field


def time_zone_named(value: object) -> zoneinfo.ZoneInfo | None:
    """The time zone `value` (a name, spaces around it ignored, or a ZoneInfo) names, as the time
    zone fields read and check it (django-timezone-field: the IANA names Python knows); None if
    it names none."""
    field: Any = Subscription._meta.get_field("time_zone")
    try:
        zone = field.to_python(value.strip() if isinstance(value, str) else value)
        field.validate(zone, None)
    except (ValidationError, ValueError):  # ValueError: a name ZoneInfo cannot even look up, e.g. "../x"
        return None
    return zone


def validate_time_zone(value: object) -> None:
    """The validator of the time zone columns before they were TimeZoneFields (migration 0001 names it)."""
    if time_zone_named(value) is None:
        raise ValidationError(
            _("%(value)s is not a time zone name; use one like Africa/Bamako or Europe/London.") % {"value": value}
        )


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


class EndReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("The recipient unsubscribed")
    ENDED_BY_MANAGER = "ended_by_manager", _("Ended by the organisation's security manager")
    ENDED_BY_STAFF = "ended_by_staff", _("Ended by Vigil's staff")
    NEVER_CONFIRMED = "never_confirmed", _("The address was never confirmed")
    ORGANISATION_CLOSED = "organisation_closed", _("The organisation is no longer active")


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def active(self) -> SubscriptionQuerySet:
        """Confirmed and not ended: the subscriptions that receive e-mail."""
        return self.filter(ended_at__isnull=True, confirmed_at__isnull=False).filter(
            Q(organisation__isnull=True) | Q(organisation__is_active=True)
        )


class Subscription(TimeStamped):
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("A label for the subscriber's own use, e.g. 'Sahel desk'.")
    )
    # The recipients: an organisation, or one person (a user, or only an e-mail address).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("organisation"),
    )
    include_members = models.BooleanField(
        _("send to the organisation's members"),
        default=True,
        help_text=_("Every member of the organisation with an e-mail address receives these alerts."),
    )
    addresses = models.JSONField(
        _("other addresses"),
        default=list,
        blank=True,
        help_text=_("Further addresses of the organisation, e.g. its security desk's shared mailbox."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("person"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    # What they follow.
    countries = models.ManyToManyField(Country, blank=True, related_name="subscriptions", verbose_name=_("countries"))
    regions = models.ManyToManyField(Region, blank=True, related_name="subscriptions", verbose_name=_("regions"))
    categories = models.ManyToManyField(
        ThreatCategory,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("threat categories"),
        help_text=_("None chosen: every category."),
    )
    min_severity = models.PositiveSmallIntegerField(
        _("minimum severity"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Incidents below this severity (1 minor to 5 critical) are left out."),
    )
    include_advisories = models.BooleanField(
        _("advisory changes"),
        default=True,
        help_text=_("Also send changes of advisory levels and indicators, and new report revisions."),
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    # A ZoneInfo in Python, its IANA name in the database.
    time_zone = TimeZoneField(
        _("time zone"),
        max_length=64,
        default="UTC",
        help_text=_("Digests are sent at 07:00 in this time zone (weekly ones on Mondays)."),
    )
    # A member who chose a language for their account gets it instead (alerts.emails.delivery_language).
    language = language_field(
        help_text=_("The language of its e-mails; a member who chose one for their account gets that one.")
    )
    created_by = acted_by_field(_("created by"))
    confirmed_at = models.DateTimeField(
        _("confirmed at"), null=True, blank=True, help_text=_("A person's address is confirmed by a link (opt-in).")
    )
    confirmation_sent_at = models.DateTimeField(
        _("confirmation sent at"),
        null=True,
        blank=True,
        help_text=_("When the e-mail with the confirmation link went to a person's address."),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=30, choices=EndReason.choices, blank=True)
    ended_by = acted_by_field(_("ended by"))

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(user__isnull=True) & Q(email=""))
                | (Q(organisation__isnull=True) & ~Q(email="")),
                name="subscription_one_kind_of_recipient",
                violation_error_message=_(
                    "A subscription is either an organisation's or one person's (with an e-mail address)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(min_severity__gte=1, min_severity__lte=5),
                name="subscription_min_severity_1_to_5",
                violation_error_message=_("The minimum severity is 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values),
                name="subscription_frequency_known",
                violation_error_message=_("The frequency is immediate, daily or weekly."),
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end_reason="") | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="subscription_end_has_reason",
                violation_error_message=_("An ended subscription says why it ended."),
            ),
        ]
        indexes = [
            models.Index(fields=["frequency", "time_zone"], name="subscription_frequency_tz"),
            models.Index(fields=["email"], name="subscription_email"),
        ]

    def __str__(self) -> str:
        who = self.organisation.name if self.organisation_id and self.organisation else self.email
        return f"{self.name or who} ({self.get_frequency_display()})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.confirmed_at is not None


class OptOut(models.Model):
    """One recipient of an organisation's subscription who asked to stop receiving it."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="opt_outs")
    email = models.EmailField(_("e-mail address"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "email"], name="opt_out_unique_per_subscription"),
        ]

    def __str__(self) -> str:
        return self.email


class DigestRun(ChoiceLabels):
    """One daily or weekly digest for the subscriptions of one time zone.

    `period` names it in that time zone ("2026-11-23" for a day, "2026-W48" for a week), so a
    run started twice for the same period is the same run and sends nothing more.
    """

    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    time_zone = TimeZoneField(_("time zone"), max_length=64)
    period = models.CharField(_("period"), max_length=10)
    window_end = models.DateTimeField(_("covers changes until"))
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    planned_at = models.DateTimeField(
        _("deliveries planned"), null=True, blank=True, help_text=_("When every delivery of the run was written.")
    )
    # Planned in parts, in the order of the subscriptions' ids: where the next part starts.
    planned_through = models.PositiveBigIntegerField(
        _("planned up to subscription"),
        default=0,
        help_text=_("The deliveries of the subscriptions up to this id are written."),
    )
    planning_progress_at = models.DateTimeField(
        _("last part planned"), null=True, blank=True, help_text=_("When the planning last wrote a part of the run.")
    )

    class Meta:
        ordering = ["-window_end"]
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [
            models.UniqueConstraint(
                fields=["frequency", "time_zone", "period"],
                name="digest_run_unique_per_period",
                violation_error_message=_("There is already a digest run for this frequency, time zone and period."),
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=[f.value for f in DIGEST_FREQUENCIES]),
                name="digest_run_frequency_is_a_digest",
                violation_error_message=_("A digest run is daily or weekly."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} {self.period} ({self.time_zone})"


class ImmediateAlert(ChoiceLabels):
    """Something that is sent at once to the immediate subscriptions that follow it."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        ADVISORY = "advisory", _("Advisory change")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("incident")
    )
    advisory = models.ForeignKey(
        Advisory, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("advisory")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    planned_at = models.DateTimeField(_("deliveries planned"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("immediate alert")
        verbose_name_plural = _("immediate alerts")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="incident", incident__isnull=False, advisory__isnull=True)
                | Q(kind="advisory", incident__isnull=True, advisory__isnull=False),
                name="immediate_alert_one_subject",
                violation_error_message=_("An immediate alert is about one incident or one advisory."),
            ),
            models.UniqueConstraint(
                fields=["incident"], condition=Q(incident__isnull=False), name="immediate_alert_once_per_incident"
            ),
            models.UniqueConstraint(
                fields=["advisory"], condition=Q(advisory__isnull=False), name="immediate_alert_once_per_advisory"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.incident_id or self.advisory_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # Not sent, and never will be: the recipient unsubscribed, or may no longer see what it was about.
    CANCELLED = "cancelled", _("Cancelled")


class Delivery(ChoiceLabels):
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("subscription")
    )
    email = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient's account"),
        help_text=_("Set when the recipient is a member: what they may see decides what the e-mail shows."),
    )
    run = models.ForeignKey(
        DigestRun, on_delete=models.PROTECT, null=True, blank=True, related_name="deliveries", verbose_name=_("digest")
    )
    alert = models.ForeignKey(
        ImmediateAlert,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("immediate alert"),
    )
    window_start = models.DateTimeField(_("covers changes since"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    queued_at = models.DateTimeField(
        _("queued at"),
        null=True,
        blank=True,
        help_text=_("When its sending task was last handed to the broker; empty when none is queued."),
    )
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(run__isnull=False, alert__isnull=True) | Q(run__isnull=True, alert__isnull=False),
                name="delivery_for_a_run_or_an_alert",
                violation_error_message=_("A delivery belongs to one digest run or one immediate alert."),
            ),
            models.UniqueConstraint(
                fields=["run", "subscription", "email"],
                condition=Q(run__isnull=False),
                name="delivery_once_per_recipient_and_run",
            ),
            models.UniqueConstraint(
                fields=["alert", "subscription", "email"],
                condition=Q(alert__isnull=False),
                name="delivery_once_per_recipient_and_alert",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
                violation_error_message=_("A sent delivery records when it was sent."),
            ),
        ]
        indexes = [
            # The sweeper's question: which pending deliveries are due?
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="delivery_pending_due"),
            models.Index(fields=["subscription", "-created_at"], name="delivery_subscription_log"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"

    @property
    def is_digest(self) -> bool:
        return self.run_id is not None
