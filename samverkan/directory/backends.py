"""The session's user and their memberships in one query: every page needs both."""

from django.contrib.auth.backends import ModelBackend

from .models import Membership


class MembershipBackend(ModelBackend):
    """ModelBackend that loads the user through their memberships (units and principals)."""

    def get_user(self, user_id):
        found = Membership.objects.filter(user_id=user_id).select_related("user", "unit__principal")
        loaded = list(found.order_by("created_at"))
        if not loaded:  # no unit (an administrator): the plain look-up
            return super().get_user(user_id)
        user = loaded[0].user
        for membership in loaded:
            membership.user = user
        user.loaded_memberships = loaded
        return user if self.user_can_authenticate(user) else None


def memberships_of(user) -> list[Membership]:
    """The user's memberships, oldest first: those loaded with the user, else one query."""
    loaded = getattr(user, "loaded_memberships", None)
    if loaded is not None:
        return list(loaded)
    return list(user.memberships.select_related("unit__principal").order_by("created_at"))
