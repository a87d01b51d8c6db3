from typing import Any

from django.core.management.base import BaseCommand

from advisories.services import countries_sync


class Command(BaseCommand):
    help = "Create the ISO 3166 countries and first-level regions that are missing; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        result = countries_sync()
        self.stdout.write(
            f"Countries created: {result.countries_created}; regions created: {result.regions_created}; "
            f"regions renamed: {result.regions_renamed}."
        )
