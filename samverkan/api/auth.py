"""Bearer-token authentication: the token's membership becomes the request's actor."""

from ninja.security import HttpBearer

from samverkan.directory.actor import Actor
from samverkan.directory.middleware import client_ip

from .models import ApiToken, digest


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
