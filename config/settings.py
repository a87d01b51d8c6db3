"""Vigil settings, read from the environment only.

With nothing set, Vigil runs in its embedded default: an SQLite file, Celery tasks run
inline, e-mail written to files, a local-memory cache. Setting DATABASE_URL, REDIS_URL
and EMAIL_URL moves the same code onto PostgreSQL, Redis and an SMTP server.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Set it to a long random string (or set DJANGO_DEBUG=true for local development)."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "axes",
    "csp",
    "advisories",
    "incidents",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed (static files come precompressed from whitenoise, above).
    # Django pads the gzip header at random against BREACH-style length guessing.
    "django.middleware.gzip.GZipMiddleware",
    "config.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.cache_control.PrivateWhenSignedInMiddleware",
    # The language cookie on sign-in, and `Vary: Accept-Language, Cookie` on every answer.
    "config.language.LanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into the "locked, try again later" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in the embedded default, anything DATABASE_URL names otherwise.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vigil.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
# A kept connection that the server closed (a restart, a failover) is replaced before a request
# uses it, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's parallel plans: max_parallel_workers_per_gather for Vigil's connections; empty
# leaves the server's own. The web process (config/wsgi.py) sets 0: its queries read a page of rows
# through an index, and the workers of a parallel plan take longer to start than the scan they
# would share (the API's list in a 0.5-degree box at 1,000,000 incidents: 7 ms with two workers,
# 0.3 ms without; bench/lists_at_scale.py). Options in DATABASE_URL are kept.
DATABASE_PARALLEL_WORKERS = env.str("DATABASE_PARALLEL_WORKERS", default="")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_PARALLEL_WORKERS:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        filter(None, (_options.get("options"), f"-c max_parallel_workers_per_gather={int(DATABASE_PARALLEL_WORKERS)}"))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) speed up PostgreSQL; SQLite, the embedded default, builds them
# without the included columns, which is what we want there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Cache and broker: Redis when REDIS_URL is set, local memory and inline tasks otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
# How long a request waits on a Redis that does not answer before going on without it.
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
if REDIS_URL:
    CACHES = {
        "default": {
            # Falls back to this process's memory while Redis is unreachable (config/outage.py).
            "BACKEND": "config.outage.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_SOCKET_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# A task that is not acknowledged within this time is handed to another worker; it must stay
# above the longest task's run time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A request that queues a task waits at most this long on a broker that does not answer
    # (the task is in the database; the sweeper queues it later: alerts/task_queue.py).
    "socket_connect_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=1.0),
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=1.0),
    # And connects once, instead of retrying for broker_connection_timeout (kombu's default):
    # the worker's consumer reconnects on its own terms (broker_connection_retry).
    "max_retries": 0,
}
# Immediate alerts have a queue of their own so that a long digest never holds them up.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "alerts.tasks.immediate_*": {"queue": "immediate"},
    "alerts.tasks.digest_*": {"queue": "digests"},
}
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1800)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT and REDIS_URL:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT, or a task still running "
        "would be handed to a second worker."
    )

# Alerts: how deliveries are claimed, retried and linked.
ALERTS_CLAIM_SECONDS = env.int("ALERTS_CLAIM_SECONDS", default=300)
ALERTS_RETRY_BASE_SECONDS = env.int("ALERTS_RETRY_BASE_SECONDS", default=60)
ALERTS_MAX_ATTEMPTS = env.int("ALERTS_MAX_ATTEMPTS", default=8)
ALERTS_BATCH_SIZE = env.int("ALERTS_BATCH_SIZE", default=50)
# A digest batch computes and renders each distinct digest once: the larger, the less often
# (docker-compose.yml sends digests in batches of 200).
ALERTS_DIGEST_BATCH_SIZE = env.int("ALERTS_DIGEST_BATCH_SIZE", default=ALERTS_BATCH_SIZE)
# Subscriptions a digest run plans per transaction: the first e-mails leave while the rest is planned.
ALERTS_PLAN_PART = env.int("ALERTS_PLAN_PART", default=500)
ALERTS_CONFIRMATION_DAYS = env.int("ALERTS_CONFIRMATION_DAYS", default=7)
# The sweeper queues a delivery whose task could not be queued after this long, and one queued
# but never taken after ALERTS_REQUEUE_AFTER_SECONDS (by then the broker would have handed a
# message it still had to a worker again: its visibility timeout).
ALERTS_QUEUE_GRACE_SECONDS = env.int("ALERTS_QUEUE_GRACE_SECONDS", default=60)
ALERTS_REQUEUE_AFTER_SECONDS = env.int(
    "ALERTS_REQUEUE_AFTER_SECONDS", default=CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
)
# The immediate queue is never long (it has its own worker): an alert queued this long ago and
# never taken is queued again, so that one cut off by a broker outage is late by this much at most.
ALERTS_IMMEDIATE_REQUEUE_SECONDS = env.int("ALERTS_IMMEDIATE_REQUEUE_SECONDS", default=120)

# E-mail: files under var/mail in the embedded default, or whatever EMAIL_URL names
# (django-environ's form: smtp://user:password@host:port, smtp+tls://..., consolemail://).
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Vigil <alerts@vigil.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# An SMTP server that stops answering must not hold a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in (the site's and the admin's): django-axes counts failures per username and address and
# refuses that pair for AXES_COOLOFF_TIME after AXES_FAILURE_LIMIT of them, the right password too.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "config.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# Behind proxies that append to X-Forwarded-For, how many: the client is the address they saw.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# API tokens: failed token authentications per client address before a 429, and over how long.
API_TOKEN_FAILURE_LIMIT = env.int("API_TOKEN_FAILURE_LIMIT", default=10)
API_TOKEN_FAILURE_WINDOW_SECONDS = env.int("API_TOKEN_FAILURE_WINDOW_SECONDS", default=600)
# How long a new API token works unless its owner chooses otherwise.
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Vigil's date formats per language ("29 Nov 2024", "29 nov. 2024"); templates use DATE_FORMAT and DATETIME_FORMAT.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
# Leaflet comes from npm (`npm ci`, run by `make run`, `make test` and the Dockerfile) and is
# served under these prefixes. In a clone where npm has not run yet the pages work without their
# maps; `manage.py check --deploy` refuses to go to production so (advisories/checks.py).
NPM_STATIC_DIRS = {
    "vendor/leaflet": BASE_DIR / "node_modules" / "leaflet" / "dist",
    "vendor/leaflet.markercluster": BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist",
}
STATICFILES_DIRS = [
    BASE_DIR / "static",
    *((prefix, path) for prefix, path in NPM_STATIC_DIRS.items() if path.is_dir()),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# HTTPS: DJANGO_HTTPS=true, for a site served over TLS, turns on the redirect, HSTS and secure
# cookies together (each can still be set on its own). Off by default: `make run`, the embedded
# default and compose serve plain HTTP, where a redirect to https:// would leave nothing to reach.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
# /healthz answers a load balancer's plain-HTTP probes.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
# Asks browsers' built-in HSTS lists to carry the site; only for a domain meant to stay on HTTPS.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The language a reader chose (config/language.py): kept a year, sent on links from other sites.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): everything from this site, no inline script or style
# unless it carries the request's nonce (the API documentation's one style block does).
_CSP_SELF = ["'self'"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": _CSP_SELF,
        "script-src": [*_CSP_SELF, NONCE],
        "style-src": [*_CSP_SELF, NONCE],
        # Swagger UI's stylesheet draws its icons as data: images.
        "img-src": [*_CSP_SELF, "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": _CSP_SELF,
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (config/security.py): no page of Vigil uses these browser features.
PERMISSIONS_POLICY = env.str(
    "DJANGO_PERMISSIONS_POLICY",
    default="camera=(), microphone=(), geolocation=(), payment=(), usb=()",
)

# The JSON API at /api/v1/ (config/api/, each app's api/ package).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: an anonymous client is then told 401 with `WWW-Authenticate: Bearer`.
        "config.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.api.parsers.JSONParser"],
    # The Accept header chooses between JSON and GeoJSON; no ?format= to 404 on.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
    },
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vigil API",
    "DESCRIPTION": (
        "Security advisories, incidents and alerts. Read without signing in what is public; sign in "
        "(session) or send `Authorization: Bearer <token>` (a token you create at /accounts/api-token/) "
        "to read what your organisation may see and to write."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several models have a `kind`: each its own enum in the schema, named after the model.
    "ENUM_NAME_OVERRIDES": {
        "SourceKindEnum": "advisories.models.Source.Kind",
        "ReportSectionKindEnum": "advisories.models.ReportSection.Kind",
        "ContactPointKindEnum": "advisories.models.ContactPoint.Kind",
        "OrganisationKindEnum": "incidents.models.Organisation.Kind",
        "ActorKindEnum": "incidents.models.Actor.Kind",
        "ImmediateAlertKindEnum": "alerts.models.ImmediateAlert.Kind",
        # Two fields called `status`: an incident's review and a delivery's.
        "ReviewStatusEnum": "incidents.models.ReviewStatus",
        "DeliveryStatusEnum": "alerts.models.DeliveryStatus",
        # An advisory level, published (`level`, `published_level`) or suggested by the risk index: the
        # name the schema gave it before the risk index had one too.
        "LevelEnum": "advisories.models.AdvisoryLevel",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Tasks run inline in the embedded default: a line per task would bury the commands' output.
    # (and kombu warns that the in-memory broker, which nothing uses then, has no host name).
    # django-axes says at every start that it runs; its warnings (failures, lockouts) stay.
    "loggers": {"axes": {"level": "WARNING"}}
    | (
        {"celery.app.trace": {"level": "WARNING"}, "kombu.connection": {"level": "ERROR"}}
        if CELERY_TASK_ALWAYS_EAGER
        else {}
    ),
}

VIGIL_PUBLIC_URL = env.str("VIGIL_PUBLIC_URL", default="http://127.0.0.1:8000")
