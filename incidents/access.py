"""Who may see which incident, and who may log, edit and review one: the one place that decides it.

Every page, export, feed, API endpoint and e-mail gets its incidents through
`incidents_visible_to` (or `incident_for_viewer` for one incident), so the sharing rules
below are written once and tested hardest.

The rules, after the Traffic Light Protocol 2.0:

- TLP:CLEAR, published: anyone, signed in or not.
- TLP:CLEAR and TLP:GREEN, not retracted: every member of an active organisation, and the
  analysts who review them.
- TLP:AMBER: the reporting organisation's members and its partner organisations' members.
- TLP:AMBER+STRICT: the reporting organisation's members only.
- TLP:RED: the reporter, and the reporting organisation's officers, security managers and
  administrators.
- A reporting organisation's members see its incidents in every status, retracted included
  (subject to the TLP:RED rule); nobody else sees a retracted incident.

Analysts are service staff (`is_staff`). They are not a party to an organisation's
TLP:AMBER or TLP:RED reports, so they do not see them unless a membership allows it.

Who may learn which organisation reported an incident (`may_see_reporter`): naming the reporter
of an attack can put its staff at risk, so the public never learns it. Its name is shown only

- to the reporting organisation's own members, and to the analysts who review the incident;
- to members of the organisations that see the incident under a sharing level above TLP:CLEAR
  (TLP:GREEN: the community; TLP:AMBER: its partners). A TLP:CLEAR incident is seen by other
  organisations as the public sees it, without the reporter;
- to everyone, when the organisation chose to be named (`Organisation.named_publicly`).

Imported incidents have no reporting organisation to show.

Being a superuser grants no right to read incidents: the admin reads them through these
rules too. A platform operator who must see every incident holds an explicit role, the
permission `incidents.view_all_incidents`, given to the user or to one of their groups on
purpose (`is_platform_operator`); Django's "superusers have every permission" does not
count here. Operators see every incident, on every surface.

Who may change what:

- An active organisation's officers, security managers and administrators (OFFICER_ROLES) log
  incidents for it and edit those it reported (`officer_organisations`, `can_edit_incident`).
  An imported incident has no organisation: nobody edits it here.
- Analysts verify, publish and retract (`is_analyst`).
- An organisation's administrators (Role.ADMIN), and platform operators, add and remove its
  members and change their roles (`administered_organisations`); each change is recorded
  (incidents/memberships.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.db.models import Q, QuerySet

from .models import OFFICER_ROLES, Incident, Membership, Organisation, ReviewStatus, Role, SharingLevel

AnyUser = AbstractBaseUser | AnonymousUser

PUBLIC = Q(status=ReviewStatus.PUBLISHED, sharing_level=SharingLevel.CLEAR)
COMMUNITY_LEVELS = (SharingLevel.CLEAR, SharingLevel.GREEN)
OPERATOR_PERMISSION = ("incidents", "view_all_incidents")


@dataclass(frozen=True)
class Viewer:
    """What the sharing rules need to know about a user, loaded in one query."""

    user_id: int | None = None
    is_analyst: bool = False
    is_operator: bool = False
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    officer_organisation_ids: frozenset[int] = field(default_factory=frozenset)
    partner_organisation_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_member(self) -> bool:
        return bool(self.organisation_ids)


ANONYMOUS = Viewer()


def viewer_for(user: AbstractBaseUser | AnonymousUser | None) -> Viewer:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    return viewers_for([user])[user.pk]


def viewers_for(users: Iterable[AbstractBaseUser]) -> dict[int, Viewer]:
    """The viewer of each of these users, by id, in at most three queries whatever their number
    (none for nobody, the partners' only when someone is a member, the operators' only for staff).
    An inactive user sees what the public sees."""
    users = list({user.pk: user for user in users}.values())
    active = [user for user in users if user.is_active]
    viewers: dict[int, Viewer] = {user.pk: ANONYMOUS for user in users}
    if not active:
        return viewers
    memberships: dict[int, list[tuple[int, str]]] = {user.pk: [] for user in active}
    for user_id, organisation_id, role in Membership.objects.filter(
        user_id__in=memberships, organisation__is_active=True
    ).values_list("user_id", "organisation_id", "role"):
        memberships[user_id].append((organisation_id, role))
    member_of = {org_id for rows in memberships.values() for org_id, _role in rows}
    partners: dict[int, set[int]] = {}
    if member_of:
        for from_id, to_id in Organisation.partners.through.objects.filter(
            from_organisation_id__in=member_of, to_organisation__is_active=True
        ).values_list("from_organisation_id", "to_organisation_id"):
            partners.setdefault(from_id, set()).add(to_id)
    operators = platform_operators([user for user in active if getattr(user, "is_staff", False)])
    for user in active:
        organisation_ids = frozenset(org_id for org_id, _role in memberships[user.pk])
        partner_ids = frozenset(to_id for org_id in organisation_ids for to_id in partners.get(org_id, ()))
        viewers[user.pk] = Viewer(
            user_id=user.pk,
            is_analyst=bool(getattr(user, "is_staff", False)),
            is_operator=user.pk in operators,
            organisation_ids=organisation_ids,
            officer_organisation_ids=frozenset(
                org_id for org_id, role in memberships[user.pk] if role in OFFICER_ROLES
            ),
            partner_organisation_ids=partner_ids - organisation_ids,
        )
    return viewers


def alike_viewer(viewer: Viewer, *, red_reporter_ids: Collection[int]) -> Viewer:
    """A viewer that sees exactly the incidents `viewer` sees, and is the same for everyone who does.

    Who the viewer is counts in one rule only: a TLP:RED incident is shown to the person who
    reported it (`visibility_filter`). For anyone who reported none (`red_reporter_ids`, from
    `red_incident_reporters`), the user is left out, so that two readers with the same rights
    are one viewer: a digest that both would get is computed once for both."""
    if viewer.user_id is None or viewer.user_id in red_reporter_ids:
        return viewer
    return replace(viewer, user_id=None)


def red_incident_reporters(user_ids: Iterable[int]) -> set[int]:
    """Which of these users reported a TLP:RED incident (and so see it as its reporter)."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return set()
    return set(
        Incident.objects.filter(sharing_level=SharingLevel.RED, reporter_id__in=ids)
        .values_list("reporter_id", flat=True)
        .distinct()
    )


