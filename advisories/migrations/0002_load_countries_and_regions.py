"""Every ISO 3166-1 country and its first-level ISO 3166-2 subdivisions, from pycountry.

`manage.py sync_countries` runs the same code again after a pycountry upgrade.
"""

from django.db import migrations


def load(apps, schema_editor):
    from advisories.services import countries_sync

    countries_sync(
        country_model=apps.get_model("advisories", "Country"), region_model=apps.get_model("advisories", "Region")
    )


class Migration(migrations.Migration):
    dependencies = [("advisories", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
