"""The shared end of every access chokepoint: not visible → 404, and the attempt is audited;
role lacking → 403; a read is audited here, a write by its service."""

from django.core.exceptions import ValidationError
from django.http import Http404

from samverkan.audit.log import record

REFUSED = "access.refused"


def fetch(actor, visible, public_id, *, write: bool, read_action: str, missing: str):
    """One object from the actor's visible queryset (with a `patient`, or a person itself),
    checked and audited."""
    found = visible.filter(public_id=public_id).first()
    if found is None:
        refused(actor, visible.model, public_id, read_action)
        raise Http404(missing)
    actor.require("write_personal" if write else "read_personal")
    actor.require_fresh()  # after 404 and the role, like any other permission
    if not write:
        record(actor, read_action, patient=_person(found), obj=found)
    return found


def refused(actor, model, public_id, page: str, **who) -> None:
    """Audit an attempted read that got 404, naming the person behind the id when there is one
    (an outsider who knows a real id has tried to read that person's data)."""
    try:
        target = model.objects.filter(public_id=public_id).first() if public_id else None
    except ValidationError:  # not an id at all
        target = None
    detail = {"status": 404, "page": page, "id": str(public_id or "")[:64]}
    record(actor, REFUSED, patient=target and _person(target), detail=detail, **who)


def _person(found):
    return getattr(found, "patient", found)
