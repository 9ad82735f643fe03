"""Settings for the Joint Programme Manager, read from the environment.

A fresh checkout runs with no variables set: SQLite in the project folder, debug
on, a development secret key. Production sets ``DJANGO_DEBUG=false``, a real
``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable, refusing anything that is not clearly yes or no."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Production mode (set by the units in deploy/): debug is off unless asked for, and
# asking for it is refused, so a production server never starts with DEBUG on.
PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_PRODUCTION is on.")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
# Old keys still accepted for sessions and signed values while the new key rolls out
# (docs/runbook.md, "Rotate the secret key"): comma-separated, newest first.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    # Content in English and Serbian (title_en, title_sr columns); before the admin,
    # as django-modeltranslation asks, so the admin shows both languages.
    "modeltranslation",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Local, lowest layer first
    "stakeholders",
    "jointprogramme",
    "outcomes",
    "meetings",
    "funding",
    # Top layer beside the dashboard: reads every app (read API, IATI export)
    "api",
]

MIDDLEWARE = [
    # First, so its one log line per request covers everything below it.
    "jointprogramme.middleware.RequestLogMiddleware",
    # A view that cannot reach the database answers 503 (try again), not 500.
    "jointprogramme.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the language cookie set by the switcher in base.html
    # (set_language), else the browser's Accept-Language. URLs carry no prefix.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jointprogramme.urls"

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
                "jointprogramme.context_processors.current_programme",
            ],
        },
    },
]

WSGI_APPLICATION = "jointprogramme.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in after repeated failures (django-axes). It needs the
    # request, so tests sign in with force_login or by posting the login form.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

TIME_ZONE = "Europe/Belgrade"
USE_I18N = True
# The interface in English, Serbian Latin and Serbian Cyrillic. The Cyrillic catalogue
# (locale/sr) is generated from the Latin one (locale/sr_Latn) by
# ``manage.py transliterate_catalogue``; both are checked by tests/i18n.
LANGUAGES = [
    ("en", "English"),
    ("sr-latn", "Srpski (latinica)"),
    ("sr", "Српски (ћирилица)"),
]
# The installation's language: the interface's until a visitor chooses another (or
# their browser asks for one), and the language of the reporting reminders, which go
# out of a command, not a request (nobody's own language is stored).
LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"DJANGO_LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}."
    )
# Dates: Django's formats for Serbian ("30. novembar 2026."); English as "30 Nov 2026"
# rather than Django's American "Nov. 30, 2026" (jointprogramme/formats/en).
FORMAT_MODULE_PATH = ["jointprogramme.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Texts people write (titles, descriptions, NAP objectives, meeting purposes) in two
# languages, English and Serbian (django-modeltranslation, registered in each app's
# translation.py). Serbian is stored once, in either script, and shown in the script
# of the interface (jointprogramme/transliteration.py, the ``translated`` filter).
MODELTRANSLATION_LANGUAGES = ("en", "sr")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "sr")}
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Front-end libraries come from npm (package.json) and are served as static files:
# no CDN, so an offline installation works.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
# Uploaded files go through Django's storage API: a local folder by default (shared
# or backed up with the database, see docs/runbook.md), an S3-compatible bucket when
# DJANGO_S3_BUCKET is set (django-storages; credentials from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY). Files are private: links are signed and expire.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("DJANGO_S3_REGION") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# The cache is shared by every app server when REDIS_URL is set (Django's own Redis
# backend); without it each process keeps its own, which is right for one process.
# Sessions stay in the database (Django's default), so every app server sees them.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "jp"),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (reporting reminders, ``manage.py send_reminders``): printed to the console
# unless DJANGO_EMAIL_HOST names an SMTP server; DJANGO_EMAIL_BACKEND may choose
# another backend, e.g. django.core.mail.backends.filebased.EmailBackend with
# DJANGO_EMAIL_FILE_PATH.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
try:
    EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
except ValueError:
    raise ImproperlyConfigured("DJANGO_EMAIL_PORT must be a port number.") from None
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Joint Programme Manager <noreply@localhost>"
)
# Where links in e-mails point (no request to take the address from).
SITE_URL = os.environ.get("JP_SITE_URL", "http://localhost:8000").rstrip("/")

# The read API (api/): session or token sign-in (tokens made in the admin),
# read-only, paginated; its OpenAPI document at /api/schema/ with the Swagger UI
# served from this site (drf-spectacular-sidecar), no CDN.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a request without a session then gets 401 with
        # "WWW-Authenticate: Token", as API clients expect.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Joint Programme Manager API",
    "DESCRIPTION": (
        "Read-only data of the joint programmes you are a member of, with the pages' "
        "permissions. Sign in with a session or send `Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# IATI export (api/iati/, README "Open data"). Organisation identifiers are not
# invented: give the real ones (IATI Registry / OECD DAC channel codes) as
# "ACRONYM-OR-NAME=REF" pairs separated by commas. The reporting organisation is
# the programme's lead agency (the one leading most outcomes) unless named here; an
# agency without a known ref is reported under the placeholder prefix, flagged as
# such by the export's checks. JP_IATI_SCHEMA_DIR: the official 2.03 schema folder.
IATI_ORGANISATION_REFS = dict(
    pair.split("=", 1) for pair in env_list("JP_IATI_ORGANISATION_REFS", []) if "=" in pair
)
IATI_REPORTING_ORGANISATION = os.environ.get("JP_IATI_REPORTING_ORGANISATION", "")
IATI_PLACEHOLDER_PREFIX = os.environ.get("JP_IATI_PLACEHOLDER_PREFIX", "XI-IATI-JPM")
IATI_SCHEMA_DIR = Path(
    os.environ.get("JP_IATI_SCHEMA_DIR", BASE_DIR.parent / "shared" / "iati-2.03")
)

# Imports run inside one transaction: a bad row rolls back every row.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# An import file is refused before it is parsed when larger than IMPORT_MAX_BYTES (an
# XLSX also when it unpacks past ten times that), and before its first row when it has
# more than IMPORT_MAX_ROWS rows (stakeholders.uploads, stakeholders.resources). nginx
# refuses request bodies over 20 MB before they reach the application.
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000

# Security. Everything below is on when DJANGO_DEBUG is off; behind a proxy that
# terminates TLS set DJANGO_SECURE_PROXY_SSL_HEADER=true (X-Forwarded-Proto).
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Load balancers and monitoring ask app servers for /healthz over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sign-in throttling (django-axes): after 5 failures for one username from one
# address, that pair is locked for 15 minutes. Records live in the database, so
# every app server sees them.
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the proxy (DJANGO_SECURE_PROXY_SSL_HEADER on) the client's address is the
# X-Real-IP header nginx sets (deploy/nginx/jointprogramme.conf), not nginx's own.
AXES_CLIENT_IP_CALLABLE = "jointprogramme.middleware.client_ip"

# Content-Security-Policy: only this site's own files, no inline scripts, no
# third-party hosts. Inline style attributes are allowed for widths of progress bars.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Structured logs on standard error (journald keeps them under systemd): one line per
# request from jointprogramme.middleware, errors with their traceback; the formatter
# writes only known fields and masks e-mail addresses and database values
# (jointprogramme/logging.py). DJANGO_LOG_FORMAT: json (default in production) or text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": "jointprogramme.logging.StructuredFormatter",
            "output": os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json"),
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Django's own console handler would print errors a second time, unmasked.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}
