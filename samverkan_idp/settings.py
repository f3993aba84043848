"""Settings of the local identity provider: its own SQLite file and key under IDP_HOME."""

import os
from pathlib import Path

from .keys import load_or_create

HOME = Path(os.environ.get("IDP_HOME", Path(__file__).resolve().parent.parent / "var" / "idp"))
HOME.mkdir(parents=True, exist_ok=True)
PORT = int(os.environ.get("IDP_PORT", "8100"))
ISSUER = os.environ.get("IDP_ISSUER", f"http://127.0.0.1:{PORT}/o")

SECRET_KEY = os.environ.get("IDP_SECRET_KEY", "idp-dev-only-not-secret-" + "y" * 40)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "samverkan_idp.apps.IdpConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "samverkan_idp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": HOME / "idp.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The demo people share the demo password; a test IdP only, never a real one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
SESSION_COOKIE_NAME = "idp_sessionid"  # the IdP and Samverkan both run on 127.0.0.1
CSRF_COOKIE_NAME = "idp_csrftoken"
LOGIN_URL = "idp_login"
LANGUAGE_CODE = "sv"
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": load_or_create(HOME / "idp-key.pem"),
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "PKCE_REQUIRED": True,
    "ALLOW_LOCALHOST_LOOPBACK": True,  # the live test server and the demo on any port
    "OAUTH2_VALIDATOR_CLASS": "samverkan_idp.validator.SithsValidator",
    "SCOPES": {
        "openid": "Inloggning",
        "profile": "Namn",
        "siths": "HSA-id och medarbetaruppdrag",
        "https://id.oidc.se/scope/naturalPersonNumber": "Personnummer (e-legitimation)",
    },
    "ID_TOKEN_EXPIRE_SECONDS": 300,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
}
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
