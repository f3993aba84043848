"""The one way code reaches a follow-up call: a calling unit of the rule that takes part in
the case (through the case chokepoint). Others get 404, read-only roles 403 on writes."""

from django.db.models import Case, QuerySet, Value, When

from samverkan.cases.access import visible_cases
from samverkan.core.access import fetch

from .models import FollowUpCall


def visible_calls(actor) -> QuerySet[FollowUpCall]:
    """Calls of cases the actor's unit takes part in, where the rule names it as a caller."""
    return FollowUpCall.objects.filter(
        case__in=visible_cases(actor), rule__callers=actor.unit
    ).distinct()


def get_call_for_actor(actor, public_id, *, write: bool = False) -> FollowUpCall:
    """Fetch a call for reading (audited here) or writing (the service audits the write)."""
    visible = visible_calls(actor).select_related("case__patient", "rule__municipality")
    missing = "Samtalet finns inte eller din enhet ringer inte för det."
    return fetch(
        actor, visible, public_id, write=write, read_action="followup_call.read", missing=missing
    )


def calls_of(actor) -> QuerySet[FollowUpCall]:
    """The unit's calls, open ones first (the nearest end of the window first), then the
    finished, newest first."""
    is_open = Case(When(state=FollowUpCall.State.OPEN, then=Value(0)), default=Value(1))
    found = visible_calls(actor).select_related("case__patient", "rule__municipality")
    return found.annotate(done=is_open).order_by("done", "due_to", "-completed_at", "id")
