"""Settings for wuxiao. Everything that differs between machines comes from the environment (.env.example)."""

import datetime
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str, production_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core: debug, secret, hosts --------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
# The embedded default key only serves DEBUG runs. With DEBUG off the process refuses to start (one line, no
# traceback) when the key is missing, shorter than 50 characters or still the .env.example placeholder.
SECRET_KEY = (
    env_str("DJANGO_SECRET_KEY", "django-insecure-wuxiao-development-only")
    if DEBUG
    else production_secret_key()
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# --- Apps, request pipeline, templates --------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "django_celery_beat",
    "auditlog",
    "axes",
    # api before rest_framework: its catalogue keeps Django's wording of the messages DRF translates too
    # (api/locale: the pages' form errors stay as they were).
    "api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "campaigns",
    "accounts",
    "inspections",
    "ledgers",
    "dashboard",
    "notifications",
    "ops",
]

MIDDLEWARE = [
    # GET /healthz for the orchestrator: answered first, before the host check and the HTTPS redirect.
    "ops.middleware.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy (WUXIAO_CSP, WUXIAO_PERMISSIONS_POLICY below).
    "accounts.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # API tokens (api/): the token's user is the request's user below, for the audit trail too.
    "api.middleware.TokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Issue 22: a Chinese 400 for NUL bytes and over-long values; no-store for signed-in pages.
    "accounts.middleware.RefuseJunkInputMiddleware",
    "accounts.middleware.PrivateNoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the request's user as the actor of every audited change.
    "auditlog.middleware.AuditlogMiddleware",
    # Login lockout (django-axes); axes asks to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wuxiao.urls"
WSGI_APPLICATION = "wuxiao.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
                "accounts.nav.menu",
                "notifications.context_processors.unread_messages",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------------
# The embedded default is a SQLite file beside manage.py; production sets DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Celery worker, beat and the web server share the file: wait for locks instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiling costs ~0.3 s on the roster's correlated sub-queries and saves nothing on OLTP pages.
    # work_mem: `pk IN (set)` filters (licences incomplete, the targets' drill-down lists) are hashed only
    # while the set fits; at city scale 4MB is too small and PostgreSQL rescans the set for every business
    # (a G1 drill-down over 100,000 businesses took minutes). Per sort/hash node, per connection.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c jit=off -c work_mem={env_str('WUXIAO_PG_WORK_MEM', '64MB')}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and passwords -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# axes first: it refuses a locked-out username+address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time (the interface is written in Chinese; no translation catalogue yet) ------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Served at the site root by WhiteNoise: /favicon.ico, which browsers ask for whatever the page links.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Uploaded photos and documents are private: they are served only through views that check scope.
MEDIA_ROOT = Path(env_str("WUXIAO_MEDIA_ROOT", str(BASE_DIR / "media")))
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

# Backups (ops/backup.py): `python manage.py backup` and the nightly task write dated archives here and keep
# the newest WUXIAO_BACKUP_KEEP of them.
WUXIAO_BACKUP_DIR = Path(env_str("WUXIAO_BACKUP_DIR", str(BASE_DIR / "backups")))
WUXIAO_BACKUP_KEEP = env_int("WUXIAO_BACKUP_KEEP", 14)

# --- Redis, Celery ---------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis, written through to the database: a page view reads no session row. Only
    # with a shared cache — a per-process memory cache would let one worker see a session another ended.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # No server needed: kombu's filesystem transport passes messages through a folder, so `make run`
    # starts a real worker and beat on a bare machine.
    BROKER_DIR = Path(env_str("WUXIAO_BROKER_DIR", str(BASE_DIR / ".broker")))
    # kombu's filesystem transport with atomic message files (wuxiao/broker.py).
    CELERY_BROKER_URL = "wuxiaofs://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # kombu's default is ./control (the working directory): keep the exchange table with the queue.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Campaign rules --------------------------------------------------------------------------------
# Ledgers (G2): a business "keeps a ledger" when it has entries within this many days.
WUXIAO_LEDGER_WINDOW_DAYS = env_int("WUXIAO_LEDGER_WINDOW_DAYS", 30)
# E2: days after a rectification order is closed until the unit is checked again (回头查).
WUXIAO_RETURN_CHECK_DAYS = env_int("WUXIAO_RETURN_CHECK_DAYS", 30)
# The documents' masthead (发文机关标志) and numbering prefix (机关代字); empty: derived from the town's name
# and the leading group's (dashboard.services.organ_names, inspections' order numbers).
# These four are the defaults; a town may set its own (campaigns.TownSettings, issue 24).
WUXIAO_DOCUMENT_MASTHEAD = env_str("WUXIAO_DOCUMENT_MASTHEAD", "")
WUXIAO_DOCUMENT_NUMBER_PREFIX = env_str("WUXIAO_DOCUMENT_NUMBER_PREFIX", "")
# Target figures (issue 9): computed live on every page while one computation of the town's figures takes
# less than WUXIAO_FIGURES_LIVE_MS; beyond that (a city roster) they are kept and served with "数据截至 …",
# and recomputed in the background once older than WUXIAO_FIGURES_MAX_AGE_MINUTES.
WUXIAO_FIGURES_LIVE_MS = env_int("WUXIAO_FIGURES_LIVE_MS", 1000)
WUXIAO_FIGURES_MAX_AGE_MINUTES = env_int("WUXIAO_FIGURES_MAX_AGE_MINUTES", 10)
# Issue 24: the city's own bulletin and circular on its towns — the organ on their masthead and the prefix
# of the circular's 发文字号 (市食安办〔2026〕1号).
WUXIAO_CITY_OFFICE = env_str("WUXIAO_CITY_OFFICE", "××市食品安全委员会办公室")
WUXIAO_CITY_DOC_PREFIX = env_str("WUXIAO_CITY_DOC_PREFIX", "市食安办")

# --- Security ----------------------------------------------------------------------------------------
SESSION_COOKIE_AGE = env_int("WUXIAO_SESSION_IDLE_MINUTES", 30) * 60
# The age counts from the last request (an idle timeout): accounts.middleware.IdleSessionMiddleware renews
# the session at most once a minute instead of writing it on every request (SESSION_SAVE_EVERY_REQUEST).
WUXIAO_SESSION_RENEW_SECONDS = env_int("WUXIAO_SESSION_RENEW_SECONDS", 60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login lockout: 5 failures for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env_int("WUXIAO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("WUXIAO_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.login.lockout"
# accounts.LoginEvent keeps the permanent record of logins, failures and logouts.
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "accounts.net.client_ip"
# Behind N reverse proxies (nginx …) the client address is the N-th from the right in X-Forwarded-For.
WUXIAO_PROXY_COUNT = env_int("WUXIAO_PROXY_COUNT", 0)
# Headers added to every response (accounts.middleware). Inline scripts and styles are refused:
# templates load scripts and styles from static files only. data: images are Bootstrap's SVG icons.
WUXIAO_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
WUXIAO_PERMISSIONS_POLICY = {
    "camera": "(self)",
    "geolocation": "(self)",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
}

# --- Audit trail (django-auditlog) ----------------------------------------------------------------
# Foreign keys are stored as the related object's text, so a history reads without extra queries.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True

# --- Uploads and imports -----------------------------------------------------------------------------
WUXIAO_UPLOAD_MAX_MB = env_int("WUXIAO_UPLOAD_MAX_MB", 20)
# Covering indexes (INCLUDE) serve PostgreSQL, the production database; SQLite builds them without the
# included columns, which is all a development database needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- The REST API (issue 18, docs/api.md) ------------------------------------------------------------
# JSON only (the browsable docs are Swagger UI at /api/v1/docs/); personal or service tokens first, then
# the browser session (with CSRF). Throttling counts in the cache (Redis with REDIS_URL, else local memory):
# per token for machine clients, per user for sessions.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("WUXIAO_API_TOKEN_RATE", "600/min"),
        "session": env_str("WUXIAO_API_SESSION_RATE", "1200/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATE_INPUT_FORMATS": ["iso-8601"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "五小经营单位专项整治 API",
    "DESCRIPTION": "见 docs/api.md：认证、范围、错误格式、离线检查同步。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "BusinessStatusEnum": "campaigns.choices.BusinessStatus",
        "LicenceStateEnum": "campaigns.choices.LicenceState",
        "VisitStatusEnum": "inspections.choices.VisitStatus",
        "VisitKindEnum": "inspections.choices.VisitKind",
        "OrderStatusEnum": "inspections.choices.OrderStatus",
        "TipOffStatusEnum": "inspections.choices.TipOffStatus",
        "ProductKindEnum": "ledgers.choices.ProductKind",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
}

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "wuxiao@localhost")
# Reminders (issue 8): links in emails are made absolute with WUXIAO_SITE_URL; SMS go through a pluggable
# backend (notifications/sms.py; default: log only, number masked); reminders fall due at this hour.
WUXIAO_SITE_URL = env_str("WUXIAO_SITE_URL", "http://127.0.0.1:8000")
WUXIAO_SMS_BACKEND = env_str("WUXIAO_SMS_BACKEND", "notifications.sms.LogSmsBackend")
WUXIAO_REMINDER_HOUR = env_int("WUXIAO_REMINDER_HOUR", 8)
# A tip-off still open this many days after it came in is reminded to the office (then weekly).
WUXIAO_TIPOFF_ANSWER_DAYS = env_int("WUXIAO_TIPOFF_ANSWER_DAYS", 7)
# 一公开 (issue 25): a unit's public page behind its QR placard is answered from the cache; a write that
# changes it makes it stale at once (lib.stamps), this is only the longest a page outlives an edit made
# outside the services (the admin). Scans per minute from one address before a 429 (mobile networks put
# many phones behind one address: generous).
WUXIAO_PUBLIC_PAGE_TTL = env_int("WUXIAO_PUBLIC_PAGE_TTL", 3600)
WUXIAO_PUBLIC_RATE_PER_MINUTE = env_int("WUXIAO_PUBLIC_RATE_PER_MINUTE", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No personal data in logs: phone and ID numbers are masked in every record (accounts.logfilters).
    "filters": {"redact": {"()": "accounts.logfilters.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # axes logs every login check at INFO (with masked names); keep its warnings only.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
