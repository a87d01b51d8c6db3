"""The roles of an organisation's members, and which roles may do what."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    READER = "reader", _("Reader")
    OFFICER = "officer", _("Security officer")
    SECURITY_MANAGER = "security_manager", _("Security manager")
    ADMIN = "admin", _("Administrator")


# Roles that may log incidents for their organisation and read its TLP:RED incidents.
OFFICER_ROLES = frozenset({Role.OFFICER, Role.SECURITY_MANAGER, Role.ADMIN})
# Roles that manage their organisation's alert subscriptions and read its delivery log.
MANAGER_ROLES = frozenset({Role.SECURITY_MANAGER, Role.ADMIN})
