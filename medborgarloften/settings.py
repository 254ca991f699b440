"""The one settings module, configured by environment variables.

With nothing set, the site runs in debug mode on an SQLite file in the project folder, so that a
newcomer's first `make run` just works. Production sets DATABASE_URL (PostgreSQL), SECRET_KEY,
ALLOWED_HOSTS and DEBUG=false, and optionally REDIS_URL and PAGE_CACHE_SECONDS: see
`production.env.example` and the README.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name, default):
    """A yes/no setting; a value it does not know (`HTTPS=ture`, or empty) stops the start
    instead of quietly reading as false."""
    if name not in os.environ:
        return default
    value = os.environ[name].strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    accepted = ", ".join(f"{yes}/{no}" for yes, no in zip(TRUE_WORDS, FALSE_WORDS, strict=True))
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value. Accepted: {accepted}, in any case."
    )


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "simple_history",
    # Commitments with their indicators on the promise's admin page.
    "nested_admin",
    "axes",
    "promises",
    "followup",
    "public",
    "accessibility",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "medborgarloften.middleware.SwedishFirstLocaleMiddleware",
    # Kept public pages are served from here: a visitor's language is known, nothing else is run.
    "public.page_cache.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A number too large for the database answers 400, never a server error.
    "medborgarloften.middleware.MalformedNumberMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "medborgarloften.urls"
WSGI_APPLICATION = "medborgarloften.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite is the embedded default so that the demo runs with nothing installed;
# production and CI point DATABASE_URL at PostgreSQL.
# Connections are kept between requests in production: opening one to PostgreSQL costs about as
# much as serving a cached page. The health check before reuse replaces a connection that died
# with the database, so the site recovers from an outage without a restart.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that goes silent (a lost network, not a refusal) must not hang the workers:
    # give up connecting after 2 s (the least libpq and psycopg allow), and drop a kept
    # connection whose packets, or keepalive probes after a second of quiet, go unacknowledged
    # for 2 s (the user timeout also ends the probing). Application and database share a data
    # centre: a network silent for 2 s is an outage, and the request in flight gets a 503 with
    # nothing saved. After a slow failure the backend pauses its attempts for a moment
    # (medborgarloften/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "medborgarloften.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=2,
        keepalives=1,
        keepalives_idle=1,
        keepalives_interval=1,
        tcp_user_timeout=2000,
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it starts, so two requests writing at once
    # (two first downloads building the same file) wait in turn instead of failing as locked.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins after repeated failures
    "django.contrib.auth.backends.ModelBackend",
]
# Proxies in front of the site whose X-Forwarded-For entries are trusted (a load balancer: 1).
# The visitor's address comes from there (promises/client_ip.py); 0 ignores the header.
trusted_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "0").strip()
if not trusted_proxies.isdigit():
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT={trusted_proxies!r} is not a number of proxies (0, 1, 2 …)."
    )
TRUSTED_PROXY_COUNT = int(trusted_proxies)
AXES_CLIENT_IP_CALLABLE = "promises.client_ip.client_ip"
# Failed logins lock until an hour passes without one: five for one user name from one address
# (that name from that address only, so a stranger cannot lock a colleague out), and twenty from
# one address whatever the names (one password tried against many). medborgarloften/logins.py.
AXES_HANDLER = "medborgarloften.logins.LoginLimits"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = 5
LOGIN_FAILURE_LIMIT_PER_ADDRESS = 20
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True
# Problem reports through the accessibility statement from one visitor's address within an hour
# of its first (accessibility/limits.py).
PROBLEM_REPORTS_PER_HOUR = 10
# The only login is the admin's, for the council: after it, an unsafe or missing `next` leads to
# the admin's start page instead of Django's /accounts/profile/, which does not exist here.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# History is for reading: a revert would bypass publishing and the corrections log.
SIMPLE_HISTORY_REVERT_DISABLED = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in production; plain storage in debug so that pages and tests
    # render without a prior collectstatic.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Security: headers everywhere, HTTPS-only cookies and HSTS in production (DEBUG off).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# HTTPS=false serves production settings over plain HTTP, for `make serve` and the benchmarks on
# this machine only: a browser or client would not send secure cookies back over HTTP.
# Both are read in debug too, so that a misspelt value is refused before it reaches production.
https = env_bool("HTTPS", True)
ssl_redirect = env_bool("SECURE_SSL_REDIRECT", True)
if not DEBUG and https:
    SECURE_SSL_REDIRECT = ssl_redirect
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers ask for the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# No inline scripts or styles anywhere: every page's code and styles come from static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# django-import-export: spreadsheets in and out of the admin. An import is all or nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
IMPORT_EXPORT_FORMATS = [XLSX, CSV]
# An uploaded import file waits here between its preview and its confirmation
# (followup/import_uploads.py); files older than the age limit are swept at the next upload.
# Servers that share the work behind one address need a folder they share.
IMPORT_UPLOAD_DIR = os.environ.get(
    "IMPORT_UPLOAD_DIR", str(Path(tempfile.gettempdir()) / "medborgarloften-imports")
)
IMPORT_UPLOAD_MAX_AGE_HOURS = 12

# The shared cache: Redis when several servers share the work, else each process's own memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        # django-redis keeps its redis-py client between calls (Django's own Redis backend
        # builds one for every call, which costs more than reading a kept page).
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # A Redis that stops answering costs a visitor a second per cache call, not a hung
        # request: the page cache then makes pages afresh and logs a warning
        # (public/page_cache.py). Failures are raised, not ignored (IGNORE_EXCEPTIONS), so that
        # the page cache can tell a failure from a page that was not kept.
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Public pages are kept this many seconds for visitors who are not logged in (0: not cached).
# Every edit of promises or follow-ups makes the kept pages showing its data stale at once (its
# area's and the national pages, promises/revision.py), so the time only bounds memory and the
# turn of a year.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
# The open-data files and yearly reports are built once per revision of the public data and day,
# kept in the database (public/built_files.py); off, they are built for every request.
KEEP_BUILT_FILES = env_bool("KEEP_BUILT_FILES", True)
# A kept national file (open data, the yearly reports) of an older revision is served while it is
# younger than this, and rebuilt by one request after that while the others get it: during the
# data-entry season every few seconds brings an edit somewhere in the country.
NATIONAL_FILE_STALE_SECONDS = int(os.environ.get("NATIONAL_FILE_STALE_SECONDS", "60"))

# Logs go to stdout, as JSON lines for a log collector in production and as text while developing.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "medborgarloften.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"one_line_outages": {"()": "medborgarloften.logs.OneLineOutages"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": os.environ.get("LOG_FORMAT", "text" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own handlers would print errors a second time, as text.
    "loggers": {
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.request": {"filters": ["one_line_outages"]},
        # WeasyPrint tells each step of every PDF it prints (public/printing.py) at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
