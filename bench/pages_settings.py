"""Production settings with one more address, /bench/bare/, for bench/pages.py's ceiling."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
