"""The person's session in Min plan, kept apart from staff sessions: logging in with e-ID ends
any staff login in the browser, a staff login ends the person session, and a person is never a
Django user (so no staff page, API or admin ever lets them in)."""

import time
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.urls import reverse

from samverkan.accounts import oidc
from samverkan.accounts.providers import client
from samverkan.audit.log import record
from samverkan.directory.middleware import client_ip
from samverkan.lib.identity import IdentityError, parse_identity

SESSION_KEY = "myplan_citizen"
PENDING = "myplan_pending"
PROVIDERS = "MY_PLAN_OIDC_PROVIDERS"
PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"

REFUSALS = {
    **oidc.REFUSALS,
    "loa": "Inloggningen har för låg tillitsnivå. Logga in med BankID eller Freja+.",
    "missing_claims": "Inloggningen gav inget personnummer. Logga in med en svensk "
    "e-legitimation (BankID eller Freja+).",
}


@dataclass(frozen=True)
class Reader:
    """A person logged in with a national e-ID, reading Min plan; acts like an Actor for the
    access chokepoint and the audit log, but may only read."""

    identity: str  # personnummer, 12 digits
    name: str
    ip: str = ""
    unit = None
    role = "citizen"

    @property
    def user(self):
        """For the audit log: no staff user, the e-ID's person named instead."""
        return SimpleNamespace(pk=None, username=f"e-legitimation:{self.identity}")

    def require(self, capability: str) -> None:
        if capability != "read_personal":
            raise PermissionDenied("Min plan går bara att läsa.")

    def require_fresh(self) -> None:
        return None


def reader(request) -> Reader | None:
    """The person logged in to Min plan in this browser, or None (ended when idle or old)."""
    info = request.session.get(SESSION_KEY)
    if not info:
        return None
    now = time.time()
    idle = now - info["seen_at"] > settings.MY_PLAN_IDLE_SECONDS
    if idle or now - info["auth_at"] > settings.MY_PLAN_MAX_SECONDS:
        end(request, "idle" if idle else "max")
        return None
    if now - info["seen_at"] > 30:
        request.session[SESSION_KEY] = {**info, "seen_at": int(now)}
    return Reader(identity=info["identity"], name=info["name"], ip=client_ip(request))


def end(request, reason: str = "") -> dict:
    """End the person session and the browser session with it (audited); returns what it
    held (the ID token for the IdP)."""
    info = request.session.pop(SESSION_KEY, None) or {}
    if info:
        request.session.flush()  # a new, empty session: nothing of this one lives on
        who = SimpleNamespace(pk=None, username=f"e-legitimation:{info['identity']}")
        detail = {"reason": reason} if reason else {}
        record(None, "myplan.logout", user=who, ip=client_ip(request), detail=detail)
    return info


@receiver(user_logged_in)
def staff_login_ends_person_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


def start(request, name: str):
    """To the e-ID provider (authorization code, PKCE, state, nonce; acr LoA 3)."""
    provider, app = client(name, PROVIDERS)
    request.session[PENDING] = {"provider": name, "started": int(time.time())}
    callback = request.build_absolute_uri(reverse("myplan_callback", args=[name]))
    return oidc.authorize(request, app, callback, acr_values=settings.MY_PLAN_ACR)


def receive(request, name: str) -> tuple[dict, str]:
    """The provider's verified answer: (claims, ID token); the trust level and the
    personnummer are checked here."""
    claims, id_token = oidc.verified(request, *client(name, PROVIDERS), PENDING)
    if claims.get("acr") != settings.MY_PLAN_ACR:
        raise oidc.Refused("loa", acr=claims.get("acr", ""))
    number = claims.get(PNR_CLAIM)
    if not isinstance(number, str) or not _personnummer(number):
        raise oidc.Refused("missing_claims", missing=[PNR_CLAIM])
    return claims, id_token


def _personnummer(value: str) -> bool:
    """12 digits, a valid personnummer (the profile's form; a samordningsnummer is not one)."""
    if len(value) != 12 or not (value.isascii() and value.isdigit()):
        return False
    try:
        return parse_identity(value).kind == "personnummer"
    except IdentityError:
        return False


def begin(request, name: str, claims: dict, id_token: str) -> None:
    """Log the person in: any staff session in this browser ends first (never both)."""
    if request.user.is_authenticated:
        logout(request)  # flushes the session
    request.session.cycle_key()
    request.session.pop(PENDING, None)
    now = int(time.time())
    person = " ".join(str(claims.get(k, "")) for k in ("given_name", "family_name")).strip()
    request.session[SESSION_KEY] = {
        "identity": claims[PNR_CLAIM],
        "name": person[:200],
        "provider": name,
        "id_token": id_token,
        "auth_at": now,
        "seen_at": now,
    }
    who = SimpleNamespace(pk=None, username=f"e-legitimation:{claims[PNR_CLAIM]}")
    detail = {"method": "oidc", "provider": name, "acr": claims.get("acr", "")}
    record(None, "myplan.login", user=who, ip=client_ip(request), detail=detail)


def refuse(request, refused: oidc.Refused) -> str:
    """Audit a refused login; the Swedish message for the page."""
    detail = {"reason": refused.reason, **refused.detail}
    record(None, "myplan.login_refused", ip=client_ip(request), detail=detail)
    return REFUSALS.get(refused.reason, REFUSALS["token"])
