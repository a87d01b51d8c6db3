"""Casualty counts of 0 that stood for "not known" become unknown (NULL), where the row can tell.

Until 0005 a count could not be empty, so a blank became 0. Which zeros were blanks can be told
only for the demo's rows (external_source "demo"): the demo gives a figure only where its source
document does, and `load_demo` writes the records' values back on its next run (so a real 0 of
the demo, such as the hostage rescue's abducted, comes back). What cannot be told is left alone:
an officer's 0 may be a real zero (nobody hurt), and an imported row's 0 may be the source's own 0;
importing the source again gives imported rows the source's blanks as unknown.
"""

from django.db import migrations

COUNTS = ("killed", "injured", "abducted")
DEMO_SOURCE = "demo"


def demo_zeros_to_unknown(apps, schema_editor):
    Incident = apps.get_model("incidents", "Incident")
    demo = Incident.objects.filter(external_source=DEMO_SOURCE)
    for name in COUNTS:
        demo.filter(**{name: 0}).update(**{name: None})


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0005_unknown_counts_and_import_notes"),
    ]

    # Backwards there is nothing to undo: the zeros that were blanks stay unknown.
    operations = [migrations.RunPython(demo_zeros_to_unknown, migrations.RunPython.noop)]
