"""The web process (gunicorn config.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A request reads a page of rows through an index: the workers of a parallel plan take longer to
# start than the scan they would share. Celery's workers and the commands, whose aggregates over
# a whole country gain from them, keep the server's setting (DATABASE_PARALLEL_WORKERS, README.md).
os.environ.setdefault("DATABASE_PARALLEL_WORKERS", "0")

application = get_wsgi_application()
