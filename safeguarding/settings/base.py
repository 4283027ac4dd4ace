"""Settings for the case review service.

Everything that differs between installs comes from environment variables (see the README's
table). With nothing set the service runs on an embedded default: SQLite and a Celery broker on
the local filesystem, so `make run` works on a fresh machine with no servers.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # runtime data of the embedded default; never committed
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
else:
    SECRET_KEY = env("SECRET_KEY")  # required: no default outside development

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

PARTNERSHIP_NAME = env("PARTNERSHIP_NAME", default="Northbridge Safeguarding Children Partnership")
# Short form used in case references (NSCP-2026-007).
PARTNERSHIP_CODE = env("PARTNERSHIP_CODE", default="NSCP")
SERVICE_NAME = "Case reviews"
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="safeguarding.partnership@example.org")
# The address people reach the service at, for links in emails.
SERVICE_URL = env("SERVICE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "guardian",
    "simple_history",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_celery_beat",
    "csp",
    # The shared core, then the stages in the order they import each other.
    "safeguarding.audit",
    "safeguarding.outbox",
    "safeguarding.accounts",
    "safeguarding.files",
    "safeguarding.reports",
    "safeguarding.cases",
    "safeguarding.deadlines",
    "safeguarding.contributions",
    "safeguarding.actions",
    "notifications",
    "rapid_reviews",
    "cspr",
    "panel",
    "safeguarding.bench",
]

MIDDLEWARE = [
    # First: an oversized body is refused before anything reads it (see the class).
    "safeguarding.middleware.RequestBodyLimitMiddleware",
    # Before anything that redirects to HTTPS or checks ALLOWED_HOSTS (see the class).
    "safeguarding.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safeguarding.page_memo.PageMemoMiddleware",
    "safeguarding.accounts.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Right after the two that wrap request.user: the person object itself from here on.
    "safeguarding.accounts.middleware.SignedInPersonMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safeguarding.accounts.middleware.SessionAbsoluteLimitMiddleware",
    # After authentication, so it knows whose kept count to forget after a POST.
    "safeguarding.navigation.WaitingCountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "safeguarding.accounts.middleware.RequireSecondFactorMiddleware",
    # Axes must be last so it sees the result of the login view.
    "axes.middleware.AxesMiddleware",
]

# Every <select> written in Python, not an include per option (safeguarding/forms.py).
FORM_RENDERER = "safeguarding.forms.FormRenderer"

ROOT_URLCONF = "safeguarding.urls"
WSGI_APPLICATION = "safeguarding.wsgi.application"

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
                "csp.context_processors.nonce",
                "safeguarding.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# On PostgreSQL each web worker keeps its connection (a minute, checked before reuse): a new
# one per request cost a backend's start and a cold catalogue cache on every page, which was
# up to half of a light page's time in the benchmark (docs/performance.md, "Connections").
_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if _POSTGRES else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file in the embedded default. WAL lets readers go on while
    # one writes; IMMEDIATE takes the write lock when a transaction begins, so a transaction
    # that read first waits its turn (busy timeout, 20 s) instead of failing with "database is
    # locked" when it comes to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if _POSTGRES:
    # No JIT compilation: it paid off for no query of the service's and cost up to 60 ms on
    # each of the larger ones, on every page (docs/performance.md, "JIT off"). No parallel
    # workers for a query: starting two cost 5 to 7 ms on a list that stops at its first 20
    # rows, and a busy service's requests already use every core ("Fifth round").
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c max_parallel_workers_per_gather=0"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's own, reading the signed-in person with their agency and roles (one query).
    "safeguarding.accounts.backends.PersonBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# Sessions end after 30 minutes idle, when the browser closes, and a working day after sign-in
# however busy (safeguarding.accounts.middleware.SessionAbsoluteLimitMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=9 * 60 * 60)
# The idle clock is wound back at most once a minute, not on every page (which cost an UPDATE
# and a commit each): SessionAbsoluteLimitMiddleware, docs/performance.md.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_IDLE_REFRESH_SECONDS = env.int("SESSION_IDLE_REFRESH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Second factor (django-otp).
OTP_TOTP_ISSUER = PARTNERSHIP_NAME
OTP_TOTP_THROTTLE_FACTOR = 1

# Login throttling (django-axes): lock the account, not the address, after 5 failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Axes would also lock by address; a council's staff share one NAT address, so one person's
# mistakes would lock out everyone. Accounts are locked instead (and TOTP is throttled).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Failures are counted by the address as the sign-in compares it (trimmed, lower case), so
# "NAME@EXAMPLE.ORG" and " name@example.org" are the same count, not a fresh one each.
AXES_USERNAME_CALLABLE = "safeguarding.accounts.access.axes_username"
# The client's address comes from one place, which honours TRUSTED_PROXIES (below).
AXES_CLIENT_IP_CALLABLE = "safeguarding.audit.services.client_ip"
AXES_VERBOSE = False
# Axes' log lines would name the username (an email address): name the address and path only.
AXES_CLIENT_STR_CALLABLE = "safeguarding.audit.services.axes_client_str"

# Object permissions (django-guardian): no anonymous user, every reader is logged in.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# The service is written in English only and translates nothing: with translation on, every
# date, number and message looked up the active language through Django's translation
# machinery, 2 to 4% of a page's Python (docs/performance.md, "Nineteenth round"). Dates and
# numbers are still formatted as en-GB (LANGUAGE_CODE).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# GOV.UK Frontend and our own assets are built into static/dist by `npm run build`.
STATICFILES_DIRS = [BASE_DIR / "static" / "dist"]
MEDIA_ROOT = Path(env("UPLOAD_ROOT", default=str(VAR_DIR / "uploads")))  # never served directly
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=20) * 1024 * 1024
# Request bodies (see safeguarding.middleware.RequestBodyLimitMiddleware, which refuses larger
# ones on their Content-Length before anything reads them): a form's fields may total 2 MB (a
# long review is a few hundred KB of text); a multipart body may be one upload plus that.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# An upload larger than this is streamed to a temporary file, not held in a worker's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Django's default: admin's permission pickers post one field per chosen permission.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10  # every upload form takes one document
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

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email: the console by default, SMTP (or any backend) from EMAIL_URL.
_email = env.email("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
if env("EMAIL_FILE_PATH", default=""):
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
# `or`: compose passes an empty DEFAULT_FROM_EMAIL when .env leaves it out.
DEFAULT_FROM_EMAIL = (
    env("DEFAULT_FROM_EMAIL", default="") or f"{PARTNERSHIP_NAME} <{SUPPORT_EMAIL}>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Backends that never deliver: password-reset links and reminders would land in logs or files
# and be recorded as sent. A live install (DEBUG off) refuses to start on one of them unless
# told plainly that mail is not meant to go out (EMAIL_ALLOW_UNSENT=true, e.g. a training copy).
UNSENT_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "safeguarding.devmail.EmailBackend",
}
if (
    not DEBUG
    and EMAIL_BACKEND in UNSENT_EMAIL_BACKENDS
    and not env.bool("EMAIL_ALLOW_UNSENT", default=False)
):
    raise ImproperlyConfigured(
        f"EMAIL_URL gives {EMAIL_BACKEND}, which never delivers email, and DEBUG is off. "
        "Set EMAIL_URL to the mail server (e.g. smtp+tls://user:password@smtp.example.org:587), "
        "or EMAIL_ALLOW_UNSENT=true if this install must not send email."
    )

# Celery: Redis in production; with nothing set, a broker on the local filesystem.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # Where the local broker keeps its messages (var/ by default; a test's own folder in tests).
    _broker_dir = Path(env("CELERY_BROKER_DIR", default=str(VAR_DIR / "celery-broker")))
    _control_dir = _broker_dir.parent / f"{_broker_dir.name}-control"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    _control_dir.mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(_control_dir),
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# One queue unless told otherwise (the benchmark and CI runs use a queue of their own).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker runs again; tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Schedules live here, in code; the database scheduler copies them in when beat starts.
CHASE_HOUR = env.int("CHASE_HOUR", default=7)
CHASE_MINUTE = env.int("CHASE_MINUTE", default=0)
CELERY_BEAT_SCHEDULE = {
    # Each working morning (the task itself skips bank holidays and closure days).
    "chase-deadlines": {
        "task": "safeguarding.deadlines.tasks.chase_deadlines",
        "schedule": crontab(hour=CHASE_HOUR, minute=CHASE_MINUTE, day_of_week="mon-fri"),
    },
    # Sends what is waiting and retries failed deliveries.
    "send-pending-emails": {
        "task": "safeguarding.outbox.tasks.send_pending_emails",
        "schedule": timedelta(minutes=5),
    },
    # Asks again for files whose message was lost; fails those whose worker died.
    "sweep-generated-files": {
        "task": "safeguarding.files.tasks.sweep_files",
        "schedule": timedelta(minutes=5),
    },
    "clear-expired-sessions": {
        "task": "safeguarding.accounts.tasks.clear_expired_sessions",
        "schedule": timedelta(hours=6),
    },
}

# The proxies in front whose X-Forwarded-For is believed (addresses or networks, as this
# process sees them): the client's address for the audit log and the sign-in throttle is the
# right-most forwarded address that is not one of them (safeguarding.audit.services.client_ip).
# Empty: no proxy is trusted, and the peer's own address is recorded. gunicorn's
# FORWARDED_ALLOW_IPS (safeguarding/gunicorn_conf.py) is the same list for its own purposes.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address") from error

# Security headers. Production (DEBUG off) gets the strict set; `check --deploy` must be clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The container's health check speaks plain HTTP. HealthCheckMiddleware answers it before
    # the redirect; this keeps /healthz exempt should that middleware ever move.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_COOKIE_HTTPONLY = True

# Content Security Policy: nothing inline, scripts only from us and only with the page's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}

# The clocks (see safeguarding/deadlines/rules.py). Only rules marked configurable may change,
# e.g. DEADLINE_RULES = {"D5": {"anchor": "notification_submitted"}, "D13": {"limit": 10}}.
DEADLINE_RULES = env.json("DEADLINE_RULES", default={})
# When each kind of deadline is chased (see safeguarding/deadlines/ladders.py), e.g.
# REMINDER_LADDERS = {"rapid_review": {"before": 3, "escalate_after": 2}}.
REMINDER_LADDERS = env.json("REMINDER_LADDERS", default={})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The benchmark (`make bench`, docs/performance.md) counts each response's SQL queries in a
# header. Off unless the benchmark's own gunicorn asks for it.
if env.bool("BENCH_QUERY_HEADER", default=False):
    MIDDLEWARE.insert(0, "safeguarding.bench.middleware.QueryCountMiddleware")
