"""Settings, driven by the environment; SQLite by default, DATABASE_URL switches engines."""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = os.environ.get("SAMVERKAN_ENV") == "production"


def env_list(name: str, default: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else "dev-only-not-secret-" + "x" * 40)
if PRODUCTION and len(SECRET_KEY) < 50:
    raise RuntimeError("SECRET_KEY must be set (at least 50 characters) in production")
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "samverkan.directory.apps.SysadminAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "samverkan.directory",
    "samverkan.patients",
    "samverkan.audit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "samverkan.accounts",
    "samverkan.downtime",
    "samverkan.cases",
    "samverkan.notifications",
    "samverkan.sip",
    "samverkan.api",
    "samverkan.deviations",
    "samverkan.followup",
    "samverkan.experience",
    "samverkan.fhir",
    "samverkan.forums",
    "samverkan.myplan",
    "csp",
]

MIDDLEWARE = [
    "samverkan.api.errors.ApiErrorMiddleware",  # every error under /api/ is structured JSON
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samverkan.accounts.sessions.SessionLimitsMiddleware",  # shift lifetime and idle timeout
    "samverkan.directory.middleware.ActorMiddleware",
    "samverkan.audit.log.KeepReadsMiddleware",  # outside the request's transactions
    "samverkan.accounts.sessions.StepUpMiddleware",  # fresh login before ready and exports
    "samverkan.api.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
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
                "samverkan.directory.middleware.actor_context",
                "samverkan.notifications.views.header_context",
                "samverkan.downtime.banner.banner_context",
            ]
        },
    }
]
WSGI_APPLICATION = "samverkan.wsgi.application"

if "DATABASE_URL" not in os.environ:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'samverkan.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,  # a connection the server ended is replaced, not a 500
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers wait for each other instead of failing; the test database is a file so that
    # threads in the concurrency tests share it the way processes would.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    test_db = os.environ.get("SQLITE_TEST_DB", str(BASE_DIR / "var" / "test.sqlite3"))
    DATABASES["default"]["TEST"] = {"NAME": test_db}
else:
    # The planner's JIT compiles the follow-up's aggregate queries for longer than they run.
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: Argon2 first; the others only to verify hashes made before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
# Sessions keep the backend that logged them in: passwords (demo, emergency accounts) and the
# identity provider's logins (samverkan/accounts/oidc.py) both end in MembershipBackend's
# get_user, which reads the user with their memberships in one query.
AUTHENTICATION_BACKENDS = env_list(
    "AUTHENTICATION_BACKENDS", "samverkan.directory.backends.MembershipBackend"
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
LOCKOUT_FAILURES = int(os.environ.get("LOCKOUT_FAILURES", "5"))
LOCKOUT_MINUTES = int(os.environ.get("LOCKOUT_MINUTES", "15"))

# Identity providers (OpenID Connect), a JSON list; see README "Inloggning med SITHS". Each:
# name, label, discovery_url (or issuer), client_id, client_secret or client_secret_env.
OIDC_PROVIDERS = json.loads(os.environ.get("SAMVERKAN_OIDC_PROVIDERS", "[]"))


def provider_origins(providers: list[dict]) -> list[str]:
    """scheme://host:port of each provider, for the CSP's form-action."""
    urls = [p.get("issuer") or p.get("discovery_url", "") for p in providers]
    parts = [urlsplit(u) for u in urls if u]
    return sorted({f"{p.scheme}://{p.netloc}" for p in parts})


# Min plan: people (and their next of kin) log in with a national e-ID through these providers,
# never through the staff list above (README "Min plan"). Same JSON shape; scope defaults to
# "openid profile https://id.oidc.se/scope/naturalPersonNumber".
MY_PLAN_OIDC_PROVIDERS = json.loads(os.environ.get("SAMVERKAN_MY_PLAN_OIDC_PROVIDERS", "[]"))
MY_PLAN_ACR = os.environ.get("SAMVERKAN_MY_PLAN_ACR", "http://id.elegnamnden.se/loa/1.0/loa3")
# A new item reaches Min plan this many days after it was written, unless staff release it
# earlier (as 1177 does for unsigned notes); 0 shows it at once. Items held back never show.
MY_PLAN_RELEASE_DAYS = int(os.environ.get("MY_PLAN_RELEASE_DAYS", "14"))
# A Min plan session ends after this long without a request, and at the latest after MAX.
MY_PLAN_IDLE_SECONDS = int(os.environ.get("MY_PLAN_IDLE_SECONDS", str(20 * 60)))
MY_PLAN_MAX_SECONDS = int(os.environ.get("MY_PLAN_MAX_SECONDS", str(2 * 60 * 60)))

OIDC_REQUIRED_ACR = os.environ.get("SAMVERKAN_OIDC_ACR", "http://id.sambi.se/loa/loa3")
OIDC_READ_ONLY_ACR = os.environ.get("SAMVERKAN_OIDC_READ_ONLY_ACR", "http://id.sambi.se/loa/loa2")
# Policy: a reserve card (LoA 2) may log in to read only; refused when off (the default).
OIDC_LOA2_READ_ONLY = os.environ.get("SAMVERKAN_OIDC_LOA2_READ_ONLY", "0") == "1"
# Password login for ordinary users: on for the demo and tests, off in production. Emergency
# accounts use a password (and TOTP) during a declared downtime either way.
PASSWORD_LOGIN = os.environ.get("SAMVERKAN_PASSWORD_LOGIN", "0" if PRODUCTION else "1") == "1"
# A session lasts one shift from the login, and ends after this long without a request.
SESSION_SHIFT_SECONDS = int(os.environ.get("SESSION_SHIFT_SECONDS", str(10 * 60 * 60)))
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(60 * 60)))
# Step-up: these views need a login at most STEP_UP_SECONDS old ("url_name" or
# "url_name:action" for the case actions); the identity provider is asked with prompt=login.
STEP_UP_SECONDS = int(os.environ.get("STEP_UP_SECONDS", "600"))
STEP_UP_VIEWS = [
    "case_action:ready",
    "audit_export",
    "sip_pdf",
    "payment_statement_pdf",
    "payment_statement_xlsx",
]

