"""The admin for incidents, organisations and the taxonomy.

Three rules shape it. An incident is checked by `incident_clean`, the same rules as the form
officers use, so a save never ends in a database error and the messages are the same. Review
states change only through the services (the actions below), so publishing always notifies
subscribers. And staff who are not superusers see in the admin only the incidents the sharing
rules let analysts see: the admin is one more page that reads incidents.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .access import viewer_for, visibility_filter
from .corrections import IncidentCorrection
from .models import Actor, Incident, IncidentActor, IncidentType, Membership, Organisation, TargetType
from .services import SCALAR_FIELDS, IncidentFields, incident_clean, incident_publish, incident_verify

TIMESTAMPS = ("created_at", "updated_at")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)
    fields = ("user", "role")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "time_zone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("partners",)
    inlines = (MembershipInline,)
    readonly_fields = TIMESTAMPS


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation")
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    readonly_fields = TIMESTAMPS


@admin.register(IncidentType)
class IncidentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "acled_event_type", "acled_sub_event_type", "acled_default", "position")
    list_filter = ("category", "acled_event_type", "acled_default")
    list_select_related = ("category",)
    search_fields = ("name", "slug", "acled_event_type", "acled_sub_event_type")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "aliases", "description")
    readonly_fields = TIMESTAMPS


@admin.register(TargetType)
class TargetTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class IncidentActorInline(admin.TabularInline):
    model = IncidentActor
    extra = 1
    autocomplete_fields = ("actor",)


class IncidentCorrectionInline(admin.TabularInline):
    """Corrections of a published incident: a record, never edited."""

    model = IncidentCorrection
    extra = 0
    fields = readonly_fields = ("corrected_at", "editor", "changes")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    has_change_permission = has_delete_permission = has_add_permission

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A new incident has no corrections: no inline, and no form for it to post.
        return obj is not None and super().has_view_permission(request, obj)


WHAT = ("title", "incident_type", "severity", "description")
WHEN = ("occurred_on", "occurred_at_time", "date_precision")
WHERE = ("country", "region", "place_name", "latitude", "longitude", "location_precision")
IMPACT = ("target_types", "killed", "injured", "abducted")
PROVENANCE = ("sources", "source_document", "external_source", "external_id", "organisation", "reporter")


class IncidentAdminForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = [*WHAT, *WHEN, *WHERE, *IMPACT, *PROVENANCE, "sharing_level"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        required = ("title", "incident_type", "occurred_on", "country", "severity")
        if self.errors or any(cleaned.get(name) is None for name in required):
            return cleaned
        values: dict[str, Any] = {name: cleaned[name] for name in SCALAR_FIELDS if name in cleaned}
        data = IncidentFields(**values)
        try:
            incident_clean(data)
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
            return cleaned
        # Coordinates without a region: incident_clean found the region.
        cleaned["region"] = data.region
        self.instance.region = data.region
        return cleaned


REVIEW_FIELDS = (
    "status",
    "verified_at",
    "verified_by",
    "published_at",
    "published_by",
    "retracted_at",
    "retracted_by",
    "retraction_reason",
)


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    form = IncidentAdminForm
    list_display = (
        "title",
        "occurred_on",
        "country",
        "region",
        "incident_type",
        "severity",
        "sharing_level",
        "status",
        "organisation",
    )
    list_filter = (
        "status",
        "sharing_level",
        ("country", admin.RelatedOnlyFieldListFilter),
        "incident_type__category",
        "incident_type",
        "severity",
        "external_source",
    )
    list_select_related = ("country", "region", "incident_type", "organisation")
    search_fields = ("title", "description", "place_name", "=external_id", "sources")
    date_hierarchy = "occurred_on"
    autocomplete_fields = ("country", "region", "organisation", "reporter", "source_document")
    filter_horizontal = ("target_types",)
    inlines = (IncidentActorInline, IncidentCorrectionInline)
    readonly_fields = (*REVIEW_FIELDS, *TIMESTAMPS)
    actions = ("verify_selected", "publish_selected")
    fieldsets = (
        (_("What"), {"fields": WHAT}),
        (_("When"), {"fields": WHEN}),
        (_("Where"), {"fields": WHERE}),
        (_("Who was hit and impact"), {"fields": IMPACT}),
        (_("Provenance"), {"fields": PROVENANCE}),
        (_("Sharing and review"), {"fields": ("sharing_level", *REVIEW_FIELDS, *TIMESTAMPS)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Incident]:
        incidents = super().get_queryset(request)
        if getattr(request.user, "is_superuser", False):
            return incidents
        # The sharing rules hold here too: analysts are not party to TLP:AMBER and TLP:RED reports.
        return incidents.filter(visibility_filter(viewer_for(request.user)))

    @admin.action(description=_("Verify the selected incidents"))
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[Incident]) -> None:
        self._review(request, queryset, incident_verify)

    @admin.action(description=_("Publish the selected incidents"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Incident]) -> None:
        self._review(request, queryset, incident_publish)

    def _review(self, request: HttpRequest, queryset: QuerySet[Incident], service: Any) -> None:
        analyst: User = request.user  # type: ignore[assignment]
        done = 0
        for incident in queryset:
            try:
                service(incident=incident, analyst=analyst)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{incident.title}: {text}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, gettext("%(count)d incident(s) updated.") % {"count": done}, messages.SUCCESS)
