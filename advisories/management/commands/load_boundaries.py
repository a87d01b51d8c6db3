from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisories.boundaries import ATTRIBUTION, SHIPPED, BoundaryDataError, boundaries_load


class Command(BaseCommand):
    help = (
        "Store the region boundaries shipped in advisories/boundaries/ on their regions; "
        "regions that already have them are left alone, so it is safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--country",
            action="append",
            dest="countries",
            metavar="CODE",
            help="Only this country (ISO 3166-1 alpha-2; may be repeated). Shipped: "
            + ", ".join(spec.country for spec in SHIPPED),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        countries = tuple(code.upper() for code in options["countries"]) if options["countries"] else None
        try:
            results = boundaries_load(countries=countries)
        except BoundaryDataError as error:
            raise CommandError(str(error)) from error
        for result in results:
            self.stdout.write(
                f"{result.country}: {len(result.updated)} updated, {len(result.unchanged)} unchanged, "
                f"{len(result.cleared)} cleared."
            )
            for code, landing in result.without_polygon:
                where = f"points there are placed in {landing}" if landing else "points there are placed nowhere"
                self.stdout.write(f"  {code} has no polygon of its own: {where}.")
        self.stdout.write(f"Boundaries: {ATTRIBUTION}.")