def organisation_viewer(organisation: Organisation) -> Viewer:
    """What an address of the organisation may see when it is no member's own: a reader's view.

    A security manager lists such addresses (a security desk's shared mailbox) in the
    organisation's subscriptions. Nobody is named, so TLP:RED, which is for named people,
    never reaches them.
    """
    if not organisation.is_active:
        return ANONYMOUS
    partner_ids = frozenset(
        Organisation.partners.through.objects.filter(
            from_organisation_id=organisation.pk, to_organisation__is_active=True
        ).values_list("to_organisation_id", flat=True)
    )
    return Viewer(
        user_id=None,
        organisation_ids=frozenset({organisation.pk}),
        partner_organisation_ids=partner_ids - {organisation.pk},
    )


def visibility_filter(viewer: Viewer) -> Q:
    """The Q object that selects exactly the incidents this viewer may see."""
    if viewer.is_operator:
        return Q()
    allowed = PUBLIC
    if viewer.is_member or viewer.is_analyst:
        allowed |= Q(sharing_level__in=COMMUNITY_LEVELS) & ~Q(status=ReviewStatus.RETRACTED)
    if viewer.organisation_ids:
        own = Q(organisation_id__in=viewer.organisation_ids)
        allowed |= own & ~Q(sharing_level=SharingLevel.RED)
        # TLP:RED is for named people: the reporter, and the organisation's officers.
        red_readers = []
        if viewer.user_id is not None:
            red_readers.append(Q(reporter_id=viewer.user_id))
        if viewer.officer_organisation_ids:
            red_readers.append(Q(organisation_id__in=viewer.officer_organisation_ids))
        for readers in red_readers:
            allowed |= own & Q(sharing_level=SharingLevel.RED) & readers
    if viewer.partner_organisation_ids:
        allowed |= Q(organisation_id__in=viewer.partner_organisation_ids, sharing_level=SharingLevel.AMBER) & ~Q(
            status=ReviewStatus.RETRACTED
        )
    return allowed


def is_platform_operator(user: AnyUser | None) -> bool:
    """Whether the user holds the operator's permission themselves or through a group.

    Asked of the permission rows, not of `has_perm`, which answers yes to every superuser.
    Operators are service staff: the question is not asked (no query) for anyone else.
    """
    if user is None or not user.is_authenticated or not user.is_active or not getattr(user, "is_staff", False):
        return False
    return user.pk in platform_operators([user])


def platform_operators(staff: Sequence[AnyUser]) -> set[int]:
    """Which of these active staff users are platform operators: one query, none for nobody."""
    ids = [user.pk for user in staff]
    if not ids:
        return set()
    app_label, codename = OPERATOR_PERMISSION
    holders = Permission.objects.filter(
        Q(user__pk__in=ids) | Q(group__user__pk__in=ids), content_type__app_label=app_label, codename=codename
    ).values_list("user__pk", "group__user__pk")
    return {user_id for pair in holders for user_id in pair if user_id in ids}


# Who may change what ----------------------------------------------------------------------


def is_analyst(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and getattr(user, "is_staff", False))


def officer_organisations(user: AnyUser | None) -> QuerySet[Organisation]:
    """The active organisations for which the user may log and edit incidents."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        is_active=True, memberships__user_id=user.pk, memberships__role__in=OFFICER_ROLES
    ).distinct()


def can_edit_incident(user: AnyUser | None, incident: Incident) -> bool:
    """Officers, security managers and administrators of the reporting organisation edit its incidents."""
    if user is None or not user.is_authenticated or incident.organisation_id is None:
        return False
    return officer_organisations(user).filter(pk=incident.organisation_id).exists()


# Who may learn the reporting organisation ----------------------------------------------------


def reporter_shown(viewer: Viewer, *, organisation_id: int | None, sharing_level: str, named_publicly: bool) -> bool:
    """`may_see_reporter` on plain values, for rows read without their objects (the CSV export).
    The viewer is assumed to see the incident: only callers past `visibility_filter` ask."""
    if organisation_id is None:
        return False
    if named_publicly or viewer.is_analyst or organisation_id in viewer.organisation_ids:
        return True
    return viewer.is_member and sharing_level != SharingLevel.CLEAR


def may_see_reporter(viewer: Viewer, incident: Incident) -> bool:
    """Whether the viewer may learn which organisation reported the incident (rules at the top)."""
    organisation = incident.organisation
    return reporter_shown(
        viewer,
        organisation_id=incident.organisation_id,
        sharing_level=incident.sharing_level,
        named_publicly=organisation is not None and organisation.named_publicly,
    )


def administered_organisations(user: AnyUser | None) -> QuerySet[Organisation]:
    """The organisations whose members and roles the user may change: those they administer,
    or every one for a platform operator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if is_platform_operator(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user_id=user.pk, memberships__role=Role.ADMIN).distinct()
