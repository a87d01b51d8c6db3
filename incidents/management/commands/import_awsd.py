from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from incidents.importers.awsd import awsd_import
from incidents.importers.base import ImportReport, OnError, Progress
from incidents.importers.command import ImportCommand


class Command(ImportCommand):
    help = _(
        "Import an Aid Worker Security Database export (CSV, UTF-8 or Latin-1) as published TLP:CLEAR "
        "incidents, one per Incident ID. Safe to run again: unchanged incidents are left alone."
    )
    file_help = _("The AWSD export, a .csv file.")
    unit = "incident"

    def run_import(self, *, path: Path, dry_run: bool, on_error: OnError, progress: Progress[Any]) -> ImportReport:
        return awsd_import(path=path, dry_run=dry_run, on_error=on_error, progress=progress)
