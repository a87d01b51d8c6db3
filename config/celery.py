"""The Celery application. Workers start with `celery -A config worker`."""

import os

from celery import Celery

from config.broker import use_for_redis_urls

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
use_for_redis_urls()

app = Celery("vigil")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
