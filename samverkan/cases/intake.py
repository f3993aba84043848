"""The care request (vårdbegäran): municipal care tells the hospital about a patient sent in."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.core.errors import invalid
from samverkan.directory.models import Unit
from samverkan.patients.services import find_or_register

from . import messaging
from .clock import occurred
from .models import Case, Message, Participant
from .services import default_recipients, lock, new_case, require_state, save

REQUEST_FIELDS = {
    "health_status": "Aktuellt hälsotillstånd",
    "adl": "ADL-status",
    "medications": "Läkemedelslista",
    "assistive_devices": "Hjälpmedel",
    "ongoing_support": "Pågående insatser",
    "contact": "Kontaktuppgifter",
}
RECEIVING_KINDS = {"emergency", "ward_somatic", "ward_psychiatric"}


def _stay_in_progress(patient) -> Case | None:
    """The stay a request belongs to: one still in hospital (a discharged case belongs to the
    previous stay and is left for the ward or the system to close)."""
    return (
        Case.objects.select_for_update().filter(patient=patient, state__in=Case.IN_PROGRESS).first()
    )


def _takes_part_legitimately(case: Case, unit: Unit) -> bool:
    """A unit joins a stay it did not start only as the routing names it (the person's
    municipality), or when it already takes part: a request is not a way in. A unit removed
    from the stay (by the ward, or by rejecting the notice) comes back only by the ward's act."""
    mine = case.participants.filter(unit=unit)
    if mine.filter(active=True).exists():
        return True
    return not mine.filter(removed_at__isnull=False).exists() and unit in default_recipients(case)


def _content(data: dict) -> dict:
    clean = {k: str((data or {}).get(k) or "").strip() for k in REQUEST_FIELDS}
    for key in ("health_status", "contact"):
        if not clean[key]:
            raise invalid(key, "required", f"{REQUEST_FIELDS[key]} måste anges.")
    return clean


@transaction.atomic
def send_care_request(
    actor,
    *,
    identity: str,
    hospital_unit: Unit,
    data: dict,
    consent: bool,
    given_name: str = "",
    family_name: str = "",
    occurred_at=None,
    now=None,
) -> tuple[Message, bool]:
    """Send the request to the ED or ward: it opens a case for a new stay or reaches the stay in
    progress. Returns the message and whether the sending unit takes part in the case (it sees
    the case only then; otherwise the ward adds it, or answers, which adds it)."""
    actor.require("write_personal")
    if actor.unit.principal.kind != "municipality":
        raise PermissionDenied("Vårdbegäran skickas av kommunens enheter.")
    if hospital_unit.kind not in RECEIVING_KINDS or not hospital_unit.active:
        raise invalid("hospital_unit", "kind", "Välj en akutmottagning eller vårdavdelning.")
    if consent is not True:
        raise invalid("consent", "required", "Patientens samtycke krävs för vårdbegäran.")
    content = _content(data)
    when = occurred(occurred_at, now or timezone.now())
    patient, reachable = find_or_register(actor, identity, given_name, family_name)
    case = _stay_in_progress(patient)
    if case is None:
        case = new_case(patient=patient, ward=hospital_unit, state=Case.State.REQUESTED)
        messaging.join(case, hospital_unit, Participant.Role.RESPONSIBLE)
        joins = reachable
    else:
        joins = _takes_part_legitimately(case, actor.unit)
    if joins:
        messaging.join(case, actor.unit, Participant.Role.REQUESTER)
    message = messaging.send(
        actor,
        case,
        Message.Kind.CARE_REQUEST,
        when,
        recipients=[case.ward],
        data={**content, "consent": True},
    )
    record(actor, "case.care_request", patient=patient, obj=case, detail={"takes_part": joins})
    return message, joins


@transaction.atomic
def answer_care_request(
    actor, case: Case, care_request: Message, *, text: str, version=None, now=None
) -> Message:
    """The emergency department or ward answers the care request."""
    actor.require("write_personal")
    case = lock(case, version)
    if (
        actor.unit.pk != case.ward_id
        and not case.participants.filter(
            unit=actor.unit,
            role__in=["responsible", "other"],
            active=True,
            unit__kind__in=RECEIVING_KINDS,
        ).exists()
    ):
        raise PermissionDenied("Vårdbegäran besvaras av akutmottagningen eller avdelningen.")
    require_state(case, Case.State.REQUESTED, Case.State.ADMITTED, Case.State.READY)
    if care_request.case_id != case.pk or care_request.kind != Message.Kind.CARE_REQUEST:
        raise invalid("request", "invalid", "Det finns ingen sådan vårdbegäran i ärendet.")
    if not text.strip():
        raise invalid("text", "required", "Skriv ett svar.")
    requester = care_request.sender_unit
    joined = not case.participants.filter(unit=requester, active=True).exists()
    if joined:  # the ward's answer brings the requesting unit into the stay
        messaging.join(case, requester, Participant.Role.REQUESTER)
    reply = messaging.reply(
        actor, care_request, Message.Kind.CARE_REQUEST_ANSWER, text.strip(), now or timezone.now()
    )
    save(actor, case, "case.care_request_answer", [], {"unit_added": joined and requester.hsa_id})
    return reply
