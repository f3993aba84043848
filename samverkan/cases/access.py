"""The one way code reaches a case: outsiders get 404, read-only roles 403 on writes."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from samverkan.audit.log import record

from .models import Case


def visible_cases(actor) -> QuerySet[Case]:
    """Cases the actor's unit takes part in (or took part in until the case closed)."""
    return Case.objects.filter(participants__unit=actor.unit, participants__removed_at__isnull=True)


def get_case_for_actor(actor, public_id, *, write: bool = False) -> Case:
    """Fetch a case for reading (audited here) or writing (the service audits the write)."""
    case = (
        visible_cases(actor)
        .select_related("patient", "ward", "care_contact_unit")
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404("Ärendet finns inte eller din enhet deltar inte i det.")
    actor.require("write_personal" if write else "read_personal")
    if not write:
        record(actor, "case.read", patient=case.patient, obj=case)
    return case


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
