"""The incident taxonomy and the target types.

Each incident type maps to an ACLED event type and sub-event type. Where several of ours
share an ACLED pair (carjacking, theft and armed robbery are all ACLED "Looting/property
destruction"), one is marked the default: the type an imported ACLED event of that pair gets.
Every ACLED sub-event type has a default, so any current ACLED export imports cleanly.
Matched by slug: running it again fills in only what is missing or different.
"""

from django.db import migrations

VAC, BATTLES, EXPLOSIONS = "Violence against civilians", "Battles", "Explosions/Remote violence"
STRATEGIC, PROTESTS, RIOTS = "Strategic developments", "Protests", "Riots"

# (slug, name, threat category slug, ACLED event type, ACLED sub-event type, ACLED default, severity)
INCIDENT_TYPES = [
    ("kidnapping", "Kidnapping", "kidnapping", VAC, "Abduction/forced disappearance", True, 4),
    ("armed-attack", "Armed attack", "terrorism", VAC, "Attack", True, 4),
    ("explosive-ied", "Explosive device / IED", "terrorism", EXPLOSIONS, "Remote explosive/landmine/IED", True, 4),
    ("vbied", "Vehicle-borne IED (VBIED)", "terrorism", EXPLOSIONS, "Remote explosive/landmine/IED", False, 5),
    ("suicide-bombing", "Suicide bombing", "terrorism", EXPLOSIONS, "Suicide bomb", True, 5),
    ("armed-robbery", "Armed robbery", "crime", STRATEGIC, "Looting/property destruction", False, 3),
    ("carjacking", "Carjacking", "crime", STRATEGIC, "Looting/property destruction", False, 3),
    (
        "banditry-roadblock",
        "Banditry / illegal roadblock",
        "crime",
        STRATEGIC,
        "Looting/property destruction",
        False,
        3,
    ),
    ("home-invasion", "Home invasion", "crime", STRATEGIC, "Looting/property destruction", False, 3),
    ("theft", "Theft", "crime", STRATEGIC, "Looting/property destruction", False, 2),
    ("threat-intimidation", "Threat / intimidation", "crime", STRATEGIC, "Other", False, 2),
    ("arrest-detention", "Arrest / detention", "wrongful-detention", STRATEGIC, "Arrests", True, 3),
    ("protest-riot", "Protest / riot", "political-violence", RIOTS, "Violent demonstration", True, 3),
    ("cyber-incident", "Cyber incident", "cyber", STRATEGIC, "Other", False, 2),
    ("seizure", "Seizure of illicit goods", "crime", STRATEGIC, "Other", False, 1),
    ("other", "Other", "other", STRATEGIC, "Other", True, 2),
    # The rest of ACLED's sub-event types, so that every ACLED event has a type of its own.
    ("armed-clash", "Armed clash", "political-violence", BATTLES, "Armed clash", True, 4),
    (
        "territory-taken",
        "Armed group takes territory",
        "political-violence",
        BATTLES,
        "Non-state actor overtakes territory",
        True,
        4,
    ),
    (
        "territory-regained",
        "Government regains territory",
        "political-violence",
        BATTLES,
        "Government regains territory",
        True,
        3,
    ),
    (
        "shelling",
        "Shelling / artillery / missile attack",
        "political-violence",
        EXPLOSIONS,
        "Shelling/artillery/missile attack",
        True,
        4,
    ),
    ("air-strike", "Air or drone strike", "political-violence", EXPLOSIONS, "Air/drone strike", True, 4),
    ("grenade", "Grenade attack", "terrorism", EXPLOSIONS, "Grenade", True, 4),
    ("chemical-weapon", "Chemical weapon", "terrorism", EXPLOSIONS, "Chemical weapon", True, 5),
    ("sexual-violence", "Sexual violence", "crime", VAC, "Sexual violence", True, 4),
    ("looting", "Looting / property destruction", "crime", STRATEGIC, "Looting/property destruction", True, 3),
    ("disrupted-weapons-use", "Weapons seized or defused", "terrorism", STRATEGIC, "Disrupted weapons use", True, 1),
    ("peaceful-protest", "Peaceful protest", "political-violence", PROTESTS, "Peaceful protest", True, 1),
    (
        "protest-intervention",
        "Protest with intervention",
        "political-violence",
        PROTESTS,
        "Protest with intervention",
        True,
        2,
    ),
    (
        "excessive-force",
        "Excessive force against protesters",
        "political-violence",
        PROTESTS,
        "Excessive force against protesters",
        True,
        3,
    ),
    ("mob-violence", "Mob violence", "political-violence", RIOTS, "Mob violence", True, 3),
    ("agreement", "Agreement", "political-violence", STRATEGIC, "Agreement", True, 1),
    ("change-to-group", "Change to group or activity", "other", STRATEGIC, "Change to group/activity", True, 1),
    (
        "base-established",
        "Headquarters or base established",
        "political-violence",
        STRATEGIC,
        "Headquarters or base established",
        True,
        2,
    ),
    (
        "territory-transfer",
        "Non-violent transfer of territory",
        "political-violence",
        STRATEGIC,
        "Non-violent transfer of territory",
        True,
        2,
    ),
]

TARGET_TYPES = [
    ("ngo-staff", "NGO staff"),
    ("un-staff", "UN staff and peacekeepers"),
    ("foreigners", "Foreigners"),
    ("security-forces", "Security forces"),
    ("civilians", "Civilians"),
    ("government-officials", "Government officials"),
    ("journalists", "Journalists"),
    ("religious-figures", "Religious figures"),
    ("health-workers", "Health workers"),
    ("businesses", "Businesses"),
    ("infrastructure", "Infrastructure and property"),
]


def create_taxonomy(apps, schema_editor):
    ThreatCategory = apps.get_model("advisories", "ThreatCategory")
    IncidentType = apps.get_model("incidents", "IncidentType")
    TargetType = apps.get_model("incidents", "TargetType")
    categories = {c.slug: c for c in ThreatCategory.objects.all()}
    for position, (slug, name, category, event, sub_event, default, severity) in enumerate(INCIDENT_TYPES, 1):
        IncidentType.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "category": categories[category],
                "acled_event_type": event,
                "acled_sub_event_type": sub_event,
                "acled_default": default,
                "default_severity": severity,
                "position": position,
            },
        )
    for position, (slug, name) in enumerate(TARGET_TYPES, 1):
        TargetType.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial"), ("advisories", "0003_threat_categories")]

    operations = [migrations.RunPython(create_taxonomy, migrations.RunPython.noop)]
