from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisoriesConfig(AppConfig):
    name = "advisories"
    verbose_name = _("Advisories")

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401 - checks registers itself

        receivers.connect()
