"""Writes of memberships: adding a member, changing a role, removing a member.

Only the organisation's administrators and platform operators may make them
(`access.administered_organisations`), since a membership opens the organisation's incidents
to its holder; each change writes one MembershipChange row in the same transaction.
`by=None` is the system itself (the demo loader), recorded as such.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .access import administered_organisations
from .models import Membership, MembershipChange, Organisation


def _check(by: User | None, organisation: Organisation) -> None:
    if by is not None and not administered_organisations(by).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Only the organisation's administrators change its members and their roles."))


def _record(
    *, by: User | None, membership: Membership, action: str, old_role: str = "", new_role: str = ""
) -> MembershipChange:
    member = membership.user
    return MembershipChange.objects.create(
        organisation_id=membership.organisation_id,
        user=member,
        username=member.get_username(),
        action=action,
        old_role=old_role,
        new_role=new_role,
        changed_by=by,
        changed_by_username=by.get_username() if by is not None else "",
    )


def membership_save(*, by: User | None, membership: Membership) -> Membership:
    """Add the membership, or save its new role (and organisation, if it moved), with its record."""
    with transaction.atomic():
        _check(by, membership.organisation)
        before = None
        if membership.pk is not None:
            before = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
            _check(by, before.organisation)
        membership.save()
        if before is None:
            _record(by=by, membership=membership, action=MembershipChange.Action.ADDED, new_role=membership.role)
        elif before.organisation_id != membership.organisation_id or before.user_id != membership.user_id:
            _record(by=by, membership=before, action=MembershipChange.Action.REMOVED, old_role=before.role)
            _record(by=by, membership=membership, action=MembershipChange.Action.ADDED, new_role=membership.role)
        elif before.role != membership.role:
            _record(
                by=by,
                membership=membership,
                action=MembershipChange.Action.ROLE_CHANGED,
                old_role=before.role,
                new_role=membership.role,
            )
    return membership


def membership_remove(*, by: User | None, membership: Membership) -> None:
    with transaction.atomic():
        _check(by, membership.organisation)
        _record(by=by, membership=membership, action=MembershipChange.Action.REMOVED, old_role=membership.role)
        membership.delete()