SESSION_COOKIE_AGE = SESSION_SHIFT_SECONDS  # one working shift
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp) on every response: only this host, no inline script or
# style (behaviour in static/js, styles in static/css); data: images for Swagger UI's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # forms may lead to the identity providers: logout and step-up redirect there
        "form-action": ["'self'", *provider_origins(OIDC_PROVIDERS + MY_PLAN_OIDC_PROVIDERS)],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = os.environ.get("STATIC_URL", "/static/")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None  # collectstatic in production
WHITENOISE_USE_FINDERS = not PRODUCTION  # development and tests serve straight from static/
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded files (attachments): never served directly, only through the case access check.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "samverkan@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))  # seconds; a silent server fails
# Background work: a worker's lease on its rows; a dead worker's rows are retaken after it.
WORKER_LEASE_SECONDS = int(os.environ.get("WORKER_LEASE_SECONDS", "120"))
# An e-mail (digest, invitation) is tried this many times, with backoff, then shown as failed.
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "5"))
# Messages back to the record system (samverkan/fhir/outbound.py): off while the URL is unset.
FHIR_OUTBOUND_URL = os.environ.get("FHIR_OUTBOUND_URL", "")  # the receiver's $process-message
FHIR_OUTBOUND_TOKEN = os.environ.get("FHIR_OUTBOUND_TOKEN", "")  # sent as a Bearer token
FHIR_OUTBOUND_TIMEOUT = float(os.environ.get("FHIR_OUTBOUND_TIMEOUT", "10"))  # seconds per call
FHIR_OUTBOUND_ATTEMPTS = int(os.environ.get("FHIR_OUTBOUND_ATTEMPTS", "5"))  # then failed

# Reservnummer: the region's format for persons without a known identity number.
# Default: birth date YYYYMMDD, a capital letter, three digits (e.g. 19400104R001).
RESERVNUMMER_PATTERN = os.environ.get("RESERVNUMMER_PATTERN", r"^(?P<date>\d{8})[A-Z]\d{3}$")
# How long a ward's look-up of a person gives it access to that person (hours).
LOOKUP_ACCESS_HOURS = int(os.environ.get("LOOKUP_ACCESS_HOURS", "24"))
# Aggregates: counts from 1 to this minus one are shown as "<N" to those who may not see the cases.
SMALL_CELL_LIMIT = int(os.environ.get("SMALL_CELL_LIMIT", "5"))
# follow-up calls and surveys (samverkan/experience): the key of the statistics' pseudonym
# (HMAC-SHA256 of the identity number); changing it breaks the link between periods.
PSEUDONYM_KEY = os.environ.get("PSEUDONYM_KEY", "" if PRODUCTION else "dev-only-pseudonym-key")
if PRODUCTION and len(PSEUDONYM_KEY) < 32:
    raise RuntimeError("PSEUDONYM_KEY must be set (at least 32 characters) in production")
# the effect goals' baseline for the calls and surveys: "first" = the first months with data
# (EXPERIENCE_BASELINE_MONTHS of them, the trust survey's first period), or "YYYY-MM-DD:YYYY-MM-DD"
EXPERIENCE_BASELINE = os.environ.get("EXPERIENCE_BASELINE", "first")
EXPERIENCE_BASELINE_MONTHS = int(os.environ.get("EXPERIENCE_BASELINE_MONTHS", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# LOS: daily times at which units check the system; an acknowledgement is due by the next one.
CHECK_TIMES = env_list("CHECK_TIMES", "08:00,12:00,15:00")
# The key that seals the units' downtime passphrases (downtime.secrets); SECRET_KEY when empty.
# A separate key lets SECRET_KEY rotate without the unit admins setting new passphrases.
DOWNTIME_KEY = os.environ.get("DOWNTIME_KEY", "")
# A discharged case closes by itself this many days after discharge.
CASE_AUTO_CLOSE_DAYS = int(os.environ.get("CASE_AUTO_CLOSE_DAYS", "7"))
# a FHIR message waiting for an earlier one fails after this long (samverkan.fhir.ordering)
FHIR_HOLD_HOURS = int(os.environ.get("FHIR_HOLD_HOURS", "48"))
# A unit's function mailbox gets a digest once its oldest un-mailed notification is this old.
DIGEST_MINUTES = int(os.environ.get("DIGEST_MINUTES", "15"))

# Worklist sections other modules add to the start page (see samverkan/core/worklists.py).
WORKLIST_PANELS: list[str] = [
    "samverkan.sip.worklist",
    "samverkan.deviations.worklist",
    "samverkan.forums.followup",
]
# Idempotency records (status and resource of a first write, no body) are kept this many days.
IDEMPOTENCY_DAYS = int(os.environ.get("IDEMPOTENCY_DAYS", "7"))
# Deviations: days the responsible unit has to give feedback (Västra Götaland's 60 by default).
DEVIATION_FEEDBACK_DAYS = int(os.environ.get("DEVIATION_FEEDBACK_DAYS", "60"))
