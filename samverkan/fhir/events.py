"""The LOS events a record system sends, each one call of the existing service
(samverkan.cases.services): the rules stay there, this module only reads the message."""

from samverkan.accounts.models import HsaIdentity
from samverkan.cases import services
from samverkan.cases.access import visible_cases
from samverkan.cases.models import Case
from samverkan.cases.models import Message as CaseMessage
from samverkan.directory.actor import Actor
from samverkan.directory.roles import Role
from samverkan.patients import services as patients
from samverkan.patients.access import visible_patients

from . import profile as p
from .message import Message, Resource, day, identifier_hsa, identity_number
from .outcome import Waiting, refuse

INTERRUPTIONS = {"death": "died", "transfer": "transferred"}
NOT_YET = "Vårdtiden som meddelandet gäller har inte kommit än (inskrivningen saknas)."


# --- who and which stay -------------------------------------------------------------------


def patient_of(actor, msg: Message):
    """The person the message is about, through the patients' access chokepoint."""
    resource = msg.one("Patient")
    number = identity_number(resource)
    patient = visible_patients(actor).filter(identity=number).first()
    if patient is None:  # no admission from this ward yet: the message waits for it
        raise Waiting(NOT_YET)
    return patient


def case_of(actor, msg: Message) -> Case:
    """The stay in progress at the sending ward, through the cases' access chokepoint."""
    patient = patient_of(actor, msg)
    case = (
        visible_cases(actor)
        .filter(patient=patient, ward=actor.unit)
        .exclude(state=Case.State.CLOSED)
        .order_by("-created_at")
        .first()
    )
    if case is None:
        raise Waiting(NOT_YET)
    return case


def physician(actor, msg: Message) -> Actor:
    """The Practitioner who judged: an employee HSA-id of a user who is physician in the ward."""
    practitioner = msg.one("Practitioner")
    hsa = identifier_hsa(practitioner)
    identity = HsaIdentity.objects.select_related("user").filter(hsa_id=hsa).first()
    membership = (
        identity
        and identity.user.memberships.filter(
            unit=actor.unit, role=Role.PHYSICIAN, user__is_active=True
        )
        .select_related("unit__principal", "user")
        .first()
    )
    if not membership:
        raise refuse(
            f"{practitioner.path}.identifier",
            "forbidden",
            "Bara en läkare på avdelningen kan förklara patienten utskrivningsklar.",
            403,
        )
    return Actor(user=membership.user, membership=membership, ip=actor.ip)


def expected_date(encounter: Resource, *, required: bool):
    value, path = encounter.extension(p.EXPECTED_DATE, "valueDate", required=required)
    return day(value, f"{path}.valueDate") if value is not None else None


def flag(encounter: Resource, url: str, *, required: bool):
    value, path = encounter.extension(url, "valueBoolean", required=required)
    if value is not None and not isinstance(value, bool):
        raise refuse(f"{path}.valueBoolean", "value", "Ange true eller false.")
    return value


# --- the events ---------------------------------------------------------------------------


def admission(actor, msg: Message) -> Case:
    """Opens the case; sends no admission notice (that follows the support judgement)."""
    resource, encounter = msg.one("Patient"), msg.one("Encounter")
    number = identity_number(resource)
    _identity, patient = patients.look_up_patient(actor, number)
    if patient is None:
        name = (resource.data.get("name") or [{}])[0]
        patient = patients.register_patient(
            actor,
            number,
            {
                "given_name": " ".join(name.get("given") or []),
                "family_name": name.get("family") or "",
            },
        )
    return services.open_case(
        actor,
        patient,
        admitted_at=msg.occurred_at,
        expected_discharge_date=expected_date(encounter, required=False),
        confirm_date=True,
    )


def _with_expected_date(service):
    """An event that carries the Encounter's expected date to a service (the notice, a change).
    A date whose clinical time is older than the one the case has does not replace it (it
    arrived late); the notice then carries the case's date."""

    def handle(actor, msg: Message) -> Case:
        case = case_of(actor, msg)
        date = expected_date(msg.one("Encounter"), required=True)
        if date_set_after(case, msg.occurred_at):
            if service is _changed_date:
                return case
            date = case.expected_discharge_date
        service(
            actor,
            case,
            expected_discharge_date=date,
            occurred_at=msg.occurred_at,
            confirm_date=True,
        )
        return case

    return handle


def date_set_after(case: Case, moment) -> bool:
    """Whether the case's expected date was set by an event later than `moment`."""
    kinds = (CaseMessage.Kind.EXPECTED_DATE, CaseMessage.Kind.ADMISSION_NOTICE)
    return case.messages.filter(kind__in=kinds, occurred_at__gt=moment).exists()


def _changed_date(actor, case, **kwargs):
    return services.update_expected_discharge(actor, case, by_record=True, **kwargs)


support_judgement = _with_expected_date(services.send_admission_notice)
expected_date_change = _with_expected_date(_changed_date)


def ready_for_discharge(actor, msg: Message) -> Case:
    case, encounter = case_of(actor, msg), msg.one("Encounter")
    services.declare_ready(
        physician(actor, msg),
        case,
        sip_needed=flag(encounter, p.SIP_NEEDED, required=True),
        sip_consent=flag(encounter, p.SIP_CONSENT, required=False),
        occurred_at=msg.occurred_at,
    )
    return case


def ready_retracted(actor, msg: Message) -> Case:
    case = case_of(actor, msg)
    reason, _path = msg.header.extension(p.REASON, "valueString")
    services.retract_ready(
        physician(actor, msg),
        case,
        reason=reason or "",
        by_record=True,
        occurred_at=msg.occurred_at,
    )
    return case


def discharge(actor, msg: Message) -> Case:
    case, encounter = case_of(actor, msg), msg.one("Encounter")
    services.discharge(
        actor,
        case,
        destination=destination(encounter),
        checklist=checklist(encounter),
        occurred_at=msg.occurred_at,
    )
    return case


def destination(encounter: Resource) -> str:
    path = f"{encounter.path}.hospitalization.dischargeDisposition.coding"
    codings = ((encounter.data.get("hospitalization") or {}).get("dischargeDisposition") or {}).get(
        "coding"
    ) or []
    for coding in codings:
        if coding.get("system") == p.DESTINATION_SYSTEM:
            return coding.get("code") or ""
    raise refuse(path, "required", f"Ange vart patienten skrivs ut ({p.DESTINATION_SYSTEM}).")


def checklist(encounter: Resource) -> dict:
    """The discharge checklist: sub-extensions named by the checklist's keys."""
    subs, _path = encounter.extension(p.CHECKLIST, "extension", required=True)
    items = {}
    for sub in subs:
        values = [v for k, v in sub.items() if k.startswith("value")]
        items[sub.get("url")] = values[0] if values else None
    return items


def interruption(actor, msg: Message) -> Case:
    case = case_of(actor, msg)
    reason, _path = msg.header.extension(p.REASON, "valueString")
    services.interrupt(
        actor, case, reason=INTERRUPTIONS[msg.event], text=reason or "", occurred_at=msg.occurred_at
    )
    return case


def leave(actor, msg: Message) -> Case:
    case = case_of(actor, msg)
    reason, _path = msg.header.extension(p.REASON, "valueString")
    services.start_leave(actor, case, text=reason or "", occurred_at=msg.occurred_at)
    return case


def leave_return(actor, msg: Message) -> Case:
    case = case_of(actor, msg)
    services.end_leave(actor, case, occurred_at=msg.occurred_at)
    return case
