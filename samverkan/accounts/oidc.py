"""Login through an identity provider (OpenID Connect, authorization code with PKCE).

authlib checks state, PKCE, the ID token's signature (RS256/ES256), issuer, audience, expiry
and nonce. Here: the trust level (acr), the person (employee HSA-id, never e-mail), and the
unit, which comes from an assignment's unit HSA-id matching a unit and a local membership.
The provider never grants a role: roles come only from memberships.
"""

import time
from dataclasses import dataclass, field

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from joserfc.errors import JoseError

from samverkan.audit.log import record
from samverkan.directory.actor import Actor
from samverkan.directory.middleware import SESSION_KEY, client_ip
from samverkan.directory.models import Membership
from samverkan.directory.roles import read_only_role

from .models import HSA_ID, HsaIdentity
from .providers import client
from .sessions import AUTH_AT, LOGIN, PROMPT_LOGIN

PENDING = "oidc_pending"
BACKEND = "samverkan.directory.backends.MembershipBackend"

REFUSALS = {
    "state": "Inloggningen har redan använts eller hör inte till den här webbläsaren. Börja om.",
    "token": "Inloggningen kunde inte verifieras (ogiltig eller för gammal legitimering). "
    "Börja om; kvarstår felet, kontakta systemförvaltningen.",
    "provider_error": "Identitetsleverantören avbröt inloggningen. Börja om.",
    "unavailable": "Identitetsleverantören svarar inte just nu. Försök igen om en stund.",
    "loa": "Inloggningen har för låg tillitsnivå. Logga in med ditt SITHS-kort "
    "(tillitsnivå 3); reservkort räcker inte för Samverkan.",
    "missing_claims": "Inloggningen saknar uppgift om ditt HSA-id. Kontakta din "
    "enhetsadministratör eller systemförvaltningen så att ditt SITHS-kort får rätt uppgifter.",
    "inactive": "Ditt konto i Samverkan är avstängt. Kontakta din enhetsadministratör.",
    "step_up": "Bekräftelsen måste göras av den som är inloggad, med en ny legitimering. "
    "Försök igen.",
}


class Refused(Exception):
    """A login that must not go through; `reason` keys REFUSALS and the audit event."""

    def __init__(self, reason: str, **detail):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass
class Identity:
    """What the provider said about the person, checked."""

    provider: str
    hsa_id: str
    given_name: str
    family_name: str
    acr: str
    read_only: bool
    auth_time: int
    commissions: list = field(default_factory=list)
    id_token: str = ""

    def audit(self) -> dict:
        return {
            "method": "oidc",
            "provider": self.provider,
            "acr": self.acr,
            "read_only": self.read_only,
            "employee_hsa_id": self.hsa_id,
        }


def callback_uri(request, name: str) -> str:
    return request.build_absolute_uri(reverse("oidc_callback", args=[name]))


def start(request, name: str, next_url: str, step_up: bool = False):
    """Redirect to the provider; a step-up asks for a new authentication (prompt=login)."""
    provider, app = client(name)
    request.session[PENDING] = {
        "provider": name,
        "next": next_url,
        "step_up": step_up,
        "started": int(time.time()),
    }
    acr = settings.OIDC_REQUIRED_ACR
    if settings.OIDC_LOA2_READ_ONLY:
        acr += " " + settings.OIDC_READ_ONLY_ACR
    params = {"acr_values": acr}
    if step_up:
        params["max_age"] = 0
    if step_up or request.session.pop(PROMPT_LOGIN, False):
        params["prompt"] = "login"
    return authorize(request, app, callback_uri(request, name), **params)


def authorize(request, app, callback: str, **params):
    """The redirect to the provider's authorization endpoint (state, nonce, PKCE by authlib)."""
    try:
        return app.authorize_redirect(request, callback, **params)
    except requests.RequestException as e:  # discovery document out of reach
        raise Refused("unavailable", error=type(e).__name__) from None


def receive(request, name: str) -> Identity:
    """The provider's answer, verified: token, userinfo, trust level and claims."""
    claims, id_token = verified(request, *client(name), PENDING)
    return _identity(name, claims, id_token)


def verified(request, provider, app, pending_key: str) -> tuple[dict, str]:
    """The ID token's and userinfo's claims (same subject) and the raw ID token, for the login
    started under `pending_key` in this session (staff and Min plan share this check)."""
    pending = request.session.get(pending_key) or {}
    token = _token(app, request, provider)
    if pending.get("provider") != provider.name:
        raise Refused("state", error="no login started with this provider")
    claims = dict(token["userinfo"])
    info = _userinfo(app, token)
    if info.get("sub") != claims.get("sub"):
        raise Refused("token", error="userinfo belongs to another subject")
    return {**info, **claims}, token["id_token"]


def claims_options(provider, app) -> dict:
    """Issuer and audience must be ours: authlib checks `aud` only when told to (with a
    matching `azp` it would take a token issued to another client)."""
    issuer = provider.issuer or app.load_server_metadata().get("issuer")
    return {
        "iss": {"essential": True, "values": [issuer]},
        "aud": {"essential": True, "values": [provider.client_id]},
    }


