"""System checks of what the advisory pages need from outside the repository."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.staticfiles, deploy=True)
def map_assets_installed(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The maps' scripts and styles come from npm: a deployment without them serves maps that never draw."""
    return [
        Error(
            f"{path} is missing: the pages would be served without {prefix.removeprefix('vendor/')}, "
            "and their maps would not draw.",
            hint="Run `npm ci` in the project's folder (`make run`, `make test` and the Dockerfile do).",
            id="advisories.E001",
        )
        for prefix, path in settings.NPM_STATIC_DIRS.items()
        if not path.is_dir()
    ]
