"""Settings for the Bilateral Relations CMS, driven by environment variables.

Every variable is optional for local development; `.env.example` lists them.
With DJANGO_DEBUG off the site refuses to start without DJANGO_SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-not-for-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin with the editors' site (its home grouped as editors think).
    "relations.apps.EditorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Before import_export, so our `import` and `export` commands and templates take precedence.
    "relations",
    "import_export",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    # django-ninja's own copy of Swagger UI for the API's documentation page (no CDN: the CSP allows none).
    "ninja",
]

# Long work (imports, exports and list actions above relations.tasks.BACKGROUND_RECORDS) runs as tasks, kept in the
# database until a worker (`manage.py db_worker`, started by `make run` and `make serve`) takes them: any number
# of workers on any number of hosts share the one queue.
TASKS = {"default": {"BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before any middleware that may answer: a browser's preflight and every answer carry its headers.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A client (or a proxy) that has the page it asks for gets 304, from its ETag or Last-Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language is the address's prefix (i18n_patterns); before CommonMiddleware, which adds slashes after it.
    "relations.languages.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: signed-in editors (draft previews) are never served from the cache.
    "relations.cache.PublicPageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "relations.errors.PublicErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

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
                "relations.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_DB_CONN_MAX_AGE", "60")),
        # Django's own check that a kept connection still answers, before each request reuses it.
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging: readers are served while a task writes a long import (every request is a transaction,
    # ATOMIC_REQUESTS, left DEFERRED so that reading takes no lock); a writer waits at most the busy timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": float(os.environ.get("DJANGO_SQLITE_BUSY_TIMEOUT", "5")),
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that accepts connections but never answers makes a request fail (503) in seconds,
    # rather than hold a server process until it is killed.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5")
    )
    if env_bool("DJANGO_WEB_PROCESS", False):
        # In the server's processes (config/wsgi.py), a statement, or a wait for a lock another holds, ends after
        # this many seconds: the request answers 503 rather than hang. An import or a list action is many short
        # statements, so the admin keeps working; commands (migrate, import) have no limit. Set through libpq's
        # `options` at connection, so no request asks the database anything more.
        milliseconds = int(1000 * float(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT", "5")))
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}"
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages of the interface and of records' translated names and texts: English at `/`, the others under
# their own prefix (`/tr/`, `/kk/`, `/ru/`), each named in every page's hreflang links. Each is named in itself,
# as a language switcher shows it.
LANGUAGES = [("en", "English"), ("tr", "Türkçe"), ("kk", "Қазақша"), ("ru", "Русский")]
# Ours first: they override a library's own messages (Django's Kazakh admin has gaps, django-import-export's
# Kazakh catalogue sits in a `kz` folder Django never loads for `kk`, django-simple-history has no Turkish or
# Kazakh one). `locale/` is written by `makemessages`; `locale_libraries/` carries the libraries' missing messages.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_libraries"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SITE_NAME = os.environ.get("SITE_NAME", "Bilateral Relations")

# More than one host serves the site or runs its workers: `check --deploy` then requires what they must share.
SEVERAL_HOSTS = env_bool("DJANGO_SEVERAL_HOSTS", False)

# Public pages are cached for anonymous readers and dropped whenever a record changes.
PUBLIC_PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)
# Seconds a proxy, a CDN or a browser may serve a public page without asking again; 0 (the default): they keep it
# but ask each time, and get 304 while nothing changed, so a withdrawn record leaves every copy at once.
PUBLIC_MAX_AGE = int(os.environ.get("DJANGO_PUBLIC_MAX_AGE", "0"))

# The open data (API, downloads, feeds) may be read by a script of any other site, with GET only and no cookies.
CORS_URLS_REGEX = r"^/(api/|data/|feeds/|relationships/[^/]+/feeds/)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# A script of another site may read the licence (Link) and the file name of a CSV answer.
CORS_EXPOSE_HEADERS = ["Link", "Content-Disposition"]
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # A Redis that is down or hung costs a request this long at most; pages are then served uncached.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    # Without Redis, a folder every process of this machine shares: a change made by one server process,
    # a command-line import or a shell session reaches the pages the others serve.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Imports of any size are checked whole before anything is written.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
# Uploads wait for confirmation in the media storage, which every server process shares.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# Repeated failed sign-ins lock out that user name from that address for an hour (django-axes counts the two
# together): colleagues signing in from the same office address are not locked out with it.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind N proxies, the reader's address is the Nth from the right in X-Forwarded-For.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
if PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# A signed-in session ends after this long without a request (8 hours by default); each request starts it again.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_IDLE_MINUTES", "480")) * 60
SESSION_SAVE_EVERY_REQUEST = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time, and a worker's import holds the write lock until the whole file is in: sessions
    # saved on every request live in files of the machine (as SQLite does), so an editor's pages, the job's progress
    # among them, are served meanwhile. PostgreSQL keeps them in the database, which every host shares.
    SESSION_ENGINE = "django.contrib.sessions.backends.file"
    SESSION_FILE_PATH = os.environ.get("DJANGO_SESSION_DIR", str(BASE_DIR / "sessions"))
    Path(SESSION_FILE_PATH).mkdir(parents=True, exist_ok=True)

# No inline script or style anywhere; everything comes from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "relations.logs.OneLineFormatter"}},
    "filters": {"client_errors_without_traceback": {"()": "relations.logs.ClientErrorsWithoutTraceback"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["client_errors_without_traceback"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

if not DEBUG:
    # Behind a proxy that terminates HTTPS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Off only to sign in over plain HTTP on one machine (a trial of `make serve`): browsers never send
    # secure cookies over HTTP, so the admin's sign-in would fail.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Each switched off on purpose, for plain HTTP on this machine (`make serve`, benchmarks).
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_SSL_REDIRECT else ["security.W008"]),
        *([] if SESSION_COOKIE_SECURE or SECURE_SSL_REDIRECT else ["security.W012", "security.W016"]),
    ]
