"""The care request (vårdbegäran): municipal care tells the hospital about a patient sent in."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.core.errors import invalid
from samverkan.directory.models import Unit
from samverkan.patients.models import Patient
from samverkan.patients.services import parse_identity_field

from . import messaging
from .clock import occurred
from .models import Case, Message, Participant
from .services import close_for_readmission, lock, new_case, require_state, save

REQUEST_FIELDS = {
    "health_status": "Aktuellt hälsotillstånd",
    "adl": "ADL-status",
    "medications": "Läkemedelslista",
    "assistive_devices": "Hjälpmedel",
    "ongoing_support": "Pågående insatser",
    "contact": "Kontaktuppgifter",
}
RECEIVING_KINDS = {"emergency", "ward_somatic", "ward_psychiatric"}


def _patient(actor, identity_text: str, given_name: str, family_name: str) -> Patient:
    identity = parse_identity_field(identity_text)
    patient = Patient.objects.filter(identity=identity.number).first()
    if patient:
        return patient
    if not given_name.strip() or not family_name.strip():
        raise invalid(
            "given_name", "required", "Personen är ny i systemet: ange för- och efternamn."
        )
    municipality = actor.unit.principal if actor.unit.principal.kind == "municipality" else None
    patient = Patient.objects.create(
        identity=identity.number,
        identity_kind=identity.kind,
        birth_date=identity.birth_date,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        registered_municipality=municipality,
    )
    record(actor, "patient.create", patient=patient, obj=patient)
    return patient


def _ongoing_stay(actor, patient, when) -> Case | None:
    """The stay the request belongs to: one still in hospital. A discharged case that is not
    yet closed belongs to the previous stay and closes now (readmission)."""
    case = (
        Case.objects.select_for_update()
        .filter(patient=patient)
        .exclude(state=Case.State.CLOSED)
        .first()
    )
    if case is not None and case.state == Case.State.DISCHARGED:
        close_for_readmission(case, when)
        return None
    return case


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
) -> Message:
    """Opens a case for the stay, or joins the patient's open case."""
    actor.require("write_personal")
    if actor.unit.principal.kind != "municipality":
        raise PermissionDenied("Vårdbegäran skickas av kommunens enheter.")
    if hospital_unit.kind not in RECEIVING_KINDS or not hospital_unit.active:
        raise invalid("hospital_unit", "kind", "Välj en akutmottagning eller vårdavdelning.")
    if consent is not True:
        raise invalid("consent", "required", "Patientens samtycke krävs för vårdbegäran.")
    content = _content(data)
    when = occurred(occurred_at, now or timezone.now())
    patient = _patient(actor, identity, given_name, family_name)
    case = _ongoing_stay(actor, patient, when)
    if case is None:
        case = new_case(patient=patient, ward=hospital_unit, state=Case.State.REQUESTED)
        messaging.join(case, hospital_unit, Participant.Role.RESPONSIBLE)
    messaging.join(case, actor.unit, Participant.Role.REQUESTER)
    message = messaging.send(
        actor,
        case,
        Message.Kind.CARE_REQUEST,
        when,
        recipients=[case.ward],
        data={**content, "consent": True},
    )
    record(actor, "case.care_request", patient=patient, obj=case)
    return message


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
    reply = messaging.reply(
        actor, care_request, Message.Kind.CARE_REQUEST_ANSWER, text.strip(), now or timezone.now()
    )
    save(actor, case, "case.care_request_answer", [])
    return reply
