from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from advisories.demo import registry

        from . import receivers  # noqa: F401 - connects the signal receivers

        registry.register(self.label, "alerts.demo.loader.load")
