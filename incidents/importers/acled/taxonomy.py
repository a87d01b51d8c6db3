"""Which incident type an ACLED event gets: its (event type, sub-event type) pair, the pair
ACLED gives its event types of before 2019, or the closest known type for a value we do not know.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from ...models import IncidentType

VAC, BATTLES, EXPLOSIONS = "Violence against civilians", "Battles", "Explosions/Remote violence"
STRATEGIC, PROTESTS, RIOTS = "Strategic developments", "Protests", "Riots"
EVENT_TYPES = (BATTLES, EXPLOSIONS, VAC, PROTESTS, RIOTS, STRATEGIC)
RIOTERS, PROTESTERS = 5, 6
LEGACY_RIOTS_PROTESTS = "Riots/Protests"

# ACLED's event types of before 2019 ("Violence against civilians" is in both taxonomies) and
# the (event type, sub-event type) pair each became, after ACLED's announcement of its new event
# and sub-event types (March 2019) and its 2019 Codebook. Where the old type does not tell
# the sub-event type (remote violence: a shell or an IED?), the pair is the least specific
# sub-event type of the new event type.
LEGACY_EVENT_TYPES: dict[str, tuple[str, str]] = {
    "Battle-No change of territory": (BATTLES, "Armed clash"),
    "Battle-Government regains territory": (BATTLES, "Government regains territory"),
    "Battle-Non-state actor overtakes territory": (BATTLES, "Non-state actor overtakes territory"),
    "Remote violence": (EXPLOSIONS, "Remote explosive/landmine/IED"),
    "Violence against civilians": (VAC, "Attack"),
    "Strategic development": (STRATEGIC, "Other"),
    "Non-violent transfer of territory": (STRATEGIC, "Non-violent transfer of territory"),
    "Headquarters or base established": (STRATEGIC, "Headquarters or base established"),
    # Before 2019 riots and protests shared one event type, told apart by the actor category
    # (ACLED's "Riots, Protests and Strategic Developments" note): rioters (inter code 5) riot,
    # protesters (6) protest. See `legacy_pair`.
    LEGACY_RIOTS_PROTESTS: (PROTESTS, "Peaceful protest"),
}
LEGACY_RIOTS = (RIOTS, "Violent demonstration")
# The sub-event type an event of a known event type gets when its own sub-event type is unknown.
GENERIC_SUB_EVENT_TYPES = {
    BATTLES: "Armed clash",
    EXPLOSIONS: "Remote explosive/landmine/IED",
    VAC: "Attack",
    PROTESTS: "Peaceful protest",
    RIOTS: "Violent demonstration",
    STRATEGIC: "Other",
}
OTHER = (STRATEGIC, "Other")
LEGACY_MAPPED = "legacy ACLED event type mapped"


@dataclass(frozen=True)
class Unknown:
    """A value the importer does not know, in the source's column, and what it was imported as."""

    column: str
    value: str
    imported_as: str = ""


@dataclass
class TypeChoice:
    """An event's incident type, the ACLED pair that type stands for, and how it was found."""

    incident_type: IncidentType
    event_type: str
    sub_event_type: str
    label: str  # what the title calls the event
    repairs: list[str] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)


def legacy_pair(event_type: str, inters: tuple[int, ...]) -> tuple[str, str] | None:
    """The current pair of an event type of before 2019, or None if it is not one."""
    if event_type == LEGACY_RIOTS_PROTESTS and RIOTERS in inters and PROTESTERS not in inters:
        return LEGACY_RIOTS
    return LEGACY_EVENT_TYPES.get(event_type)


class TypeFinder:
    """The incident types marked as the default of their ACLED pair, looked up once per run."""

    def __init__(self) -> None:
        self.types = {
            (t.acled_event_type, t.acled_sub_event_type): t for t in IncidentType.objects.filter(acled_default=True)
        }

    def choose(self, event_type: str, sub_event_type: str, inters: tuple[int, ...]) -> TypeChoice:
        pair = (event_type, sub_event_type)
        if pair in self.types:
            return self._choice(pair, label=sub_event_type)
        legacy = legacy_pair(event_type, inters)
        if legacy is not None and (not sub_event_type or event_type not in EVENT_TYPES):
            return self._choice(legacy, label=legacy[1], repairs=[self._legacy_repair(event_type, legacy, inters)])
        if event_type in EVENT_TYPES:
            generic = (event_type, GENERIC_SUB_EVENT_TYPES[event_type])
            unknown = [Unknown("sub_event_type", sub_event_type)]
            return self._choice(generic, label=sub_event_type or generic[1], unknown=unknown)
        unknown = [Unknown("event_type", event_type)]
        if sub_event_type:
            unknown.append(Unknown("sub_event_type", sub_event_type))
        return self._choice(OTHER, label=sub_event_type or event_type or OTHER[1], unknown=unknown)

    def _choice(
        self,
        pair: tuple[str, str],
        *,
        label: str,
        repairs: list[str] | None = None,
        unknown: list[Unknown] | None = None,
    ) -> TypeChoice:
        incident_type = self.types[pair]
        unknown = [replace(value, imported_as=incident_type.name) for value in unknown or []]
        return TypeChoice(incident_type, pair[0], pair[1], label, repairs or [], unknown)

    @staticmethod
    def _legacy_repair(event_type: str, pair: tuple[str, str], inters: tuple[int, ...]) -> str:
        sentence = _("ACLED's event type of before 2019 %(old)r mapped to %(type)s: %(sub)s") % {
            "old": event_type,
            "type": pair[0],
            "sub": pair[1],
        }
        if event_type == LEGACY_RIOTS_PROTESTS:
            if RIOTERS in inters and PROTESTERS not in inters:
                sentence += " " + _("(the actors are rioters)")
            elif PROTESTERS in inters and RIOTERS not in inters:
                sentence += " " + _("(the actors are protesters)")
            else:
                sentence += " " + _("(the actors do not tell a riot from a protest)")
        return sentence + "."
