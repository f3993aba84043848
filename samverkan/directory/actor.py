"""The actor: a user acting in one unit with one role, from one address."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .models import Membership
from .roles import CAPABILITIES, Role, role_can


class StepUpRequired(Exception):
    """The view asks for a fresh authentication (STEP_UP_VIEWS)."""


@dataclass(frozen=True)
class Actor:
    """Who does something: every service and access check takes one."""

    user: object
    membership: Membership
    ip: str = ""
    step_up: bool = False  # this request needs a fresh login once access is shown

    def require_fresh(self) -> None:
        """After the chokepoint found the object: a stale login steps up (accounts.sessions)."""
        if self.step_up:
            raise StepUpRequired()

    @property
    def unit(self):
        return self.membership.unit

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def caps(self) -> dict[str, bool]:
        """Capabilities by name, for templates: {% if actor.caps.write_personal %}."""
        return {c: role_can(self.role, c) for c in CAPABILITIES}

    def can(self, capability: str) -> bool:
        return role_can(self.role, capability)

    def require(self, capability: str) -> None:
        if not self.can(capability):
            raise PermissionDenied(f"Rollen {self.membership.get_role_display()} får inte detta.")


def is_sysadmin(user) -> bool:
    """A system admin in any unit manages the directory (also in Django admin)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.memberships.filter(role=Role.SYSADMIN).exists()
    )


def actor_required(capability: str | None = None):
    """View decorator: a logged-in user with an active unit (and the capability, if named)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.actor is None:
                raise PermissionDenied("Du är inte medlem i någon enhet.")
            if capability:
                request.actor.require(capability)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
