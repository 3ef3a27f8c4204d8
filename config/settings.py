"""Settings, read once from the environment.

Development works with no environment at all. Production (DJANGO_DEBUG=0) refuses to start
without the secrets and hosts it needs, so nothing insecure is ever deployed by default.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_ONLY_SECRET = "dev-only-insecure-key-never-used-when-DJANGO_DEBUG-is-0"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = _DEV_ONLY_SECRET

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The local authority this deployment serves (one deployment per LA).
LOCAL_AUTHORITY_NAME = env.str("EHC_LOCAL_AUTHORITY_NAME", default="Demo Borough Council")
# Spec §1.1: "received" is not defined in law. When true, a request arriving after 5pm or on a
# non-working day counts from the next working day (advice-sector practice); the default is
# the stricter reading, the calendar day it arrived.
DEEMED_RECEIPT_AFTER_5PM_NEXT_WORKING_DAY = env.bool(
    "EHC_DEEMED_RECEIPT_AFTER_5PM_NEXT_WORKING_DAY", default=False
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "crispy_forms",
    "crispy_forms_gds",
    # Project apps come before viewflow so our templates (e.g. registration/login.html) win.
    "ehc",
    "viewflow",
    "viewflow.workflow",
    "workflows",
    "conversions",
    "personal_budgets",
    "disagreements",
    "notifications",
    "family",
    "dashboards",
    "local_offer",
    "config",
    "sen2",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "ehc.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

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
                "ehc.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the Celery worker and beat share the file without lock errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm at set-up time; Django serves their built files directly.
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("moj", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"),
]

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="send-team@example.gov.uk")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

AUTHENTICATION_BACKENDS = ["ehc.auth_backends.EmailOrUsernameBackend"]

CELERY_BEAT_SCHEDULE = {
    "deadlines-refresh": {"task": "ehc.tasks.deadlines_refresh", "schedule": 15 * 60},
    "notifications-deadlines-sweep": {
        "task": "notifications.tasks.deadlines_sweep",
        "schedule": env.int("EHC_ALERT_SWEEP_SECONDS", default=15 * 60),
    },
    "local-offer-stale-records": {
        "task": "local_offer.tasks.stale_records_alert",
        "schedule": 24 * 60 * 60,
    },
}

# Alerts (notifications/). Links in emails point here.
SITE_URL = env.str("EHC_SITE_URL", default="http://127.0.0.1:8000")
# A pending alert queued longer ago than this is taken as lost by the broker and queued again.
NOTIFICATIONS_REQUEUE_AFTER_SECONDS = env.int("EHC_ALERT_REQUEUE_AFTER_SECONDS", default=60)
# GOV.UK Notify: used for email when an API key is set, otherwise Django's EMAIL_BACKEND.
# Each template is an email template whose subject is ((subject)) and whose body is ((body)).
GOVUK_NOTIFY_API_KEY = env.str("GOVUK_NOTIFY_API_KEY", default="")
GOVUK_NOTIFY_TEMPLATE_IDS = {
    "due_soon": env.str("GOVUK_NOTIFY_TEMPLATE_DUE_SOON", default=""),
    "overdue": env.str("GOVUK_NOTIFY_TEMPLATE_OVERDUE", default=""),
    "family_event": env.str("GOVUK_NOTIFY_TEMPLATE_FAMILY_EVENT", default=""),
}
if GOVUK_NOTIFY_API_KEY and not all(GOVUK_NOTIFY_TEMPLATE_IDS.values()):
    raise ImproperlyConfigured(
        "GOVUK_NOTIFY_API_KEY is set, so GOVUK_NOTIFY_TEMPLATE_DUE_SOON, "
        "GOVUK_NOTIFY_TEMPLATE_OVERDUE and GOVUK_NOTIFY_TEMPLATE_FAMILY_EVENT must be set too."
    )

# Contacts every appealable notice must give (Regs 5(3), 10(2), 32; spec A3, M1).
MEDIATION_ADVISER_CONTACT = env.str(
    "EHC_MEDIATION_ADVISER_CONTACT",
    default="Demo Mediation Service, 0300 000 0001, mediation@example.org",
)
DISAGREEMENT_RESOLUTION_CONTACT = env.str(
    "EHC_DISAGREEMENT_RESOLUTION_CONTACT",
    default="Demo Disagreement Resolution Service, 0300 000 0002, drs@example.org",
)
IASS_CONTACT = env.str(
    "EHC_IASS_CONTACT",
    default="Demo SEND Information, Advice and Support Service (SENDIASS), 0300 000 0003",
)
LA_SEND_TEAM_CONTACT = env.str(
    "EHC_SEND_TEAM_CONTACT", default="SEND team, 0300 000 0000, send@example.gov.uk"
)

# Cache: rate limits (django-ratelimit) count here. Set EHC_CACHE=redis in production so every
# web worker shares the counts; otherwise each process keeps its own in memory (development, tests).
if env.str("EHC_CACHE", default="locmem") == "redis":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ehc"}
    }
RATELIMIT_USE_CACHE = "default"
# Behind a proxy, set this to the header carrying the client address (e.g. HTTP_X_FORWARDED_FOR).
RATELIMIT_IP_META_KEY = env.str("EHC_RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# "count/period", e.g. "10/h" or "5/15m". Families' public pages (family/).
EHC_RATELIMIT_SIGN_IN_IP = env.str("EHC_RATELIMIT_SIGN_IN_IP", default="30/15m")
EHC_RATELIMIT_SIGN_IN_USERNAME = env.str("EHC_RATELIMIT_SIGN_IN_USERNAME", default="10/15m")
EHC_RATELIMIT_REQUEST_SUBMIT = env.str("EHC_RATELIMIT_REQUEST_SUBMIT", default="10/h")
EHC_RATELIMIT_REQUEST_UPLOAD = env.str("EHC_RATELIMIT_REQUEST_UPLOAD", default="60/h")
EHC_RATELIMIT_SIGN_IN_LINK = env.str("EHC_RATELIMIT_SIGN_IN_LINK", default="5/h")
# The Local Offer's public forms: comments, problem reports, emailing a shortlist (per address).
EHC_RATELIMIT_LOCAL_OFFER_COMMENT = env.str("EHC_RATELIMIT_LOCAL_OFFER_COMMENT", default="10/h")
EHC_RATELIMIT_LOCAL_OFFER_REPORT = env.str("EHC_RATELIMIT_LOCAL_OFFER_REPORT", default="10/h")
EHC_RATELIMIT_LOCAL_OFFER_EMAIL = env.str("EHC_RATELIMIT_LOCAL_OFFER_EMAIL", default="10/h")

# Documents families upload with a request. Never served from MEDIA_URL: only through the
# access-checked download view (family/views.py). Keep MEDIA_ROOT outside any web root.
MEDIA_ROOT = env.str("EHC_MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
EHC_REQUEST_MAX_FILE_BYTES = env.int("EHC_REQUEST_MAX_FILE_MB", default=10) * 1024 * 1024
EHC_REQUEST_MAX_TOTAL_BYTES = env.int("EHC_REQUEST_MAX_TOTAL_MB", default=25) * 1024 * 1024
EHC_REQUEST_MAX_FILES = env.int("EHC_REQUEST_MAX_FILES", default=10)
# The team online requests go to (by name); empty means the first team.
EHC_PUBLIC_REQUEST_TEAM = env.str("EHC_PUBLIC_REQUEST_TEAM", default="")
