from django.utils.translation import gettext as _

from advisories.us_advisories import ImportReport, us_advisories_import
from config.importing.command import ImportCommand


class Command(ImportCommand):
    """Counts are of countries (one row can cover several); problems are listed by row."""

    help = _(
        "Set each country's advisory level from the U.S. State Department's summary table (CSV or JSON). "
        "Safe to run again: unchanged levels are left alone and newer advisories are never overridden."
    )
    file_help = _("The summary table, a .csv or .json file.")
    on_error_help = _(
        "skip: import the good rows and report the bad ones (default); abort: write nothing if any row "
        "is bad. Duplicate rows are not errors: the later-dated one is used and the others reported."
    )
    unit = "country"
    importer = staticmethod(us_advisories_import)

    def heading(self, report: ImportReport) -> str:
        return _("Read %(count)s records from %(path)s (%(format)s).") % {
            "count": report.records,
            "path": report.path,
            "format": report.file_format,
        }

    def other_lines(self, report: ImportReport) -> list[str]:
        return [
            _("Unchanged because a newer advisory exists: %(count)s") % {"count": len(report.superseded)},
            *(f"  {label}" for label in report.superseded),
            _("Duplicates skipped: %(count)s") % {"count": len(report.duplicates)},
            *(f"  {problem}" for problem in report.duplicates),
        ]
