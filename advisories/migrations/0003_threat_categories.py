"""The threat categories that threat ratings, incidents and subscriptions refer to.

Each category maps to the advisory indicator letter that covers it, where one exists (cyber
has none). Matched by slug, so running it on a database that already has some of them only
fills in what is missing or different.
"""

from django.db import migrations

# (slug, name, indicator letter or "", description)
CATEGORIES = [
    ("crime", "Crime", "C", "Violent and organized crime: robbery, carjacking, home invasion, theft, banditry."),
    ("terrorism", "Terrorism", "T", "Attacks and threats by violent extremist organizations."),
    ("kidnapping", "Kidnapping", "K", "Kidnapping and hostage taking, for ransom or for leverage."),
    (
        "political-violence",
        "Political violence and civil unrest",
        "U",
        "Coups, armed political conflict, demonstrations and riots.",
    ),
    ("wrongful-detention", "Wrongful detention", "D", "Arbitrary detention of foreign nationals by the authorities."),
    ("health", "Health", "H", "Outbreaks and the weakness of the health system."),
    ("natural-disaster", "Natural disaster", "N", "Floods, droughts, storms, earthquakes and their aftermath."),
    ("cyber", "Cyber", "", "Cyber crime: fraud, ransomware, data breaches."),
    ("other", "Other", "O", "Risks that fit no other category."),
]


def create_categories(apps, schema_editor):
    ThreatCategory = apps.get_model("advisories", "ThreatCategory")
    for position, (slug, name, indicator, description) in enumerate(CATEGORIES, start=1):
        ThreatCategory.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "indicator": indicator, "description": description, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("advisories", "0002_load_countries_and_regions")]

    # Going back leaves the rows: threat ratings protect their category, and an empty
    # taxonomy is never what anyone wants.
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
