"""Newsarchive settings: every knob is an environment variable with a working default.

- ``NEWSARCHIVE_DATA_DIR`` (default ``./data``): the SQLite database and the Whoosh index.
- ``DATABASE_URL``: another database, e.g. ``postgres://user:pass@host:5432/newsarchive``.
- ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS`` (comma-separated).
- ``NEWSARCHIVE_PRODUCTION=1``: HTTPS-only cookies, HSTS and redirects (passes
  ``manage.py check --deploy``); it refuses to start without a real ``SECRET_KEY``.
- ``SEARCH_BACKEND`` (``whoosh``, ``elasticsearch`` or ``solr``), ``SEARCH_URL``,
  ``SEARCH_INDEX_NAME``, ``WHOOSH_PATH``: where search lives (see README);
  ``WHOOSH_BULK_WRITER_MB`` (default 96): memory of each of a bulk load's two index writers.
- ``STORY_INDEX_FILE`` (default ``<data dir>/story-index.pickle``; empty: none): the story index
  saved for new processes, so they need not build it from the whole archive.
- ``AXES_FAILURE_LIMIT`` (default 5), ``AXES_COOLOFF_MINUTES`` (default 15): the admin login
  throttle: after that many failed logins for one user name, or from one address, that name or
  address is locked out for that long.
- ``JOB_RETRY_DELAYS`` (default ``30,120,600`` seconds), ``JOB_STALE_MINUTES`` (default 30): how
  background jobs are retried, and when a running job whose worker is gone is queued again.
- ``WEB_TIMEOUT`` (default 30 s): gunicorn's worker timeout; ``DATABASE_BUSY_TIMEOUT`` (default
  10 s, below it): how long a request waits for a database lock before the "busy" page.
- ``TRUSTED_PROXY_COUNT`` (default 0): how many proxies in front of Django append the client's
  address to ``X-Forwarded-For``; 0: the client is ``REMOTE_ADDR`` and the header is ignored.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, minimum: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}, not {value!r}.")
    return number


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("NEWSARCHIVE_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env_bool("NEWSARCHIVE_PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)
_DEV_SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
MIN_SECRET_KEY_LENGTH = 50  # as Django's own deployment check asks
if PRODUCTION and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY.strip()) < MIN_SECRET_KEY_LENGTH):
    raise ImproperlyConfigured(
        f"Set SECRET_KEY (at least {MIN_SECRET_KEY_LENGTH} random characters) when NEWSARCHIVE_PRODUCTION=1."
    )
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "DEBUG=1 shows settings and tracebacks to anyone: unset it when NEWSARCHIVE_PRODUCTION=1."
    )
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

INSTALLED_APPS = [
    # articles first: its rebuild_index command replaces haystack's.
    "articles",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "haystack",
    "axes",  # the login throttle (its tables hold the failed attempts)
    "csp",
    "django_tasks",  # background jobs (the backport of Django 6's Tasks) ...
    "django_tasks_db",  # ... queued in the database, run by manage.py worker
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsarchive.security.PathCSPMiddleware",
    "newsarchive.security.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After the messages: it may tell an editor that search catches up in batches.
    "articles.search.middleware.BoundedIndexingMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsarchive.urls"
WSGI_APPLICATION = "newsarchive.wsgi.application"

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
                "articles.context_processors.index_queue",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'newsarchive.sqlite3'}", conn_max_age=60
    )
}
# On SQLite a request waits at most DATABASE_BUSY_TIMEOUT seconds for the one write lock (a bulk
# load's batch holds it), well below the web worker's timeout (WEB_TIMEOUT, gunicorn.conf.py):
# a request that waits longer gets the "busy, try again" page (newsarchive/errors.py), never a
# worker killed mid-request.
WEB_TIMEOUT = int(os.environ.get("WEB_TIMEOUT", 30))
DATABASE_BUSY_TIMEOUT = int(os.environ.get("DATABASE_BUSY_TIMEOUT", 10))
if not 0 < DATABASE_BUSY_TIMEOUT < WEB_TIMEOUT:
    raise ImproperlyConfigured(
        f"DATABASE_BUSY_TIMEOUT ({DATABASE_BUSY_TIMEOUT} s) must be above 0 and below WEB_TIMEOUT "
        f"({WEB_TIMEOUT} s): a request waiting for a lock must be answered before its worker is killed."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several web workers write at once: readers never wait for a writer (WAL), and a transaction
    # takes the write lock when it starts (IMMEDIATE; a read-then-write transaction cannot then
    # fail with "database is locked"), waiting up to DATABASE_BUSY_TIMEOUT for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=DATABASE_BUSY_TIMEOUT, init_command="PRAGMA journal_mode=WAL;"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "newsarchive.security.LoginThrottleBackend",  # refuses locked-out logins, then:
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Outside production WhiteNoise serves straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Stories: the index that finds an article's other versions, saved for new processes
# (articles/stories/saved.py).
STORY_INDEX_FILE = os.environ.get("STORY_INDEX_FILE", str(DATA_DIR / "story-index.pickle"))

# Search: Whoosh out of the box. SEARCH_BACKEND=elasticsearch or solr (with
# SEARCH_URL and, for Elasticsearch, SEARCH_INDEX_NAME) moves it to a server;
# the index definitions in articles/search_indexes.py stay the same.
WHOOSH_PATH = Path(os.environ.get("WHOOSH_PATH", DATA_DIR / "whoosh")).resolve()
SEARCH_BACKENDS = {
    "whoosh": {
        "ENGINE": "articles.search.whoosh.NewsWhooshEngine",
        "PATH": str(WHOOSH_PATH),
        "BULK_WRITER_MB": os.environ.get("WHOOSH_BULK_WRITER_MB"),  # None: the backend's default
    },
    "elasticsearch": {
        "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
        "URL": os.environ.get("SEARCH_URL", "http://127.0.0.1:9200/"),
        "INDEX_NAME": os.environ.get("SEARCH_INDEX_NAME", "newsarchive"),
    },
    "solr": {
        "ENGINE": "haystack.backends.solr_backend.SolrEngine",
        "URL": os.environ.get("SEARCH_URL", "http://127.0.0.1:8983/solr/newsarchive"),
    },
}
# Spelling suggestions make every Whoosh query ~4x slower: off (INCLUDE_SPELLING
# defaults to False per connection). Limiting to registered models adds a second
# full search per query; our one index holds one model.
HAYSTACK_CONNECTIONS = {"default": SEARCH_BACKENDS[os.environ.get("SEARCH_BACKEND", "whoosh")]}
HAYSTACK_SIGNAL_PROCESSOR = "articles.search.signals.OnCommitSignalProcessor"
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False

# Facets as data: URL parameter (repeatable) -> index field (filtered through its whole-value
# ``<field>_exact`` twin), label, and how many values to show (selected ones always show).
NEWSARCHIVE_FACETS = [
    {"param": "outlet", "field": "outlet", "label": "Outlet", "limit": 15},
    {"param": "place", "field": "place", "label": "Dateline", "limit": 15},
    {"param": "country", "field": "country", "label": "Country", "limit": 15},
    {"param": "topic", "field": "topics", "label": "Topic", "limit": 15},
    {"param": "lang", "field": "language", "label": "Language", "limit": 10},
    {"param": "year", "field": "year", "label": "Year", "limit": 20},
    {"param": "month", "field": "month", "label": "Month", "limit": 12},
    # Who and what the text mentions (articles/parsing/entities.py), each with a page of its own.
    # "most": values counted at most (the API's and "Show all"'s), of the tens of thousands.
    {"param": "person", "field": "people", "label": "People", "limit": 10, "most": 100},
    {"param": "organisation", "field": "organisations", "label": "Organisations", "limit": 10, "most": 100},
    {"param": "mentioned", "field": "places", "label": "Places mentioned", "limit": 10, "most": 100},
]
NEWSARCHIVE_PAGE_SIZE = 20

# Background jobs (articles/jobs/): django-tasks with its database backend; ``manage.py worker``
# runs them. A failed attempt is retried after each of JOB_RETRY_DELAYS seconds in turn, then the
# job is failed; a job left running by a worker that is gone is queued again when a worker starts
# (at once for this host's dead processes, after JOB_STALE_MINUTES without progress otherwise).
# Two queues: "merges" (the search index's segment merges, long and CPU-bound) apart, so that a
# worker of its own runs them and never holds up the others (an editor's change being applied).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "merges"]}}
JOB_RETRY_DELAYS = [int(s) for s in os.environ.get("JOB_RETRY_DELAYS", "30,120,600").split(",") if s.strip()]
JOB_STALE_MINUTES = int(os.environ.get("JOB_STALE_MINUTES", 30))

# Uploads (the admin's upload page): the request stores the files under UPLOAD_SPOOL_DIR/<job id>/
# and an ``ingest_upload`` job ingests them (articles/jobs/upload.py). UPLOAD_MAX_BYTES caps one
# upload request (the proxy's body limit should sit just above it: README, production),
# UPLOAD_MAX_FILES its files. Files above FILE_UPLOAD_MAX_MEMORY_SIZE (Django's default, stated)
# stream to temporary files, not memory; DATA_UPLOAD_MAX_MEMORY_SIZE (the form's other fields)
# stays Django's 2.5 MB.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 1000, minimum=1)
UPLOAD_SPOOL_DIR = Path(os.environ.get("UPLOAD_SPOOL_DIR", DATA_DIR / "uploads")).resolve()
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGIN_URL = "admin:login"

# Security. Cookies and HTTPS are strict in production mode.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): the public site runs no script and loads nothing from
# elsewhere; no inline script or style anywhere (the CSS has every style), no plug-ins, no framing,
# no <base>, forms post only here. Under NEWSARCHIVE_ADMIN_CSP_PATH the admin's directives replace
# the same ones: its own script files and their requests (autocomplete), still nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
NEWSARCHIVE_ADMIN_CSP_PATH = "/admin/"
NEWSARCHIVE_ADMIN_CSP = {"script-src": ["'self'"], "connect-src": ["'self'"]}
# Permissions-Policy: browser features no page here uses, denied to every origin (an origin list
# per feature, e.g. ["self"]; empty: none).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# The admin login throttle (django-axes, in the database). A user name is locked after
# AXES_FAILURE_LIMIT failed logins from anywhere (a guesser spread over many addresses gets no more
# tries), and so is an address after as many failures for any user names (password spraying).
# The price: anyone who knows an editor's user name can lock them out for the cool-off; so the
# lockout ends by itself, and a locked address's further attempts are not counted (it cannot lock
# more names, nor stretch anyone's lockout). A success does not reset the count (else an attacker
# with an account of their own would earn fresh guesses by signing in with it).
# `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS` / `axes_reset` unlock at once.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "newsarchive.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "newsarchive.security.client_ip"
NEWSARCHIVE_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # A request naming another host is a client's mistake (or a scan), not a server error.
    "loggers": {
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "CRITICAL", "propagate": False}
    },
}
