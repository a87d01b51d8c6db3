"""Production settings with /bench/raw/<n>/ for bench/api_list.py's ceiling."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
# The benchmark's client sends one request after another from one address.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
