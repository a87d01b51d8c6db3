"""The management command of the incident importers: the kit's, with a summary in incidents."""

from __future__ import annotations

from django.utils.translation import gettext as _

from config.importing.command import ImportCommand

from .base import ImportReport

# How many updated incidents the summary names one by one.
LISTED_UPDATES = 50


class IncidentImportCommand(ImportCommand):
    """Counts are of incidents; rejections are of rows, each with its line in the file."""

    def heading(self, report: ImportReport) -> str:
        return _("Read %(rows)s rows from %(path)s (%(encoding)s): %(incidents)s incidents.") % {
            "rows": report.rows,
            "path": report.path,
            "encoding": report.encoding,
            "incidents": report.incidents,
        }

    def updated_lines(self, report: ImportReport) -> list[str]:
        lines = [
            "  " + _("%(id)s: %(fields)s") % {"id": external_id, "fields": ", ".join(fields)}
            for external_id, fields in report.updated[:LISTED_UPDATES]
        ]
        if len(report.updated) > LISTED_UPDATES:
            lines.append("  " + _("... and %(count)s more") % {"count": len(report.updated) - LISTED_UPDATES})
        return lines
