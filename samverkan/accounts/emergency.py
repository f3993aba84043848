"""Who may log in with a password: demo users while PASSWORD_LOGIN is on, and emergency
accounts with a TOTP code (django-otp), and only during a declared downtime of the identity
provider: when Samverkan itself is down nobody logs in, and when SITHS works nobody needs to."""

from django.conf import settings
from django_otp import match_token

from samverkan.downtime.models import Downtime

from .models import EmergencyAccount

REASONS = {
    "password_off": "Inloggning med lösenord är avstängd. Logga in med SITHS eller e-legitimation.",
    "no_downtime": "Reservkonton kan bara användas under ett utlyst driftstopp av "
    "inloggningstjänsten.",
    "otp": "Fel eller saknad engångskod.",
}


def password_refusal(user, otp: str) -> str | None:
    """Why this user may not log in with a password now (a REASONS key), or None."""
    if not EmergencyAccount.objects.filter(user=user).exists():
        return None if settings.PASSWORD_LOGIN else "password_off"
    if not Downtime.objects.of_identity_provider().exists():
        return "no_downtime"
    if not otp or match_token(user, otp) is None:
        return "otp"
    return None


def is_emergency(user) -> bool:
    return EmergencyAccount.objects.filter(user=user).exists()
