from django.utils.translation import gettext as _

from incidents.importers.acled import acled_import
from incidents.importers.command import IncidentImportCommand


class Command(IncidentImportCommand):
    help = _(
        "Import an ACLED export (CSV) as published TLP:CLEAR incidents, one per event_id_cnty. "
        "Safe to run again: unchanged events are left alone."
    )
    file_help = _("The ACLED export, a .csv file.")
    unit = "event"
    importer = acled_import
