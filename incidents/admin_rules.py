"""The sharing rules and the membership rules, as the admin applies them.

- Delete confirmation pages list what a deletion would remove or is blocked by. Django names
  each object there, so an incident type or a country would name every incident that uses it;
  here an incident the viewer may not see is named only as such.
- Granting or withdrawing the platform operator's role, in the users' and groups' admin, is
  recorded (incidents.operators).
- Memberships and their roles are changed only by the organisation's administrators and
  platform operators (incidents.access.administered_organisations), through
  incidents.memberships, which records every change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote
from django.contrib.auth.models import User
from django.db import router
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext

from .access import administered_organisations
from .memberships import membership_remove, membership_save
from .models import Incident, Membership, MembershipChange, Organisation
from .operators import operator_role_changes_recorded
from .selectors import incidents_visible_to


def deleted_objects_for(
    objs: Any, request: HttpRequest, admin_site: admin.AdminSite
) -> tuple[list[Any], dict[Any, int], set[Any], list[Any]]:
    """Django's `get_deleted_objects`, but an incident the user may not see is not named."""
    if not len(objs):
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    incident_ids = [obj.pk for obj in collector.protected if isinstance(obj, Incident)]
    incident_ids += [obj.pk for obj in collector.data.get(Incident, ())]
    visible = set(incidents_visible_to(request.user).filter(pk__in=incident_ids).values_list("pk", flat=True))
    perms_needed: set[Any] = set()

    def format_callback(obj: Model) -> str:
        opts = obj._meta
        if isinstance(obj, Incident) and obj.pk not in visible:
            return gettext("Incident: one you may not see")
        if not admin_site.is_registered(type(obj)):
            return f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.get_model_admin(type(obj)).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=(quote(obj.pk),))
        except NoReverseMatch:
            return f"{capfirst(opts.verbose_name)}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {
        model._meta.verbose_name_plural: len(rows)  # type: ignore[attr-defined]
        for model, rows in collector.model_objs.items()
    }
    return to_delete, model_count, perms_needed, protected


class HidesIncidentsOnDeletePages(admin.ModelAdmin):
    """For the admin of any model whose deletion reaches incidents."""

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        return deleted_objects_for(objs, request, self.admin_site)


class RecordsOperatorRoleChanges(admin.ModelAdmin):
    """For the users' and groups' admin: every page that may change who holds the operator's role."""

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with operator_role_changes_recorded(by=_user(request)):
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with operator_role_changes_recorded(by=_user(request)):
            return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with operator_role_changes_recorded(by=_user(request)):
            return super().changelist_view(request, *args, **kwargs)


class ChangeRecordAdmin(admin.ModelAdmin):
    """A record of changes: read by those `may_read` says, never written by hand."""

    date_hierarchy = "changed_at"

    def may_read(self, request: HttpRequest) -> bool:
        raise NotImplementedError

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may_read(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_read(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def extend_registered_admin(site: admin.AdminSite, mixin: type[admin.ModelAdmin], *models: type[Model]) -> None:
    """Give the registered admins of other apps' models (source documents, users…) a mixin."""
    for model in models:
        model_admin = site.get_model_admin(model)
        if isinstance(model_admin, mixin):
            continue
        admin_class = type(model_admin.__class__.__name__, (mixin, type(model_admin)), {})
        site.unregister(model)
        site.register(model, admin_class)


# Memberships ------------------------------------------------------------------------------


def may_change_members(request: HttpRequest, organisation: Organisation | None) -> bool:
    administered = administered_organisations(request.user)
    if organisation is None:
        return administered.exists()
    return administered.filter(pk=organisation.pk).exists()


def _organisation_of(obj: Any) -> Organisation | None:
    return obj.organisation if isinstance(obj, Membership) else obj


class MembershipRules:
    """Per-object permissions for the membership admin and the organisation's inline, on top of
    Django's model permissions (which a superuser holds all of)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if isinstance(self, admin.options.InlineModelAdmin):
            allowed = super().has_add_permission(request, obj)  # type: ignore[misc]
        else:
            allowed = super().has_add_permission(request)  # type: ignore[misc]
        return bool(allowed) and may_change_members(request, _organisation_of(obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and may_change_members(request, _organisation_of(obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and may_change_members(request, _organisation_of(obj))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and may_change_members(request, _organisation_of(obj))


def save_membership_formset(request: HttpRequest, formset: BaseInlineFormSet[Any, Any, Any]) -> None:
    """The organisation page's inline of members, saved through the audited service."""
    memberships = formset.save(commit=False)
    for membership in formset.deleted_objects:
        membership_remove(by=request.user, membership=membership)  # type: ignore[arg-type]
    for membership in memberships:
        membership_save(by=request.user, membership=membership)  # type: ignore[arg-type]
    formset.save_m2m()


def membership_changes_for(request: HttpRequest, changes: QuerySet[MembershipChange]) -> QuerySet[MembershipChange]:
    return changes.filter(organisation__in=administered_organisations(request.user))
