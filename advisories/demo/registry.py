"""The demo data of the apps above advisories, run by `manage.py load_demo` after its own.

Dependencies point one way (advisories <- incidents <- alerts), so advisories cannot import
the apps whose demo data it loads. Each such app registers a loader here from its
`AppConfig.ready()`, as a dotted path that is imported only when load_demo runs:

    registry.register("incidents", "incidents.demo.loader.load")

The loader is called with a `loader.DemoContext` inside load_demo's one transaction, after
the advisories data and before the next app's, in INSTALLED_APPS order; it counts what it
wrote in the context's report. An app that is not installed has no AppConfig, registers
nothing, and is not run.
"""

from __future__ import annotations

from django.apps import apps

_loaders: dict[str, str] = {}


def register(app_label: str, loader_path: str) -> None:
    """Make load_demo run `loader_path` (a "module.function" path) for this app."""
    _loaders[app_label] = loader_path


def registered_loaders() -> list[tuple[str, str]]:
    """(app label, loader path) of every installed app that registered one, in INSTALLED_APPS order."""
    order = [config.label for config in apps.get_app_configs()]
    return [(label, _loaders[label]) for label in order if label in _loaders]
