"""Settings, read once from the environment.

Development works with no environment at all. Production (DJANGO_DEBUG=0) refuses to start
without the secrets and hosts it needs, so nothing insecure is ever deployed by default.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

# Off unless DJANGO_DEBUG=1 (`make run` and the test suite set it; production never does).
DEBUG = env.bool("DJANGO_DEBUG", default=False)

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
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
    "reviews",
    "local_offer",
    "config",
    "sen2",
    "professionals",
]

MIDDLEWARE = [
    # First: the client's address, derived once from the trusted proxies (ehc/security/proxy.py).
    "ehc.security.proxy.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ehc.security.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # No NUL in any filter read from the query string (PostgreSQL refuses it).
    "ehc.query_strings.NulFreeQueryMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ehc.security.sessions.SessionTimeoutMiddleware",
    "ehc.security.second_factor.SecondFactorRequiredMiddleware",
    # Records every case and child record a page showed (ehc/audit.py).
    "ehc.audit.ReadAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ehc.submit_once.SubmitOnceMiddleware",
    # Last: turns too many failed sign-ins into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "ehc.context_processors.capabilities",
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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
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
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Production: HTTPS only. The proxy in front must pass X-Forwarded-Proto for the redirect to
# know a request was already HTTPS (set EHC_SECURE_PROXY_SSL_HEADER=1 when it does).
SECURE_SSL_REDIRECT = env.bool("EHC_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("EHC_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("EHC_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = False
if env.bool("EHC_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts only from this site or carrying the
# per-response nonce; no inline styles, no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page here uses (ehc/security/headers.py sends it).
EHC_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "interest-cohort=()"
)

# Sessions (ehc/security/sessions.py). Staff: 30 minutes idle, 12 hours at most from signing
# in. Families and people part-way through the public form: a longer idle time.
EHC_STAFF_SESSION_IDLE_SECONDS = env.int("EHC_STAFF_SESSION_IDLE_SECONDS", default=30 * 60)
EHC_STAFF_SESSION_ABSOLUTE_SECONDS = env.int(
    "EHC_STAFF_SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60
)
EHC_FAMILY_SESSION_IDLE_SECONDS = env.int("EHC_FAMILY_SESSION_IDLE_SECONDS", default=4 * 60 * 60)
SESSION_COOKIE_AGE = EHC_FAMILY_SESSION_IDLE_SECONDS

# Logs go to standard error: one JSON object a line in production (EHC_LOG_FORMAT=json, the
# default with DEBUG off), plain text when debugging. See config/request_log.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.request_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env.str("EHC_LOG_FORMAT", default="text" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out (username, address) pair before any check.
    "axes.backends.AxesStandaloneBackend",
    "ehc.auth_backends.EmailOrUsernameBackend",
]

# Failed sign-ins (django-axes). A (username, address) pair is locked after
# EHC_LOCKOUT_FAILURES failures for EHC_LOCKOUT_COOLOFF_MINUTES, then may try again: someone who
# knows a username cannot lock its owner out (a different address is a different pair), and the
# right password is never locked out for good. Each address is further limited over all
# usernames by EHC_RATELIMIT_SIGN_IN_IP. Every attempt is logged (axes' access log and logger).
AXES_FAILURE_LIMIT = env.int("EHC_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = "ehc.security.lockout.cool_off"
EHC_LOCKOUT_COOLOFF_MINUTES = env.int("EHC_LOCKOUT_COOLOFF_MINUTES", default=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "ehc.security.proxy.client_ip"
AXES_USERNAME_CALLABLE = "ehc.security.lockout.username_from"
AXES_LOCKOUT_CALLABLE = "ehc.security.lockout.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password", "token"]

# The second factor (django-otp): every staff and admin account signs in with an authenticator
# app code (TOTP) or a one-off recovery code. The issuer names the account in the app.
OTP_TOTP_ISSUER = env.str("EHC_OTP_ISSUER", default="EHC " + LOCAL_AUTHORITY_NAME)
EHC_RECOVERY_CODES = 10
# A first authenticator is set up only through a one-time link emailed to the staff member's
# address (or issued by a manager or administrator): a password alone is not enough.
EHC_ENROLMENT_LINK_HOURS = env.int("EHC_ENROLMENT_LINK_HOURS", default=24)
EHC_ENROLMENT_GRANT_MINUTES = 30  # how long an opened link lets the session set up the app

CELERY_BEAT_SCHEDULE = {
    "deadlines-refresh": {"task": "ehc.tasks.deadlines_refresh", "schedule": 15 * 60},
    "notifications-deadlines-sweep": {
        "task": "notifications.tasks.deadlines_sweep",
        "schedule": env.int("EHC_ALERT_SWEEP_SECONDS", default=15 * 60),
    },
    "reviews-open-due": {"task": "reviews.tasks.reviews_open", "schedule": 6 * 60 * 60},
    # Retention (docs/security.md): expired sessions (unfinished requests) and abandoned uploads.
    "retention-sessions-clear": {"task": "ehc.tasks.sessions_clear", "schedule": 60 * 60},
    "retention-uploads-purge": {
        "task": "ehc.tasks.abandoned_uploads_purge",
        "schedule": 6 * 60 * 60,
    },
}
# An upload from a journey that was never sent is deleted once untouched this long (longer than
# any session can last, so a journey still under way keeps its files).
EHC_ABANDONED_UPLOAD_RETENTION_HOURS = env.int("EHC_ABANDONED_UPLOAD_RETENTION_HOURS", default=48)

# Plans in force (reviews/): which date a review counts as "last reviewed" from for the next
# 12 months (spec R2, unverified in law): "meeting" (most councils) or "decision".
REVIEWS_LAST_REVIEWED_BASIS = env.str("EHC_REVIEWS_LAST_REVIEWED_BASIS", default="meeting")

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

# Cache: rate limits (django-ratelimit) count here. With DEBUG off it is Redis by default, so every
# web worker on every machine shares the counts; in development and tests each process keeps its
# own in memory (EHC_CACHE=locmem).
if env.str("EHC_CACHE", default="locmem" if DEBUG else "redis") == "redis":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ehc"}
    }
RATELIMIT_USE_CACHE = "default"
# Rate limits count by REMOTE_ADDR, which ehc.security.proxy sets to the client's address.
RATELIMIT_IP_META_KEY = "REMOTE_ADDR"
# Behind reverse proxies, the client's address is taken from X-Forwarded-For, trusting only what
# our own proxies added (ehc/security/proxy.py, docs/security.md). Either the number of proxies
# in front of Django, or their addresses/networks (comma-separated, e.g. "10.0.0.0/8").
# Neither set: X-Forwarded-For is ignored and REMOTE_ADDR is used as it is.
EHC_TRUSTED_PROXY_COUNT = env.int("EHC_TRUSTED_PROXY_COUNT", default=0)
EHC_TRUSTED_PROXIES = env.list("EHC_TRUSTED_PROXIES", default=[])
# "count/period", e.g. "10/h" or "5/15m". Families' public pages (family/).
EHC_RATELIMIT_SIGN_IN_IP = env.str("EHC_RATELIMIT_SIGN_IN_IP", default="30/15m")
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
# One document an organisation uploads with its advice (professionals/), in MB.
EHC_ADVICE_MAX_FILE_MB = env.int("EHC_ADVICE_MAX_FILE_MB", default=25)
# The team online requests go to (by name); empty means the first team.
EHC_PUBLIC_REQUEST_TEAM = env.str("EHC_PUBLIC_REQUEST_TEAM", default="")

# --- Production runner (docs/deployment.md) -------------------------------------------------
# Outermost: a request id and one log line per request; then /healthz, answered before host
# checks, sessions and rate limits. WhiteNoise serves collected static files from every web
# process (gunicorn.conf.py), with far-future caching for the hashed names.
MIDDLEWARE = [
    "config.request_log.RequestLogMiddleware",
    "config.health.HealthCheckMiddleware",
    *MIDDLEWARE,
]
if not DEBUG:  # development serves static files through runserver's finders
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
STORAGES = {
    # Uploaded documents go through Django's storage API only, so a shared volume or object
    # storage (django-storages) can hold them when web and workers run on several machines.
    "default": {
        "BACKEND": env.str(
            "EHC_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json("EHC_FILE_STORAGE_OPTIONS", default={}),
    },
    # Hashed, compressed names need `collectstatic` first: production only.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.static_storage.StaticStorage"
    },
}
STATIC_ROOT = env.str("EHC_STATIC_ROOT", default=str(STATIC_ROOT))
STATICFILES_FINDERS = [
    "config.static_storage.FileSystemFinder",
    "config.static_storage.AppDirectoriesFinder",
]
# Sessions live in the database (Django's default, said here so nobody moves them into a
# process's memory): any web process on any machine can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# PostgreSQL's JIT compiler pays off for long reports, not for a page's short queries: on the work
# queue at 100,000 cases it spent 2.4 s compiling a query that then ran in 2 s. Off by default.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
    "EHC_POSTGRES_JIT", default=False
):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Each web and worker process keeps its connection between requests (a new one costs a
    # handshake and authentication every page), checked before reuse after an outage.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("EHC_DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
EHC_HEALTH_TIMEOUT_SECONDS = env.float("EHC_HEALTH_TIMEOUT_SECONDS", default=2.0)
# Outgoing mail for the SMTP backend (EMAIL_BACKEND's default with DEBUG off), or a directory
# for the file backend (django.core.mail.backends.filebased.EmailBackend).
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / ".run" / "mail"))
# One beat sends, however many are started (config/beat.py): the others wait on a Redis lock and take
# over within this many seconds of the holder stopping.
CELERY_BEAT_SCHEDULER = "config.beat:SingleBeatScheduler"
EHC_BEAT_LOCK_SECONDS = env.int("EHC_BEAT_LOCK_SECONDS", default=60)
