"""The demo's subscriptions: the two demo NGOs' and a demo traveler's.

They exist only with the demo accounts (DEBUG on or `load_demo --with-accounts`), like the
NGOs they belong to: every address is a made-up one under vigil.localhost, and on a real
server none of this should receive e-mail. Right after `load_demo`,

    manage.py send_digests --frequency daily --now <tomorrow's date>

sends a digest of the demo's content to each recipient of the two daily subscriptions: Kora
Aid's three members and its security desk's address, and the traveler, each seeing only what
they may: Kora's officer and security manager also Kora's own TLP:RED incident, its reader and
its desk's address not, the traveler only what is public.

- Kora Aid (an international NGO working across Mali) follows the whole country: a daily
  digest of everything, and an immediate alert for any incident of severity 4 or more.
- Tamarind Relief (a national NGO working in the west, where its own demo incident is) follows
  the regions of Kayes and Koulikoro only, in a weekly digest of crime, kidnapping and terrorism
  of severity 2 or more. It has no security manager in the demo: Vigil's staff set it up.
- The traveler, who lives in France and goes to Mali, confirmed their address and reads a daily
  digest at 07:00 Paris time, leaving out the most minor incidents.
"""

from __future__ import annotations

from incidents.demo.organisations import KORA, KORA_MANAGER, TAMARIND

from .records import SubscriptionRecord

TRAVELER_EMAIL = "traveler@vigil.localhost"
KORA_DESK_EMAIL = "kora-security-desk@vigil.localhost"

KORA_DAILY = SubscriptionRecord(
    name="Mali daily digest (demo)",
    frequency="daily",
    organisation=KORA,
    include_members=True,
    addresses=(KORA_DESK_EMAIL,),
    countries=("ML",),
    min_severity=1,
    include_advisories=True,
    time_zone="Africa/Bamako",
    created_by=KORA_MANAGER.username,
)
KORA_IMMEDIATE = SubscriptionRecord(
    name="Mali severe incidents (demo)",
    frequency="immediate",
    organisation=KORA,
    include_members=True,
    countries=("ML",),
    min_severity=4,
    # Level changes come in the daily digest. Besides, the advisories load_demo writes are
    # changes too, announced when its transaction commits: an immediate subscription that
    # followed them would alert Kora's members a dozen times on the demo's first load.
    include_advisories=False,
    time_zone="Africa/Bamako",
    created_by=KORA_MANAGER.username,
)
TAMARIND_WEEKLY = SubscriptionRecord(
    name="Western Mali weekly (demo)",
    frequency="weekly",
    organisation=TAMARIND,
    include_members=True,
    regions=("ML-1", "ML-2"),
    categories=("crime", "kidnapping", "terrorism"),
    min_severity=2,
    include_advisories=True,
    time_zone="Africa/Bamako",
)
TRAVELER_DAILY = SubscriptionRecord(
    name="Mali before my trip (demo)",
    frequency="daily",
    email=TRAVELER_EMAIL,
    countries=("ML",),
    min_severity=2,
    include_advisories=True,
    time_zone="Europe/Paris",
)

SUBSCRIPTIONS: tuple[SubscriptionRecord, ...] = (KORA_DAILY, KORA_IMMEDIATE, TAMARIND_WEEKLY, TRAVELER_DAILY)
