# Vigil's one image: gunicorn by default; the Celery worker and beat run the same image with
# another command (see docker-compose.yml).
# Leaflet, which the pages serve themselves, from npm (the lock file pins it).
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_STATIC_ROOT=/app/staticfiles

WORKDIR /app

RUN groupadd --system vigil \
    && useradd --system --gid vigil --home-dir /app --no-create-home --shell /usr/sbin/nologin vigil

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
COPY --from=assets /assets/node_modules ./node_modules

# The code and the collected static files stay owned by root (the app cannot rewrite them);
# only var/ (Celery beat's schedule, e-mail files in the embedded mode) is the app's to write.
# collectstatic imports the settings, which need a secret key: a throwaway one that exists
# only for this command and is not kept in the image.
RUN mkdir -p static var \
    && DJANGO_SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --no-input -v 0 \
    && chown vigil:vigil var

USER vigil

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py", "web"]

# WEB_CONCURRENCY (read by gunicorn) sets the number of worker processes.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm"]
