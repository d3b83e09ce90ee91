"""Kepu settings. Every value that varies by deployment comes from the environment
through the typed helpers in `kepu.env` (documented in `.env.example`)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kepu.env import env_bool, env_int, env_list, env_str, load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("KEPU_DEBUG", False)
SECRET_KEY = env_str("KEPU_SECRET_KEY")
ALLOWED_HOSTS = env_list("KEPU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("KEPU_CSRF_TRUSTED_ORIGINS", [])
# Behind TLS (production) every cookie is Secure, HSTS is on and HTTP redirects to HTTPS.
# `make run` serves plain HTTP on loopback, so it sets KEPU_HTTPS=false.
HTTPS = env_bool("KEPU_HTTPS", True)
VAR_DIR = Path(env_str("KEPU_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kepu.core",
    "kepu.people",
    "kepu.activities",
    "kepu.volunteering",
    "kepu.plans",
    "kepu.resources",
    "kepu.portal",
    "kepu.emergency",
    "kepu.rubrics",
    "kepu.bases",
    "kepu.selections",
    "kepu.literacy",
    "kepu.contests",
    "kepu.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kepu.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kepu.core.middleware.RequestContextMiddleware",
    "kepu.core.middleware.SessionLifetimeMiddleware",
    "kepu.core.middleware.SessionTouchMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kepu.urls"
WSGI_APPLICATION = "kepu.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"  # routes each role to its start page

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kepu.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite (WAL) is the zero-setup default; DATABASE_URL selects PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kepu.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock
        # at BEGIN so two writers queue instead of failing with "database is locked".
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# A read replica (PostgreSQL streaming replication) for reports: reads made inside
# `kepu.core.dbrouter.reporting()` go to it, every other read and every write to the
# primary (docs/deploy.md). In tests it mirrors the default database.
REPLICA_URL = env_str("KEPU_REPLICA_URL", "")
if REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["kepu.core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache: Redis when KEPU_REDIS_URL is set (several workers or hosts share
# public pages, sessions and role lists); otherwise a local in-process cache, which is
# enough for one process (`make run`) and needs no server.
REDIS_URL = env_str("KEPU_REDIS_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("KEPU_CACHE_PREFIX", "kepu"),
        "TIMEOUT": 3600,
    }

# --- Background jobs (kepu.core.jobs) -------------------------------------------------
# Django's Tasks API. The default queue lives in the database (no broker: `make run`
# starts one worker beside the web server); KEPU_TASK_BACKEND=rq puts it in Redis
# (KEPU_REDIS_URL) for N workers on any number of hosts (docs/deploy.md).
TASK_BACKEND = env_str("KEPU_TASK_BACKEND", "db")
if TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("KEPU_TASK_BACKEND=rq needs KEPU_REDIS_URL")
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "bulk"]}}
    RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600} for name in ("default", "bulk")}
elif TASK_BACKEND == "db":
    TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "bulk"]}
    }
elif TASK_BACKEND == "immediate":
    TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "bulk"],
        }
    }
else:
    raise ImproperlyConfigured(f"KEPU_TASK_BACKEND must be db, rq or immediate, not {TASK_BACKEND}")
# A running job writes its progress (and a heartbeat) this often; one silent for
# JOB_STALE_SECONDS lost its worker and is put back on the queue by the reaper.
JOB_HEARTBEAT_SECONDS = env_int("KEPU_JOB_HEARTBEAT_SECONDS", 1, minimum=1)
JOB_STALE_SECONDS = env_int("KEPU_JOB_STALE_SECONDS", 60, minimum=5)
JOB_RETRY_SECONDS = env_int("KEPU_JOB_RETRY_SECONDS", 30, minimum=1)
# Job outputs (exports, bulletins) are kept this many days for download.
JOB_FILE_DAYS = env_int("KEPU_JOB_FILE_DAYS", 7, minimum=1)
# How often the worker's scheduler looks for due schedules.
SCHEDULER_TICK_SECONDS = env_int("KEPU_SCHEDULER_TICK_SECONDS", 10, minimum=1)

# --- Internationalization -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Chinese numbers with a comma every three digits (Django's zh_Hans has no separator).
FORMAT_MODULE_PATH = ["kepu.formats"]
LOCALE_PATHS = [BASE_DIR / "kepu" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "kepu" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "kepu.core.staticstorage.StaticStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True
# The province map's GeoJSON directory (files named <province code>.json). The vendored
# files are not an approved 标准地图; a deployment that shows maps publicly replaces them.
MAP_GEOJSON_DIR = Path(
    env_str("KEPU_MAP_GEOJSON_DIR", str(BASE_DIR / "kepu" / "static" / "vendor" / "china-geo"))
)

# --- Authentication and sessions (MLPS level-3 preset) ---------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "kepu.core.passwords.MinimumLengthValidator",  # Django's, message translated
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "kepu.core.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": 3},
    },
    {"NAME": "kepu.core.passwords.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
SESSION_COOKIE_AGE = env_int("KEPU_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# Sliding idle timeout without a write per request: SessionTouchMiddleware renews the
# session at most once a minute (KEPU_SESSION_TOUCH_SECONDS), so the idle limit is met
# within that minute. With a shared cache the session is read from it (and written to
# both); a local cache is never used for sessions, since a logout in one worker would not
# reach the others.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env_int("KEPU_SESSION_TOUCH_SECONDS", 60, minimum=1)
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("KEPU_SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("KEPU_SSL_REDIRECT", True)
    # The load balancer's health probes speak plain HTTP to each app server.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Client IPs are taken from X-Forwarded-For only when the request comes from one of these.
TRUSTED_PROXIES = env_list("KEPU_TRUSTED_PROXIES", [])

AXES_FAILURE_LIMIT = env_int("KEPU_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KEPU_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/auth/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "kepu.core.request_context.client_ip"

OTP_TOTP_ISSUER = "Kepu"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Personal information -------------------------------------------------------------
# AES-256-GCM key ring for encrypted fields ("id:base64,id:base64", first = active) and the
# separate key of the blind index. Required: `make run`/`make test` generate them in .env.
FIELD_KEYS = env_str("KEPU_FIELD_KEYS")
BLIND_INDEX_KEY = env_str("KEPU_BLIND_INDEX_KEY")

# --- Audit -----------------------------------------------------------------------------
# The Cybersecurity Law requires network logs to be kept for at least six months; the
# database refuses to delete any entry younger than AUDIT_MIN_RETENTION_DAYS whatever
# this setting says.
AUDIT_MIN_RETENTION_DAYS = 183
AUDIT_RETENTION_DAYS = env_int("KEPU_AUDIT_RETENTION_DAYS", 190, minimum=AUDIT_MIN_RETENTION_DAYS)
# The HMAC key ring of the audit hash chain ("id:base64-32-bytes,…", first = active;
# kepu/core/auditchain.py). Kept outside the database so that whoever can write the database
# cannot forge entries. Required: `make run`/`make test` add it to .env. Rotation: put a new
# key first and keep the old ones as long as entries signed with them are kept.
AUDIT_KEYS = env_str("KEPU_AUDIT_KEY")

# --- Backups (manage.py backup / restore, kepu/core/backup.py) --------------------------
# Directory of pg_dump/pg_restore; empty: the newest /usr/lib/postgresql/*/bin, then PATH.
PG_BIN_DIR = env_str("KEPU_PG_BIN_DIR", "")

# --- Four-eyes (四眼原则) ---------------------------------------------------------------
# The approver of an activity, a resource, a registration or a progress report must not be
# the person who submitted it (kepu.core.workflow). On by default for every workflow;
# KEPU_FOUR_EYES_OFF lists the workflows where one person may do both (e.g. a county
# association with a single officer): activities, resources, registrations, reports,
# notices, subsidies.
FOUR_EYES_WORKFLOWS = ("activities", "resources", "registrations", "reports", "notices")
FOUR_EYES_WORKFLOWS += ("subsidies",)  # bases: subsidy allocations (issue 23)
# selections (issue 24): entries (who nominated does not check), project disbursements
FOUR_EYES_WORKFLOWS += ("entries", "disbursements")
# literacy (issue 20): who ran a round's estimation does not publish it
FOUR_EYES_WORKFLOWS += ("estimates",)
# contests (issue 21): who closed a round does not publish its results; who drafted a
# prize list does not make it final
FOUR_EYES_WORKFLOWS += ("contest_results", "contest_prizes")
# statistics (issue 22): who submitted a return (a region filling for a unit without an
# account) does not accept it
FOUR_EYES_WORKFLOWS += ("stats_returns",)
# people (issue 26): who proposed a training base does not recognize it
FOUR_EYES_WORKFLOWS += ("training_bases",)
# volunteer teams (issue 26): who filed a team does not certify it
FOUR_EYES_WORKFLOWS += ("teams",)
_four_eyes_off = env_list("KEPU_FOUR_EYES_OFF", [])
_unknown_workflows = sorted(set(_four_eyes_off) - set(FOUR_EYES_WORKFLOWS))
if _unknown_workflows:
    raise ImproperlyConfigured(f"KEPU_FOUR_EYES_OFF: unknown workflows {_unknown_workflows}")
KEPU_FOUR_EYES = {name: name not in _four_eyes_off for name in FOUR_EYES_WORKFLOWS}

# --- API -------------------------------------------------------------------------------
# Lifetime of an API token in days (an expired token is a 401 saying so). Tokens are also
# revoked when the password changes or is reset, on lockout and when the account is
# disabled (kepu.core.services.revoke_api_tokens).
API_TOKEN_DAYS = env_int("KEPU_API_TOKEN_DAYS", 30, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kepu.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "kepu.core.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("KEPU_API_ANON_RATE", "120/min"),
        "user": env_str("KEPU_API_USER_RATE", "2000/min"),
        "token": "10/min",
    },
    "EXCEPTION_HANDLER": "kepu.core.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kepu API",
    "DESCRIPTION": "Regional science-popularization work platform — REST API v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "KeyGroupEnum": "kepu.core.choices.KeyGroup",
        "TopicEnum": "kepu.core.choices.Topic",
        "OrderStatusEnum": "kepu.volunteering.choices.OrderStatus",
        # Named before the plans' report actions existed; kept for API clients.
        "ActionEnum": "kepu.volunteering.choices.OrderAction",
        "PlanStatusEnum": "kepu.plans.choices.PlanStatus",
        "TaskStatusEnum": "kepu.plans.choices.TaskStatus",
        "ProgressReportStatusEnum": "kepu.plans.choices.ReportStatus",
        "TargetSourceEnum": "kepu.plans.choices.TargetSource",
        "TargetStateEnum": "kepu.plans.choices.TargetState",
        "ReportActionEnum": "kepu.plans.choices.ReportAction",
        "ResourceStatusEnum": "kepu.resources.choices.ResourceStatus",
        "ResourceVersionStatusEnum": "kepu.resources.choices.VersionStatus",
        "ResourceTagKindEnum": "kepu.resources.choices.TagKind",
        "ResourceAttachmentKindEnum": "kepu.resources.choices.AttachmentKind",
        "ResourceOwnerKindEnum": "kepu.resources.api.serializers.OWNER_KINDS",
        # Kept as named before the bases API had a category of its own (API clients).
        "CategoryEnum": "kepu.volunteering.choices.ServiceCategory",
        "BaseCategoryEnum": "kepu.bases.choices.BaseCategory",
        "BaseLevelEnum": "kepu.bases.choices.BaseLevel",
        "BaseStatusEnum": "kepu.bases.choices.BaseStatus",
        "RubricPurposeEnum": "kepu.rubrics.choices.Purpose",
        "RubricStatusEnum": "kepu.rubrics.choices.RubricStatus",
        "CriterionMethodEnum": "kepu.rubrics.choices.Method",
        "LiteracyEducationEnum": "kepu.literacy.choices.Education",
        "LiteracyKeyGroupEnum": "kepu.literacy.choices.KeyGroup",
        "ContestStageEnum": "kepu.contests.choices.Stage",
        # issue 26: a training course's audience beside a contest's
        "TrainingAudienceEnum": "kepu.people.choices.Audience",
        "ContestAudienceEnum": "kepu.contests.choices.Audience",
        "StatsReturnStatusEnum": "kepu.stats.choices.ReturnStatus",
        "StatsRoundStatusEnum": "kepu.stats.choices.RoundStatus",
        # The resources list's stage filter kept its name when contests added a "stage".
        "StageEnum": "kepu.resources.filters.STAGE_CHOICES",
    },
}

# --- Import / export -------------------------------------------------------------------
IMPORT_MAX_BYTES = env_int("KEPU_IMPORT_MAX_MB", 50, minimum=1) * 1024 * 1024
# What an uploaded workbook may be, checked before any parser sees it (kepu.core.sheetsafe):
# sheet rows (the header included) and columns, the unpacked size of the zip (each part and
# in all) and its compression ratio (a zip bomb inflates a thousandfold).
IMPORT_MAX_ROWS = env_int("KEPU_IMPORT_MAX_ROWS", 200_000, minimum=2)
IMPORT_MAX_COLUMNS = env_int("KEPU_IMPORT_MAX_COLUMNS", 200, minimum=1)
IMPORT_MAX_UNCOMPRESSED_BYTES = (
    env_int("KEPU_IMPORT_MAX_UNCOMPRESSED_MB", 200, minimum=1) * 1024 * 1024
)
IMPORT_MAX_RATIO = env_int("KEPU_IMPORT_MAX_RATIO", 100, minimum=2)
# The workbook is parsed in a child process with at most this much memory (address space)
# and CPU time: a file that needs more ends that process only, with a clear error.
IMPORT_PARSER_MEMORY_BYTES = env_int("KEPU_IMPORT_PARSER_MEMORY_MB", 1024, minimum=128) * (
    1024 * 1024
)
IMPORT_PARSER_CPU_SECONDS = env_int("KEPU_IMPORT_PARSER_CPU_SECONDS", 120, minimum=5)
# Uploaded import files are kept (encrypted with the field key ring) this many days, then
# deleted by the daily core.purge_files job.
IMPORT_FILE_DAYS = env_int("KEPU_IMPORT_FILE_DAYS", 7, minimum=1)
# Images (photos, attachments) may declare at most this many pixels; the header is read
# before anything is decoded (13,000 × 13,000 pixels decode to ~600 MB).
IMAGE_MAX_PIXELS = env_int("KEPU_IMAGE_MAX_MEGAPIXELS", 40, minimum=1) * 1_000_000
# A list export of more rows than this is written by a background job (kepu.core.exports).
EXPORT_INLINE_ROWS = env_int("KEPU_EXPORT_INLINE_ROWS", 5000, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Public submissions ----------------------------------------------------------------
# Service orders per client address and hour, through the API and through the form (a
# retry with the same client key counts too). The address is the proxy's X-Forwarded-For
# (KEPU_TRUSTED_PROXIES): a whole office behind one NAT shares it.
PUBLIC_ORDER_LIMIT = env_int("KEPU_PUBLIC_ORDER_LIMIT", 20, minimum=1)
PUBLIC_ORDER_FORM_LIMIT = env_int("KEPU_PUBLIC_ORDER_FORM_LIMIT", 10, minimum=1)

# --- Demo ------------------------------------------------------------------------------
DEMO_PASSWORD = env_str("KEPU_DEMO_PASSWORD", "Kepu@2025demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KEPU_LOG_LEVEL", "WARNING")},
}

SILENCED_SYSTEM_CHECKS = [
    # Lockout is per account (MLPS: lock the account after N failures). Locking per IP
    # would lock out a whole office behind one NAT; rate limiting by IP belongs to the
    # reverse proxy.
    "axes.W006",
]

# Days after an activity ends within which its organizer files the report (later: late).
KEPU_ACTIVITY_REPORT_DAYS = env_int("KEPU_ACTIVITY_REPORT_DAYS", 15, minimum=1)

# Extra or corrected days of the working-day calendar ("2027-01-01:off,2027-01-04:work"),
# beside kepu/core/data/holidays.tsv.
KEPU_EXTRA_HOLIDAYS = env_str("KEPU_EXTRA_HOLIDAYS", "")
# Working days within which a service order must be dispatched, and then accepted, before
# it is flagged overdue and escalated to the level above.
KEPU_ORDER_DISPATCH_DAYS = env_int("KEPU_ORDER_DISPATCH_DAYS", 2, minimum=1)
KEPU_ORDER_ACCEPT_DAYS = env_int("KEPU_ORDER_ACCEPT_DAYS", 3, minimum=1)

# Catalog entries are re-checked this many years after publication (review-by date);
# reminders go out this many days before.
KEPU_RESOURCE_REVIEW_YEARS = env_int("KEPU_RESOURCE_REVIEW_YEARS", 2, minimum=1)
KEPU_RESOURCE_REMIND_DAYS = env_int("KEPU_RESOURCE_REMIND_DAYS", 60, minimum=1)

# Outgoing mail (progress-report reminders). The default prints mail to the log, so a
# platform without a mail relay loses nothing silently; set an SMTP host to send it.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("KEPU_EMAIL_HOST", "")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("KEPU_EMAIL_HOST", "")
EMAIL_PORT = env_int("KEPU_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("KEPU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("KEPU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KEPU_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("KEPU_EMAIL_FROM", "kepu@localhost")
