"""Records of changes to who may read what: memberships and their roles, and the platform
operator's role. Written by incidents.memberships and incidents.operators in the same
transaction as the change; never edited. Names are kept beside the links, so a record still
reads when a user is deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels

from .roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def acted_by_field(verbose_name: StrOrPromise) -> models.ForeignKey[Any, Any]:
    """Who did something to a row (verified, published, ended it): kept when the user is deleted, as empty."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class ChangeRecord(ChoiceLabels):
    user = acted_by_field(_("user"))
    username = models.CharField(_("username"), max_length=150)
    changed_by = acted_by_field(_("changed by"))
    changed_by_username = models.CharField(_("changed by (username)"), max_length=150, blank=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-id"]


class MembershipAction(models.TextChoices):
    ADDED = "added", _("Added")
    ROLE_CHANGED = "role_changed", _("Role changed")
    REMOVED = "removed", _("Removed")


class MembershipChange(ChangeRecord):
    """One member added to or removed from an organisation, or one change of their role."""

    Action = MembershipAction

    organisation = models.ForeignKey(
        "incidents.Organisation",
        on_delete=models.CASCADE,
        related_name="membership_changes",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=20, choices=MembershipAction.choices)
    old_role = models.CharField(_("old role"), max_length=20, choices=Role.choices, blank=True)
    new_role = models.CharField(_("new role"), max_length=20, choices=Role.choices, blank=True)

    class Meta(ChangeRecord.Meta):
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=MembershipAction.values), name="membership_change_action_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-changed_at"], name="membership_change_org_date")]

    def __str__(self) -> str:
        return f"{self.username} @ {self.organisation_id}: {self.get_action_display()}"


class OperatorRoleChange(ChangeRecord):
    """One grant or withdrawal of the platform operator's role (incidents.view_all_incidents,
    held directly or through a group)."""

    granted = models.BooleanField(_("granted"), help_text=_("False: the role was withdrawn."))

    class Meta(ChangeRecord.Meta):
        verbose_name = _("platform operator role change")
        verbose_name_plural = _("platform operator role changes")

    def __str__(self) -> str:
        return f"{self.username}: {'granted' if self.granted else 'withdrawn'}"
