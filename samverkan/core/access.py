"""The shared end of every access chokepoint: not visible → 404; role lacking → 403; a read is
audited here, a write by its service."""

from django.http import Http404

from samverkan.audit.log import record


def fetch(actor, visible, public_id, *, write: bool, read_action: str, missing: str):
    """One object from the actor's visible queryset (with a `patient`, or a person itself),
    checked and audited."""
    found = visible.filter(public_id=public_id).first()
    if found is None:
        raise Http404(missing)
    actor.require("write_personal" if write else "read_personal")
    actor.require_fresh()  # after 404 and the role, like any other permission
    if not write:
        record(actor, read_action, patient=getattr(found, "patient", found), obj=found)
    return found
