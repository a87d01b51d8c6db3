from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from incidents.importers.acled import acled_import
from incidents.importers.base import ImportReport, OnError, Progress
from incidents.importers.command import ImportCommand


class Command(ImportCommand):
    help = _(
        "Import an ACLED export (CSV) as published TLP:CLEAR incidents, one per event_id_cnty. "
        "Safe to run again: unchanged events are left alone."
    )
    file_help = _("The ACLED export, a .csv file.")
    unit = "event"

    def run_import(self, *, path: Path, dry_run: bool, on_error: OnError, progress: Progress[Any]) -> ImportReport:
        return acled_import(path=path, dry_run=dry_run, on_error=on_error, progress=progress)