def _token(app, request, provider) -> dict:
    try:
        options = claims_options(provider, app)
        token = app.authorize_access_token(request, claims_options=options)
    except MismatchingStateError:
        raise Refused("state", error="state unknown or used") from None
    except OAuthError as e:
        raise Refused("provider_error", error=e.error) from None
    except JoseError as e:
        raise Refused("token", error=f"{type(e).__name__}: {e}") from None
    except requests.RequestException as e:
        raise Refused("unavailable", error=type(e).__name__) from None
    if "userinfo" not in token:  # authlib validates the ID token only when there is one
        raise Refused("token", error="no id_token")
    return token


def _userinfo(app, token) -> dict:
    try:
        return dict(app.userinfo(token=token))
    except (OAuthError, requests.RequestException) as e:
        raise Refused("unavailable", error=type(e).__name__) from None


def _identity(name: str, claims: dict, id_token: str) -> Identity:
    acr = claims.get("acr", "")
    read_only = acr == settings.OIDC_READ_ONLY_ACR and settings.OIDC_LOA2_READ_ONLY
    if acr != settings.OIDC_REQUIRED_ACR and not read_only:
        raise Refused("loa", acr=acr)
    hsa_id = claims.get("employeeHsaId")
    if not isinstance(hsa_id, str) or not _valid_hsa(hsa_id):
        raise Refused("missing_claims", missing=["employeeHsaId"])
    commissions = claims.get("commissions") or []
    if not isinstance(commissions, list) or not all(isinstance(c, dict) for c in commissions):
        raise Refused("missing_claims", missing=["commissions"])
    return Identity(
        provider=name,
        hsa_id=hsa_id,
        given_name=str(claims.get("given_name", ""))[:150],
        family_name=str(claims.get("family_name", ""))[:150],
        acr=acr,
        read_only=read_only,
        auth_time=int(claims.get("auth_time") or 0),
        commissions=commissions,
        id_token=id_token,
    )


def _valid_hsa(value: str) -> bool:
    try:
        HSA_ID(value)
    except Exception:
        return False
    return True


@transaction.atomic
def person(identity: Identity) -> User:
    """The user keyed on the employee HSA-id; a first login makes a user without any role."""
    known = HsaIdentity.objects.select_related("user").filter(hsa_id=identity.hsa_id).first()
    user = known.user if known else User(username=identity.hsa_id[:150])
    if not known:
        user.set_unusable_password()
    user.first_name, user.last_name = identity.given_name, identity.family_name
    user.save()
    if not known:
        HsaIdentity.objects.create(user=user, hsa_id=identity.hsa_id)
    if not user.is_active:
        raise Refused("inactive")
    return user


def matches(user, identity: Identity) -> list[dict]:
    """Each assignment whose unit is an active unit the user is a member of (usable role)."""
    by_unit = {
        m.unit.hsa_id: m
        for m in Membership.objects.filter(user=user, unit__active=True).select_related("unit")
        if not identity.read_only or read_only_role(m.role)
    }
    found = []
    for c in identity.commissions:
        m = by_unit.pop(str(c.get("healthCareUnitHsaId", "")), None)
        if m is not None:
            found.append(
                {
                    "membership": str(m.public_id),
                    "unit": m.unit.name,
                    "commission": str(c.get("commissionHsaId", ""))[:64],
                    "commission_name": str(c.get("commissionName", ""))[:120],
                }
            )
    return found


def whom_to_ask(identity: Identity) -> list[dict]:
    """For each assignment's unit known here: its name, contact details and unit admins."""
    from samverkan.directory.models import Unit
    from samverkan.directory.roles import Role

    ids = [str(c.get("healthCareUnitHsaId", "")) for c in identity.commissions]
    units = Unit.objects.filter(hsa_id__in=ids, active=True)
    return [
        {
            "unit": u,
            "admins": [
                m.user.get_full_name() or m.user.username
                for m in u.memberships.filter(role=Role.UNIT_ADMIN).select_related("user")
            ],
        }
        for u in units
    ]


def complete(request, user, identity: Identity, choice: dict, choices: list[dict]) -> None:
    """Log in with the chosen assignment; the session may switch only between matched ones."""
    login(request, user, backend=BACKEND)
    request.session[SESSION_KEY] = choice["membership"]
    request.session[LOGIN] = {
        **identity.audit(),
        "memberships": [c["membership"] for c in choices],
        "id_token": identity.id_token,
    }
    membership = Membership.objects.select_related("unit").get(public_id=choice["membership"])
    actor = Actor(user=user, membership=membership, ip=client_ip(request))
    detail = {**identity.audit(), "commission_hsa_id": choice["commission"]}
    record(actor, "login.success", detail={**detail, "unit_hsa_id": membership.unit.hsa_id})


def step_up(request, identity: Identity) -> None:
    """A fresh authentication of the same person, after the step-up was asked for."""
    pending = request.session.get(PENDING) or {}
    info = request.session.get(LOGIN) or {}
    same = request.user.is_authenticated and info.get("employee_hsa_id") == identity.hsa_id
    if not same or identity.auth_time < pending.get("started", 0) - 5:
        raise Refused("step_up", auth_time=identity.auth_time)
    request.session[AUTH_AT] = int(time.time())
    request.session[LOGIN] = {**info, "id_token": identity.id_token}
    record(request.actor, "login.step_up", detail=identity.audit())


def refuse(request, refused: Refused, identity: Identity | None = None) -> None:
    detail = {"reason": refused.reason, **refused.detail}
    if identity is not None:
        detail.update(identity.audit(), username=identity.hsa_id)
    record(None, "login.refused", ip=client_ip(request), detail=detail)
