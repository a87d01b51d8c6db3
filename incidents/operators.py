"""The platform operator's role: who holds it, and the record of every grant and withdrawal.

The role is the permission incidents.view_all_incidents, given to a user or to one of their
groups (incidents/access.py `is_platform_operator`). Whatever changes a user's permissions or
groups, or a group's permissions, runs inside `operator_role_changes_recorded`, which writes one
OperatorRoleChange per user who gained or lost the role, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.db import transaction

from .access import OPERATOR_PERMISSION
from .models import OperatorRoleChange


def operator_ids() -> set[int]:
    """Everyone who holds the role, directly or through a group (superusers do not, as such)."""
    app_label, codename = OPERATOR_PERMISSION
    direct = User.objects.filter(
        user_permissions__content_type__app_label=app_label, user_permissions__codename=codename
    )
    by_group = User.objects.filter(
        groups__permissions__content_type__app_label=app_label, groups__permissions__codename=codename
    )
    return set(direct.values_list("pk", flat=True)) | set(by_group.values_list("pk", flat=True))


@contextmanager
def operator_role_changes_recorded(*, by: User | None) -> Iterator[None]:
    """Record each grant or withdrawal of the role that the block makes."""
    with transaction.atomic():
        before = operator_ids()
        yield
        after = operator_ids()
        changed = User.objects.filter(pk__in=before ^ after).order_by("pk")
        OperatorRoleChange.objects.bulk_create(
            OperatorRoleChange(
                user=user,
                username=user.get_username(),
                granted=user.pk in after,
                changed_by=by,
                changed_by_username=by.get_username() if by is not None else "",
            )
            for user in changed
        )
