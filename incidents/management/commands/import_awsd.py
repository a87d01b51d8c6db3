from django.utils.translation import gettext as _

from incidents.importers.awsd import awsd_import
from incidents.importers.command import IncidentImportCommand


class Command(IncidentImportCommand):
    help = _(
        "Import an Aid Worker Security Database export (CSV, UTF-8 or Latin-1) as published TLP:CLEAR "
        "incidents, one per Incident ID. Safe to run again: unchanged incidents are left alone."
    )
    file_help = _("The AWSD export, a .csv file.")
    unit = "incident"
    importer = awsd_import
