#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

# `make run` writes the development settings of this checkout here, so that every command the
# README prints works as printed afterwards. A variable set in the environment wins over it.
DEV_ENV = Path(__file__).resolve().parent / "var" / "dev.env"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if DEV_ENV.is_file():
        import environ

        environ.Env.read_env(DEV_ENV)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
