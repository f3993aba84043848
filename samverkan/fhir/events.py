"""The LOS events a record system sends, each one call of the existing service
(samverkan.cases.services): the rules stay there, this module only reads the message."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from samverkan.accounts.models import HsaIdentity
from samverkan.cases import services
from samverkan.cases.access import visible_cases
from samverkan.cases.models import Case
from samverkan.directory.actor import Actor
from samverkan.directory.roles import Role
from samverkan.patients import services as patients
from samverkan.patients.access import visible_patients

from . import profile as p
from .message import Message, Resource, day, identifier_hsa, identity_number
from .outcome import MessageError, refuse

INTERRUPTIONS = {"death": "died", "transfer": "transferred"}


def apply(actor, msg: Message) -> Case:
    """Run the message's event; a service's refusal becomes issues at the message's elements."""
    handler = HANDLERS.get(msg.event)
    if handler is None:
        raise refuse(
            f"{msg.header.path}.eventCoding.code", "not-supported", f"Okänd händelse: {msg.event}."
        )
    try:
        return handler(actor, msg)
    except ValidationError as error:
        raise MessageError(issues(msg, error)) from None
    except PermissionDenied as error:
        raise refuse(f"{msg.header.path}.author", "forbidden", str(error), 403) from None


def issues(msg: Message, error: ValidationError) -> list:
    by_field = (
        error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    )
    return [
        (element_of(msg, field), "business-rule", text)
        for field, errors in by_field.items()
        for text in ValidationError(errors).messages
    ]


def element_of(msg: Message, field: str) -> str:
    """Where a service's field lives in the message."""
    encounter = msg.one("Encounter", required=False)
    where = encounter.path if encounter else msg.header.path
    root = field.split(".")[0]
    paths = {
        "expected_discharge_date": f"{where}.extension('{p.EXPECTED_DATE}')",
        "sip_consent": f"{where}.extension('{p.SIP_CONSENT}')",
        "destination": f"{where}.hospitalization.dischargeDisposition",
        "checklist": f"{where}.extension('{p.CHECKLIST}')",
        "identity": "Bundle.entry.resource.ofType(Patient).identifier",
    }
    default = f"{msg.header.path}.extension('{p.EVENT_TIME}')"
    if root in ("occurred_at", "admitted_at", "support_judged_at"):
        return default
    return paths.get(root, f"{msg.header.path}.eventCoding")


# --- who and which stay -------------------------------------------------------------------


def patient_of(actor, msg: Message):
    """The person the message is about, through the patients' access chokepoint."""
    resource = msg.one("Patient")
    number = identity_number(resource)
    patient = visible_patients(actor).filter(identity=number).first()
    if patient is None:
        raise refuse(
            f"{resource.path}.identifier",
            "not-found",
            "Enheten har ingen vårdrelation till personen.",
        )
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
        raise refuse(
            msg.one("Encounter").path,
            "not-found",
            "Ingen pågående vårdtid för personen på enheten.",
        )
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
    """An event that carries the Encounter's expected date to a service (the notice, a change)."""

    def handle(actor, msg: Message) -> Case:
        case = case_of(actor, msg)
        service(
            actor,
            case,
            expected_discharge_date=expected_date(msg.one("Encounter"), required=True),
            occurred_at=msg.occurred_at,
            confirm_date=True,
        )
        return case

    return handle


support_judgement = _with_expected_date(services.send_admission_notice)
expected_date_change = _with_expected_date(services.update_expected_discharge)


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
        physician(actor, msg), case, reason=reason or "", occurred_at=msg.occurred_at
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


HANDLERS = {
    "admission": admission,
    "support-judgement": support_judgement,
    "expected-date-change": expected_date_change,
    "ready-for-discharge": ready_for_discharge,
    "ready-retracted": ready_retracted,
    "leave": leave,
    "return": leave_return,
    "discharge": discharge,
    "death": interruption,
    "transfer": interruption,
}
