"""The one way code reaches a case: outsiders get 404, read-only roles 403 on writes."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from samverkan.audit.log import record
from samverkan.core.access import fetch

from .models import Case


def visible_cases(actor) -> QuerySet[Case]:
    """Cases the actor's unit takes part in (or took part in until the case closed)."""
    return Case.objects.filter(participants__unit=actor.unit, participants__removed_at__isnull=True)


def get_case_for_actor(actor, public_id, *, write: bool = False) -> Case:
    """Fetch a case for reading (audited here) or writing (the service audits the write)."""
    visible = visible_cases(actor).select_related("patient", "ward", "care_contact_unit")
    missing = "Ärendet finns inte eller din enhet deltar inte i det."
    return fetch(actor, visible, public_id, write=write, read_action="case.read", missing=missing)


def require_responsible(actor, case: Case) -> None:
    if actor.unit.pk != case.ward_id:
        raise PermissionDenied("Bara den ansvariga vårdenheten kan göra detta.")


def attachment_response(actor, case: Case, attachment_id):
    """A case's file for a participant who may read the case; the read is audited."""
    from django.http import FileResponse
    from django.shortcuts import get_object_or_404

    found = get_object_or_404(case.attachments, public_id=attachment_id)
    record(actor, "case.attachment_read", patient=case.patient, obj=found)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
