"""The admin for incidents, organisations and the taxonomy.

Three rules shape it. An incident is checked by `incident_clean`, the same rules as the form
officers use, so a save never ends in a database error and the messages are the same. Review
states change only through the services (the actions below), so publishing always notifies
subscribers. And the admin is one more page that reads incidents: everyone, superusers
included, sees in it only the incidents the sharing rules (incidents/access.py) let them see,
delete pages included; memberships are changed only by the organisation's administrators and
recorded (incidents/admin_rules.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from advisories.models import Source
from config.admin import BoundedDateHierarchy

from .access import administered_organisations, is_platform_operator
from .admin_rules import (
    ChangeRecordAdmin,
    HidesIncidentsOnDeletePages,
    MembershipRules,
    RecordsOperatorRoleChanges,
    extend_registered_admin,
    membership_changes_for,
    save_membership_formset,
)
from .api_tokens import ApiToken
from .corrections import IncidentCorrection
from .memberships import membership_remove, membership_save
from .models import (
    AccountSettings,
    Actor,
    Incident,
    IncidentActor,
    IncidentType,
    Membership,
    MembershipChange,
    OperatorRoleChange,
    Organisation,
    TargetType,
)
from .risk.models import RiskReview
from .risk.reviews import risk_review_resolve
from .selectors import incidents_visible_to
from .services import SCALAR_FIELDS, IncidentFields, incident_clean, incident_publish, incident_verify

TIMESTAMPS = ("created_at", "updated_at")


class MembershipInline(MembershipRules, admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)
    fields = ("user", "role")


@admin.register(Organisation)
class OrganisationAdmin(HidesIncidentsOnDeletePages):
    list_display = ("name", "kind", "time_zone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("partners",)
    inlines = (MembershipInline,)
    readonly_fields = TIMESTAMPS

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is Membership:
            save_membership_formset(request, formset)
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Membership)
class MembershipAdmin(MembershipRules, admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation")
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "user__email", "organisation__name")
    autocomplete_fields = ("user",)
    readonly_fields = TIMESTAMPS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).filter(organisation__in=administered_organisations(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organisation":
            # Only the organisations whose members the user may change can be chosen.
            kwargs["queryset"] = administered_organisations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        membership_save(by=request.user, membership=obj)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_remove(by=request.user, membership=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("organisation", "user"):
            membership_remove(by=request.user, membership=membership)  # type: ignore[arg-type]


@admin.register(AccountSettings)
class AccountSettingsAdmin(admin.ModelAdmin):
    """What people chose for their own account (the language of their pages and e-mails)."""

    list_display = ("user", "language", "updated_at")
    list_filter = ("language",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)
    readonly_fields = ("updated_at",)


@admin.register(MembershipChange)
class MembershipChangeAdmin(ChangeRecordAdmin):
    """The record of membership changes: read-only, and only of the organisations the user
    administers (every one for a platform operator)."""

    list_display = ("changed_at", "organisation", "username", "action", "old_role", "new_role", "changed_by_username")
    list_filter = ("action", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("username", "changed_by_username", "organisation__name")

    def get_queryset(self, request: HttpRequest) -> QuerySet[MembershipChange]:
        return membership_changes_for(request, super().get_queryset(request))

    def may_read(self, request: HttpRequest) -> bool:
        return administered_organisations(request.user).exists()


@admin.register(IncidentType)
class IncidentTypeAdmin(HidesIncidentsOnDeletePages):
    list_display = ("name", "category", "acled_event_type", "acled_sub_event_type", "acled_default", "position")
    list_filter = ("category", "acled_event_type", "acled_default")
    list_select_related = ("category",)
    search_fields = ("name", "name_fr", "slug", "acled_event_type", "acled_sub_event_type")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Actor)
class ActorAdmin(HidesIncidentsOnDeletePages):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "aliases", "description")
    readonly_fields = TIMESTAMPS


@admin.register(TargetType)
class TargetTypeAdmin(HidesIncidentsOnDeletePages):
    list_display = ("name", "slug", "position")
    search_fields = ("name", "name_fr", "slug")
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
class IncidentAdmin(BoundedDateHierarchy, HidesIncidentsOnDeletePages):
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
        # The sharing rules hold here too, for superusers as well: only platform operators see
        # every incident. Hidden ones are absent from the list, and their pages "do not exist".
        visible = incidents_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)

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


@admin.register(OperatorRoleChange)
class OperatorRoleChangeAdmin(ChangeRecordAdmin):
    """The record of who was given the platform operator's role: read by operators only."""

    list_display = ("changed_at", "username", "granted", "changed_by_username")
    list_filter = ("granted",)
    search_fields = ("username", "changed_by_username")

    def may_read(self, request: HttpRequest) -> bool:
        return is_platform_operator(request.user)


# A source document cannot be deleted while incidents cite it: its delete page lists them.
extend_registered_admin(admin.site, HidesIncidentsOnDeletePages, Source)
# Users and groups carry the platform operator's role.
extend_registered_admin(admin.site, RecordsOperatorRoleChanges, User, Group)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Users' API tokens, to see and to revoke (delete): only its owner creates one, on the token
    page, the one place its key is ever shown. The admin never sees a key, only its hint."""

    list_display = ("name", "user", "hint", "created", "expires_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__username")
    fields = readonly_fields = ("user", "name", "hint", "created", "expires_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RiskReview)
class RiskReviewAdmin(admin.ModelAdmin):
    """Places whose risk index crossed a level boundary: raised by the recomputation, marked
    reviewed here or on the review queue, never typed."""

    list_display = ("place", "from_level", "to_level", "index", "created_at", "resolved_at", "resolved_by")
    list_filter = (
        ("resolved_at", admin.EmptyFieldListFilter),
        "to_level",
        ("country", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("country", "region", "resolved_by")
    search_fields = ("country__name", "region__name", "=region__code")
    fields = readonly_fields = (
        "country",
        "region",
        "from_level",
        "to_level",
        "index",
        "assessment",
        "created_at",
        "updated_at",
        "resolved_at",
        "resolved_by",
        "note",
    )
    actions = ("mark_reviewed",)

    @admin.display(description=_("place"), ordering="country__name")
    def place(self, obj: RiskReview) -> str:
        return obj.place_name

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Mark reviewed"), permissions=["view"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[RiskReview]) -> None:
        analyst: User = request.user  # type: ignore[assignment]
        try:
            done = sum(risk_review_resolve(review=review, analyst=analyst) for review in queryset)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d item marked reviewed.", "%(count)d items marked reviewed.", done) % {"count": done},
            messages.SUCCESS,
        )
