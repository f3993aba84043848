"""Sets request.actor from the session's chosen unit; exposes it to templates."""

from .actor import Actor
from .backends import memberships_of
from .roles import read_only_role

SESSION_KEY = "active_membership"
LOGIN_KEY = "login"  # set by an identity-provider login (samverkan/accounts/oidc.py)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def resolve_actor(request) -> Actor | None:
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = _usable(memberships_of(user), request.session.get(LOGIN_KEY) or {})
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY)
    membership = next((m for m in memberships if str(m.public_id) == chosen), memberships[0])
    request.memberships = memberships
    return Actor(user=user, membership=membership, ip=client_ip(request))


def _usable(memberships, login: dict) -> list:
    """An identity-provider login acts only in the units its assignments matched; a read-only
    (lower trust level) login acts in each with its read-only role, in memory only."""
    if "memberships" in login:
        memberships = [m for m in memberships if str(m.public_id) in login["memberships"]]
    if login.get("read_only"):
        memberships = [m for m in memberships if read_only_role(m.role)]
        for m in memberships:
            m.role = read_only_role(m.role)
    return memberships


class ActorMiddleware:
    """Runs after authentication; every view reads request.actor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = []
        request.actor = resolve_actor(request)
        return self.get_response(request)


def actor_context(request):
    return {
        "actor": getattr(request, "actor", None),
        "memberships": getattr(request, "memberships", []),
    }
