"""Region boundaries from the geoBoundaries files in advisories/boundaries/ (CC BY 4.0).

Safe to run again: `manage.py load_boundaries` runs the same code, and regions whose boundary
is already the one shipped are left alone.
"""

from django.db import migrations


def load(apps, schema_editor):
    from advisories.boundaries import boundaries_load

    boundaries_load(
        country_model=apps.get_model("advisories", "Country"),
        region_model=apps.get_model("advisories", "Region"),
        boundary_model=apps.get_model("advisories", "RegionBoundary"),
    )


class Migration(migrations.Migration):
    dependencies = [("advisories", "0005_region_boundary_table")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
