from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # advisories' load_demo cannot import incidents (dependencies point one way), so the
        # incidents demo data is offered to it here, by path, and imported only when it runs.
        from advisories.demo import registry

        registry.register(self.label, "incidents.demo.loader.load")

        from . import page_versions
        from .risk import receivers  # noqa: F401  (connects the risk review receiver)

        page_versions.connect()
