"""Bearer-token authentication: the token's membership becomes the request's actor."""

from ninja.security import HttpBearer

from samverkan.directory.actor import Actor
from samverkan.directory.middleware import client_ip

from .models import ApiToken, digest


def actor_for(request) -> Actor | None:
    """The actor of a request's bearer token (also for an idempotent replay), or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return TokenAuth().authenticate(request, token)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("membership__unit__principal", "membership__user")
            .filter(
                key_hash=digest(token), revoked_at__isnull=True, membership__user__is_active=True
            )
            .first()
        )
        if found is None:
            return None
        request.actor = Actor(
            user=found.membership.user, membership=found.membership, ip=client_ip(request)
        )
        return request.actor
