"""Settings, driven by the environment.

With no environment variables this is the embedded default: SQLite under var/, an in-memory
channel layer, Celery tasks run in-process, files under var/media and the sandbox payment
provider. DATABASE_URL, REDIS_URL and the S3 variables switch each piece to its service.
docs/operations.md lists every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from backend.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=False) and not PRODUCTION

if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_ENV=production needs SECRET_KEY (50+ characters).")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ENV=production needs ALLOWED_HOSTS.")
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789"
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "backend.web.views.csrf_failure"

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "channels",
    "django_celery_beat",
    "backend.web",
    "backend.accounts",
    "backend.events",
    "backend.ledger",
    "backend.idempotency",
    "backend.audit",
    "media",
    "posts",
    "feed",
    "commerce",
    "shoplinks",
    "rewards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "backend.urls"
ASGI_APPLICATION = "asgi.application"

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
                "backend.web.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
    # concurrent writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not :memory:, so live-server and websocket tests can share it.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, channel layer, Celery -----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "wom"),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": os.environ.get("CACHE_KEY_PREFIX", "wom")},
        }
    }
else:
    # Django's default of 300 entries would evict share links, their duplicate-tap markers and
    # throttle counters under any real traffic; this bound costs some tens of MB at most.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("LOCMEM_CACHE_MAX_ENTRIES", 200_000)},
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://localhost/")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# The in-process scheduler of `make run`; off when Celery beat runs the schedule.
INPROCESS_SCHEDULER = env_bool("INPROCESS_SCHEDULER", default=False)
# Domain events (backend/events): a failing handler is retried with exponential backoff
# (base × 2^(attempt−1), capped) until it has failed this many times; the sweep picks up events
# still undelivered after the grace period (the after-commit dispatch normally got them first).
EVENTS_MAX_ATTEMPTS = env_int("EVENTS_MAX_ATTEMPTS", 8)
EVENTS_RETRY_BASE_SECONDS = env_int("EVENTS_RETRY_BASE_SECONDS", 30)
EVENTS_RETRY_MAX_SECONDS = env_int("EVENTS_RETRY_MAX_SECONDS", 6 * 60 * 60)
EVENTS_SWEEP_GRACE_SECONDS = env_int("EVENTS_SWEEP_GRACE_SECONDS", 10)

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:signin"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Sign-in lockout: this many failures for one username or one IP within the window → 429.
SIGNIN_LOCKOUT_FAILURES = env_int("SIGNIN_LOCKOUT_FAILURES", 5)
SIGNIN_LOCKOUT_WINDOW_SECONDS = env_int("SIGNIN_LOCKOUT_WINDOW_SECONDS", 15 * 60)
VISITOR_COOKIE_NAME = "wom_visitor"

# --- Business -------------------------------------------------------------------------------
CURRENCY = os.environ.get("CURRENCY", "CNY")
BUSINESS_TIME_ZONE = os.environ.get("BUSINESS_TIME_ZONE", "Asia/Shanghai")
PLATFORM_FEE_BP = env_int("PLATFORM_FEE_BP", 200)
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "sandbox")
PAYMENT_SANDBOX_SECRET = os.environ.get("PAYMENT_SANDBOX_SECRET", "sandbox-dev-secret")
# The site's public address: absolute links (the sandbox pay page) and the sandbox's webhook target.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Where the sandbox gateway POSTs its webhooks; empty: SITE_URL + the webhook path, and with tasks
# run eagerly (the embedded default) the same signed request is handed to the receiver in-process.
PAYMENT_SANDBOX_WEBHOOK_URL = os.environ.get("PAYMENT_SANDBOX_WEBHOOK_URL", "")
RETURN_WINDOW_DAYS = env_int("RETURN_WINDOW_DAYS", 7)
# A shipped order counts as delivered this long after shipping unless the buyer confirms sooner.
AUTO_DELIVERY_DAYS = env_int("AUTO_DELIVERY_DAYS", 10)
# Unpaid orders are cancelled (stock released) this long after checkout.
PAYMENT_TIMEOUT_MINUTES = env_int("PAYMENT_TIMEOUT_MINUTES", 30)
# The most units of one SKU a cart line may hold.
CART_LINE_MAX_QUANTITY = env_int("CART_LINE_MAX_QUANTITY", 99)
# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
# Production serves collected files (collectstatic); elsewhere WhiteNoise reads the apps' folders.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or (VAR_DIR / "static" if PRODUCTION else None)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Outside production, WhiteNoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

AWS_STORAGE_BUCKET_NAME = os.environ.get("S3_BUCKET", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("S3_REGION", "us-east-1")
    AWS_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY") or None
    AWS_S3_ADDRESSING_STYLE = os.environ.get("S3_ADDRESSING_STYLE", "path")
    # The user-content domain (a CDN in front of the bucket), never the app's own origin.
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("S3_CUSTOM_DOMAIN") or None
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env_int("MEDIA_URL_EXPIRE_SECONDS", 3600)
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- API ------------------------------------------------------------------------------------
# How long an Idempotency-Key's answer is kept for retries.
IDEMPOTENCY_KEY_TTL_HOURS = env_int("IDEMPOTENCY_KEY_TTL_HOURS", 48)
API_THROTTLE = os.environ.get("API_THROTTLE", "on").lower() != "off"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "backend.api.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "backend.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": (
        ["backend.api.throttles.UserRate", "backend.api.throttles.AnonRate"] if API_THROTTLE else []
    ),
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_RATE_USER", "600/min"),
        "anon": os.environ.get("API_RATE_ANON", "120/min"),
        "auth": os.environ.get("API_RATE_AUTH", "30/min"),
        "media_upload": os.environ.get("API_RATE_MEDIA_UPLOAD", "300/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Word of mouth API",
    "DESCRIPTION": "Shoppable posts shared between friends. Contract: shared/API.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Swagger UI would otherwise load a badge from validator.swagger.io: docs stay offline.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["backend.api.schema.drop_slash_variants"],
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # One line per task run is noise when tasks run in-process; failures still log.
        "celery.app.trace": {"level": "WARNING"},
    },
}

# The apps' own tunables (rewards, share links, feeds, media uploads), read from the environment
# the same way; kept apart so this file stays about the platform.
from backend.settings_apps import *  # noqa: E402, F403
