"""The LOS steps as services: each takes the actor, checks role, unit and state, writes in one
transaction with the case row locked, sends its messages and audits itself."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.core.errors import conflict, invalid
from samverkan.directory.models import Unit
from samverkan.lib.limits import ADL_NOTE_MAX, CHECKLIST_TEXT_MAX
from samverkan.lib.phone import clean_phone
from samverkan.lib.uploads import ALLOWED_TYPES, checked_upload

from . import messaging
from . import record as record_fields
from .access import require_responsible
from .clock import check_expected_date, next_check_time, occurred
from .models import AdlStatus, Case, Message, Participant, ReadyPeriod

S = Case.State
K = Message.Kind
INTERRUPTION_REASONS = {
    "died": "Patienten har avlidit",
    "transferred": "Överflyttad till annat sjukhus eller annan region",
    "misdirected": "Felskickat",
    "declined": "Patienten avböjer insatser",
}


def require_state(case: Case, *states: str) -> None:
    if case.state not in states:
        allowed = ", ".join(S(s).label.lower() for s in states)
        raise invalid(
            None,
            "state",
            f"Det går inte när ärendet är {case.get_state_display().lower()} (kräver: {allowed}).",
        )


def lock(case: Case, version: int | None) -> Case:
    """Lock the case row; a version older than the stored one is a conflict."""
    fresh = (
        Case.objects.select_for_update(of=("self",))
        .select_related(
            "ward",
            "patient__registered_municipality__notice_unit__principal",
            "patient__listed_primary_care__principal",
        )
        .get(pk=case.pk)
    )
    if version is not None and version != fresh.version:
        raise conflict()
    return fresh


def ward_step(actor, case: Case, version, *states, capability: str = "write_personal") -> Case:
    """The common start of the responsible ward's steps: role, unit, locked row, state."""
    actor.require(capability)
    require_responsible(actor, case)
    case = lock(case, version)
    require_state(case, *states)
    return case


def save(actor, case: Case, action: str, fields: list[str], detail: dict | None = None) -> Case:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    record(actor, action, patient=case.patient, obj=case, detail=detail)
    return case


def _now(now):
    return now or timezone.now()


# --- opening -------------------------------------------------------------------------------


def new_case(**fields) -> Case:
    """Create a case; the database allows one stay in progress per person, even under races."""
    try:
        with transaction.atomic():
            return Case.objects.create(**fields)
    except IntegrityError:
        raise invalid(None, "state", "Personen har redan ett pågående vårdtillfälle.") from None


def close_previous_stay(actor, patient, when) -> None:
    """The ward's new admission closes the person's previous, already discharged case
    (a readmission), audited as the ward's act."""
    for case in Case.objects.select_for_update().filter(patient=patient, state=S.DISCHARGED):
        _close(case, actor.user, "Avslutat vid ny inskrivning", when)
        save(
            actor,
            case,
            "case.close",
            ["state", "closed_at", "closed_by", "close_reason"],
            {"reason": "readmission"},
        )


@transaction.atomic
def open_case(
    actor,
    patient,
    *,
    admitted_at=None,
    expected_discharge_date=None,
    support_judged_at=None,
    confirm_date=False,
    now=None,
) -> Case:
    """A ward opens the case for a stay when the patient is admitted."""
    actor.require("write_personal")
    if not actor.unit.looks_up_patients:
        raise PermissionDenied("Bara vårdavdelningar och akutmottagningar öppnar ärenden.")
    now = _now(now)
    admitted = occurred(admitted_at, now, field="admitted_at")
    judged = (
        occurred(support_judged_at, now, not_before=admitted, field="support_judged_at")
        if support_judged_at
        else None
    )
    check_expected_date(expected_discharge_date, admitted, now, confirm=confirm_date)
    close_previous_stay(actor, patient, admitted)
    fields = {
        "ward": actor.unit,
        "state": S.ADMITTED,
        "admitted_at": admitted,
        "support_judged_at": judged,
        "expected_discharge_date": expected_discharge_date,
    }
    requested = Case.objects.select_for_update().filter(patient=patient, state=S.REQUESTED)
    if requested.exists():  # a care request came first: the admission takes that stay over
        return _take_over(actor, requested.get(), fields)
    case = new_case(patient=patient, **fields)
    Participant.objects.create(case=case, unit=actor.unit, role=Participant.Role.RESPONSIBLE)
    record(actor, "case.open", patient=patient, obj=case)
    return case


def _take_over(actor, case: Case, fields: dict) -> Case:
    """The admitting unit becomes responsible for a stay a care request opened elsewhere."""
    for name, value in fields.items():
        setattr(case, name, value)
    case.participants.filter(role=Participant.Role.RESPONSIBLE).update(role=Participant.Role.OTHER)
    messaging.join(case, actor.unit, Participant.Role.RESPONSIBLE)
    case.participants.filter(unit=actor.unit).update(role=Participant.Role.RESPONSIBLE)
    detail = {"took_over_request": True}
    return save(actor, case, "case.open", list(fields), detail)


@transaction.atomic
def admit(
    actor, case: Case, *, ward: Unit | None = None, version=None, admitted_at=None, now=None
) -> Case:
    """The emergency department (or a ward) admits a patient whose case began with a care
    request to a ward, which becomes the responsible unit."""
    actor.require("write_personal")
    require_responsible(actor, case)
    ward = ward or actor.unit
    if not ward.is_ward or not ward.active:
        raise invalid("ward", "kind", "Välj den vårdavdelning patienten skrivs in på.")
    case = lock(case, version)
    require_state(case, S.REQUESTED)
    case.admitted_at = occurred(admitted_at, _now(now), field="admitted_at")
    close_previous_stay(actor, case.patient, case.admitted_at)
    case.state, case.ward = S.ADMITTED, ward
    Participant.objects.filter(case=case, role=Participant.Role.RESPONSIBLE).update(
        role=Participant.Role.OTHER
    )
    messaging.join(case, ward, Participant.Role.RESPONSIBLE)
    return save(actor, case, "case.admit", ["admitted_at", "state", "ward"], {"ward": ward.hsa_id})


# --- admission notice and routing ------------------------------------------------------------


def default_recipients(case: Case) -> list[Unit]:
    """The routing: the municipality's receiving unit and the listed primary care centre."""
    patient = case.patient
    units = [
        patient.registered_municipality.notice_unit if patient.registered_municipality else None,
        patient.listed_primary_care,
    ]
    return [u for u in units if u is not None and u.active]


def role_for(unit: Unit) -> str:
    if unit.principal.kind == "municipality":
        return Participant.Role.MUNICIPALITY
    if unit.kind == "primary_care":
        return Participant.Role.PRIMARY_CARE
    return Participant.Role.OTHER


@transaction.atomic
def send_admission_notice(
    actor,
    case: Case,
    *,
    expected_discharge_date,
    recipients=None,
    version=None,
    occurred_at=None,
    confirm_date=False,
    now=None,
    back_entry=False,
) -> Message:
    """Inskrivningsmeddelande to the routed units (editable), with the expected discharge date;
    the same notice phoned and back-entered is one event (same_event)."""
    case = ward_step(actor, case, version, S.ADMITTED, S.READY, S.DISCHARGED)
    now = _now(now)
    when = occurred(occurred_at, now, not_before=case.admitted_at)
    if case.notice_sent_at:
        same = same_event(actor, case, K.ADMISSION_NOTICE, when, back_entry=back_entry)
        if same:
            return same
        raise invalid(
            None,
            "state",
            "Inskrivningsmeddelandet är redan skickat; ändra beräknat utskrivningsdatum i stället.",
        )
    require_state(case, S.ADMITTED)
    check_expected_date(expected_discharge_date, case.admitted_at, now, confirm=confirm_date)
    units = default_recipients(case) if recipients is None else list(recipients)
    check_recipients(actor, units)
    messaging.join_many(case, [(unit, role_for(unit)) for unit in units])
    case.notice_sent_at, case.expected_discharge_date = when, expected_discharge_date
    message = messaging.send(
        actor,
        case,
        K.ADMISSION_NOTICE,
        when,
        recipients=units,
        data={
            "expected_discharge_date": expected_discharge_date.isoformat(),
            "late": when > case.notice_due_at(),
        },
    )
    save(
        actor,
        case,
        "case.admission_notice",
        ["notice_sent_at", "expected_discharge_date"],
        {"recipients": [u.hsa_id for u in units]},
    )
    return message


def check_recipients(actor, units) -> None:
    if not units:
        raise invalid(
            "recipients",
            "required",
            "Ange minst en mottagare: personen saknar "
            "folkbokföringskommun eller listning på vårdcentral.",
        )
    if any(u.pk == actor.unit.pk or not u.active for u in units):
        raise invalid("recipients", "invalid", "Mottagarna ska vara andra, aktiva enheter.")
    if len({u.pk for u in units}) < len(units):
        raise invalid("recipients", "duplicate", "Samma enhet är vald två gånger.")


@transaction.atomic
def add_participant(actor, case: Case, unit: Unit, *, version=None, now=None) -> Message:
    """The ward adds a unit, e.g. a dialysis clinic, so it can follow the case and join the SIP."""
    case = ward_step(actor, case, version, S.REQUESTED, S.ADMITTED, S.READY)
    if case.participants.filter(unit=unit, active=True).exists():
        raise invalid("unit", "exists", "Enheten deltar redan i ärendet.")
    messaging.join(case, unit, role_for(unit))
    message = messaging.send(
        actor, case, K.PARTICIPANT_ADDED, _now(now), text=unit.name, data={"unit": unit.hsa_id}
    )
    save(actor, case, "case.participant_add", [], {"unit": unit.hsa_id})
    return message


# --- during the stay -------------------------------------------------------------------------


def _participant_write(actor, case: Case, version) -> Case:
    actor.require("write_personal")
    case = lock(case, version)
    if not case.participants.filter(unit=actor.unit, active=True).exists():
        raise PermissionDenied("Din enhet deltar inte längre i ärendet.")
    return case


@transaction.atomic
def update_expected_discharge(
    actor,
    case: Case,
    *,
    expected_discharge_date,
    reason: str = "",
    by_record: bool = False,
    version=None,
    occurred_at=None,
    confirm_date=False,
    now=None,
) -> Message:
    """A changed expected date, told to everyone; a date from the record changed by hand needs
    a reason (cases.record)."""
    case = ward_step(actor, case, version, S.ADMITTED, S.READY)
    now = _now(now)
    when = occurred(occurred_at, now, not_before=case.admitted_at)
    check_expected_date(expected_discharge_date, case.admitted_at, now, confirm=confirm_date)
    override = record_fields.by_hand(case, ["expected_discharge_date"], reason, by_record)
    old = case.expected_discharge_date
    case.expected_discharge_date = expected_discharge_date
    dates = {"from": old.isoformat() if old else None, "to": expected_discharge_date.isoformat()}
    message = messaging.send(actor, case, K.EXPECTED_DATE, when, data={**dates, **override})
    fields = ["expected_discharge_date", "from_record"]
    save(actor, case, "case.expected_date", fields, override or None)
    return message


@transaction.atomic
def start_leave(actor, case: Case, *, text: str = "", version=None, occurred_at=None, now=None):
    """Permission: the patient leaves the ward for a while; the stay, its clocks and payment
    days go on (README, "Permission")."""
    case = ward_step(actor, case, version, S.ADMITTED, S.READY)
    if case.on_leave_since:
        raise invalid(None, "state", "Patienten är redan på permission.")
    case.on_leave_since = occurred(occurred_at, _now(now), not_before=case.admitted_at)
    message = messaging.send(actor, case, K.LEAVE, case.on_leave_since, text=text)
    save(actor, case, "case.leave", ["on_leave_since"])
    return message


@transaction.atomic
def end_leave(actor, case: Case, *, version=None, occurred_at=None, now=None) -> Message:
    """The patient is back on the ward after a permission."""
    case = ward_step(actor, case, version, S.ADMITTED, S.READY)
    if not case.on_leave_since:
        raise invalid(None, "state", "Patienten är inte på permission.")
    when = occurred(occurred_at, _now(now), not_before=case.on_leave_since)
    data = {"since": case.on_leave_since.isoformat()}
    case.on_leave_since = None
    message = messaging.send(actor, case, K.LEAVE_ENDED, when, data=data)
    save(actor, case, "case.leave_end", ["on_leave_since"], data)
    return message


@transaction.atomic
def name_care_contact(
    actor, case: Case, *, name: str, phone: str = "", version=None, now=None
) -> Message:
    """The primary care centre names the patient's fast vårdkontakt and a direct number."""
    case = _participant_write(actor, case, version)
    if actor.unit.kind != "primary_care":
        raise PermissionDenied("Fast vårdkontakt utses av vårdcentralen.")
    require_state(case, S.ADMITTED, S.READY, S.DISCHARGED)
    if not name.strip():
        raise invalid("name", "required", "Ange den fasta vårdkontaktens namn.")
    case.care_contact_phone = clean_phone(phone, "phone")
    case.care_contact_name, case.care_contact_unit = name.strip(), actor.unit
    message = messaging.send(
        actor,
        case,
        K.CARE_CONTACT,
        _now(now),
        text=case.care_contact_name,
        data={"phone": case.care_contact_phone},
    )
    fields = ["care_contact_name", "care_contact_phone", "care_contact_unit"]
    save(actor, case, "case.care_contact", fields)
    return message


def validate_adl(items: dict) -> dict:
    """ADL items as the ward records them: known items, known levels, a note of at most
    ADL_NOTE_MAX characters; an item given as None is left as it was."""
    if not isinstance(items, dict):
        raise invalid("items", "type", "Ange ADL-aktiviteterna som ett objekt.")
    clean = {k: _adl_item(k, v) for k, v in items.items() if v is not None}
    if not clean:
        raise invalid("items", "required", "Ange minst en ADL-aktivitet.")
    return clean


def _adl_item(key, value) -> dict:
    field = f"items.{key}"
    if key not in AdlStatus.ITEMS:
        raise invalid(field, "unknown", f"Okänd ADL-aktivitet: {key}.")
    value = value if isinstance(value, dict) else {}
    level, note = value.get("level"), value.get("note") or ""
    if level not in AdlStatus.LEVELS:
        raise invalid(
            f"{field}.level",
            "choice",
            f"{AdlStatus.ITEMS[key]}: ange nivå (oberoende, delvis beroende eller beroende).",
        )
    if set(value) - {"level", "note"} or not isinstance(note, str):
        raise invalid(field, "type", "Ange bara nivå (level) och anteckning (note) som text.")
    if len(note) > ADL_NOTE_MAX:
        raise invalid(f"{field}.note", "max_length", f"Högst {ADL_NOTE_MAX} tecken.")
    return {"level": level, "note": note}


@transaction.atomic
def record_adl(
    actor, case: Case, *, items: dict, version=None, occurred_at=None, now=None
) -> AdlStatus:
    """The ward records the ADL status whenever it changes; every change is notified."""
    case = ward_step(actor, case, version, S.ADMITTED, S.READY)
    items = validate_adl(items)
    when = occurred(occurred_at, _now(now), not_before=case.admitted_at)
    previous = case.adl_statuses.order_by("-occurred_at", "-id").first()
    merged = {**(previous.items if previous else {}), **items}
    changed = sorted(k for k, v in merged.items() if not previous or previous.items.get(k) != v)
    status = AdlStatus.objects.create(
        case=case, items=merged, occurred_at=when, recorded_by=actor.user
    )
    messaging.send(actor, case, K.ADL, when, data={"changed": changed, "items": merged})
    save(actor, case, "case.adl", [], {"changed": changed})
    return status


@transaction.atomic
def add_planned_support(actor, case: Case, *, text: str, version=None, now=None) -> Message:
    """The municipality tells what support it plans after discharge."""
    case = _participant_write(actor, case, version)
    if actor.unit.principal.kind != "municipality":
        raise PermissionDenied("Planerade insatser anges av kommunen.")
    require_state(case, S.ADMITTED, S.READY)
    if not text.strip():
        raise invalid("text", "required", "Beskriv de planerade insatserna.")
    message = messaging.send(actor, case, K.PLANNED_SUPPORT, _now(now), text=text.strip())
    save(actor, case, "case.planned_support", [])
    return message


@transaction.atomic
def ask(actor, case: Case, *, text: str, version=None, now=None) -> Message:
    """A general question inside the case to the other participants."""
    case = _participant_write(actor, case, version)
    require_state(case, S.REQUESTED, S.ADMITTED, S.READY, S.DISCHARGED)
    if not text.strip():
        raise invalid("text", "required", "Skriv en fråga.")
    message = messaging.send(actor, case, K.QUESTION, _now(now), text=text.strip())
    save(actor, case, "case.question", [])
    return message


@transaction.atomic
def answer(actor, case: Case, question: Message, *, text: str, version=None, now=None) -> Message:
    case = _participant_write(actor, case, version)
    if question.case_id != case.pk or question.kind != K.QUESTION:
        raise invalid("question", "invalid", "Det finns ingen sådan fråga i ärendet.")
    if not text.strip():
        raise invalid("text", "required", "Skriv ett svar.")
    reply = messaging.reply(actor, question, K.ANSWER, text.strip(), _now(now))
    save(actor, case, "case.answer", [])
    return reply


# --- ready for discharge ---------------------------------------------------------------------


@transaction.atomic
def declare_ready(
    actor,
    case: Case,
    *,
    sip_needed: bool,
    sip_consent: bool | None = None,
    version=None,
    occurred_at=None,
    now=None,
    back_entry=False,
) -> Message:
    """Only a physician of the responsible ward judges the patient ready for discharge; the
    same notice phoned and back-entered is one event (same_event)."""
    case = ward_step(actor, case, version, S.ADMITTED, S.READY, capability="declare_ready")
    if case.state == S.READY:
        when = occurred(occurred_at, _now(now), not_before=case.notice_sent_at)
        same = same_event(actor, case, K.READY, when, back_entry=back_entry)
        if same:
            return same
    require_state(case, S.ADMITTED)
    if not case.notice_sent_at:
        raise invalid(
            None,
            "state",
            "Skicka inskrivningsmeddelandet innan patienten förklaras utskrivningsklar.",
        )
    if sip_needed and sip_consent is None:
        raise invalid("sip_consent", "required", "Ange om patienten samtycker till SIP.")
    when = occurred(occurred_at, _now(now), not_before=case.notice_sent_at)
    ReadyPeriod.objects.create(case=case, declared_at=when, declared_by=actor.user)
    case.state, case.ready_at = S.READY, when
    case.sip_needed, case.sip_consent = sip_needed, sip_consent
    message = messaging.send(
        actor, case, K.READY, when, data={"sip_needed": sip_needed, "sip_consent": sip_consent}
    )
    save(actor, case, "case.ready", ["state", "ready_at", "sip_needed", "sip_consent"])
    return message


def same_event(actor, case: Case, kind: str, when, *, back_entry: bool) -> Message | None:
    """The one rule for a notice registered twice for a stay: a phoned notice back-entered and
    the record system's message (fhir.events) for the same stay are one event, kept at the
    earlier of the two times; the second registration returns the first. None when both or
    neither are back-entered: then a repeat is refused as before."""
    current = case.messages.filter(kind=kind).order_by("-occurred_at", "-id").first()
    if current is None or current.back_entries.exists() == back_entry:
        return None
    if when < current.occurred_at:
        _retime(case, current, when)
    save(actor, case, AUDITED[kind], CLOCK_OF[kind], {"same_event": str(current.public_id)})
    return current


AUDITED = {K.ADMISSION_NOTICE: "case.admission_notice", K.READY: "case.ready"}
CLOCK_OF = {K.ADMISSION_NOTICE: ["notice_sent_at"], K.READY: ["ready_at"]}


def _retime(case: Case, message: Message, when) -> None:
    """The same event known earlier: its message, deliveries and the case's clock move."""
    message.occurred_at = when
    if message.kind == K.ADMISSION_NOTICE:
        case.notice_sent_at = when
        message.data["late"] = when > case.notice_due_at()
    else:
        case.ready_at = when
        case.ready_periods.filter(ended_at__isnull=True).update(declared_at=when)
    message.save(update_fields=["occurred_at", "data"])
    message.deliveries.update(sent_at=when, ack_due_at=next_check_time(when))


def _end_ready(case: Case, when, reason: str) -> None:
    case.ready_periods.filter(ended_at__isnull=True).update(ended_at=when, end_reason=reason)


@transaction.atomic
def retract_ready(
    actor,
    case: Case,
    *,
    reason: str = "",
    by_record: bool = False,
    version=None,
    occurred_at=None,
    now=None,
) -> Message:
    """The patient is no longer ready: the clock stops and everyone is told at once. A ready
    notice from the record retracted by hand needs a reason (cases.record)."""
    case = ward_step(actor, case, version, S.READY, capability="declare_ready")
    when = occurred(occurred_at, _now(now), not_before=case.ready_at)
    override = record_fields.by_hand(case, ["ready_at"], reason, by_record)
    _end_ready(case, when, "retracted")
    case.state, case.ready_at = S.ADMITTED, None
    message = messaging.send(actor, case, K.READY_RETRACTED, when, text=reason, data=override)
    fields = ["state", "ready_at", "from_record"]
    save(actor, case, "case.ready_retract", fields, override or None)
    return message


@transaction.atomic
def record_sip_called(actor, case: Case, *, version=None, occurred_at=None, now=None) -> Message:
    """The care contact has called the SIP meeting: the 3-day clock stops."""
    case = _participant_write(actor, case, version)
    require_state(case, S.READY, S.ADMITTED, S.DISCHARGED)
    if case.sip_called_at:
        raise invalid(None, "state", "Kallelse till SIP är redan registrerad.")
    case.sip_called_at = occurred(occurred_at, _now(now), not_before=case.admitted_at)
    message = messaging.send(actor, case, K.SIP_CALLED, case.sip_called_at)
    save(actor, case, "case.sip_called", ["sip_called_at"])
    return message


# --- discharge, interruption, closing --------------------------------------------------------

CHECKLIST = {
    "medication_list": "Läkemedelslista",
    "medicines_three_days": "Läkemedel för minst tre dagar",
    "assistive_devices": "Hjälpmedel",
    "care_report": "Omvårdnadsepikris/utskrivningsinformation",
    "transport": "Transport hem",
}
CHECKLIST_FLAGS = ("medication_list", "medicines_three_days")  # yes or no; the others are texts


def validate_checklist(checklist: dict) -> dict:
    """The discharge checklist: its known items only, flags true or false, the others texts of
    at most CHECKLIST_TEXT_MAX characters; the medication list and the report must be there."""
    if not isinstance(checklist, dict):
        raise invalid("checklist", "type", "Ange checklistan som ett objekt.")
    unknown = set(checklist) - set(CHECKLIST)
    if unknown:
        raise invalid(
            f"checklist.{min(unknown)}", "unknown", f"Okänd punkt: {', '.join(sorted(unknown))}."
        )
    clean = {k: _checklist_value(k, checklist.get(k)) for k in CHECKLIST}
    if not clean["medication_list"] or not clean["care_report"].strip():
        raise invalid(
            "checklist",
            "required",
            "Läkemedelslista och utskrivningsinformation måste följa med vid utskrivning.",
        )
    return clean


def _checklist_value(key: str, value):
    field = f"checklist.{key}"
    if key in CHECKLIST_FLAGS:
        if value is None or isinstance(value, bool):
            return bool(value)
        raise invalid(field, "type", f"{CHECKLIST[key]}: ange true eller false.")
    if value is None or isinstance(value, str):
        if len(value or "") > CHECKLIST_TEXT_MAX:
            raise invalid(field, "max_length", f"Högst {CHECKLIST_TEXT_MAX} tecken.")
        return value or ""
    raise invalid(field, "type", f"{CHECKLIST[key]}: ange text.")


@transaction.atomic
def discharge(
    actor,
    case: Case,
    *,
    destination: str,
    checklist: dict,
    version=None,
    occurred_at=None,
    now=None,
    informed_at=None,
) -> Message:
    """The patient leaves; the discharge information reaches everyone, at the latest today
    (`informed_at`: given on paper then, back-entered after a downtime; default now)."""
    case = ward_step(actor, case, version, S.ADMITTED, S.READY)
    if destination not in Case.Destination.values:
        raise invalid("destination", "choice", "Välj vart patienten skrivs ut.")
    now = _now(now)
    when = occurred(occurred_at, now, not_before=case.ready_at or case.admitted_at)
    _end_ready(case, when, "discharged")
    case.state, case.discharged_at, case.destination = S.DISCHARGED, when, destination
    case.on_leave_since = None  # discharged during a permission
    case.checklist = validate_checklist(checklist)
    informed = informed_at or now
    late = timezone.localdate(informed) > timezone.localdate(when)
    message = messaging.send(
        actor,
        case,
        K.DISCHARGE,
        informed,
        data={"destination": destination, "checklist": case.checklist, "late": late},
    )
    fields = ["state", "discharged_at", "destination", "checklist", "on_leave_since"]
    save(actor, case, "case.discharge", fields)
    return message


def _close(case: Case, user, reason: str, when) -> None:
    case.state, case.closed_at, case.closed_by, case.close_reason = S.CLOSED, when, user, reason
    case.participants.update(active=False)


@transaction.atomic
def interrupt(
    actor,
    case: Case,
    *,
    reason: str,
    unit: Unit | None = None,
    text: str = "",
    version=None,
    occurred_at=None,
    now=None,
) -> Message:
    """Avbrott: close the case (death, transfer, …) or remove one participant; tell everyone."""
    case = ward_step(actor, case, version, S.REQUESTED, S.ADMITTED, S.READY, S.DISCHARGED)
    if reason not in INTERRUPTION_REASONS:
        raise invalid(
            "reason",
            "choice",
            "Välj orsak: avliden, överflyttad, felskickat eller avböjer insatser.",
        )
    when = occurred(occurred_at, _now(now), not_before=case.admitted_at)
    data = {"reason": reason, "unit": unit.hsa_id if unit else None}
    message = messaging.send(actor, case, K.INTERRUPTION, when, text=text, data=data)
    if unit is None:
        _end_ready(case, when, "closed")
        _close(case, actor.user, INTERRUPTION_REASONS[reason], when)
        save(
            actor, case, "case.interrupt", ["state", "closed_at", "closed_by", "close_reason"], data
        )
    else:
        _remove(case, unit, INTERRUPTION_REASONS[reason], when)
        save(actor, case, "case.interrupt", [], data)
    return message


def _remove(case: Case, unit: Unit, reason: str, when) -> None:
    if unit.pk == case.ward_id:
        raise invalid(
            "unit",
            "responsible",
            "Den ansvariga vårdenheten kan inte tas bort; avsluta ärendet i stället.",
        )
    updated = case.participants.filter(unit=unit, active=True).update(
        active=False, removed_at=when, removed_reason=reason
    )
    if not updated:
        raise invalid("unit", "not_participant", "Enheten deltar inte i ärendet.")


def unacknowledged_discharge(case: Case) -> int:
    """Discharge information not yet acknowledged by a unit that still takes part."""
    active = case.participants.filter(active=True).values("unit_id")
    return (
        case.messages.filter(kind=K.DISCHARGE)
        .filter(deliveries__state__in=["sent", "read"], deliveries__unit__in=active)
        .count()
    )


@transaction.atomic
def close_case(actor, case: Case, *, version=None, now=None) -> Case:
    """The ward closes the case once every recipient has acknowledged the discharge notice."""
    case = ward_step(actor, case, version, S.DISCHARGED)
    if unacknowledged_discharge(case):
        raise invalid(
            None, "state", "Alla mottagare har inte kvitterat informationen vid utskrivning."
        )
    now = _now(now)
    messaging.send(actor, case, K.CLOSED, now)
    _close(case, actor.user, "Avslutat av vårdenheten", now)
    return save(actor, case, "case.close", ["state", "closed_at", "closed_by", "close_reason"])


def auto_close(now=None) -> int:
    """A worker job (samverkan/worker.py): close discharged cases whose discharge is older than
    CASE_AUTO_CLOSE_DAYS."""
    from datetime import timedelta

    from django.conf import settings

    now = _now(now)
    limit = now - timedelta(days=settings.CASE_AUTO_CLOSE_DAYS)
    closed = 0
    for case in Case.objects.filter(state=S.DISCHARGED, discharged_at__lt=limit).iterator():
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case.pk)
            if case.state == S.DISCHARGED:
                reason = (
                    f"Stängdes automatiskt {settings.CASE_AUTO_CLOSE_DAYS} dagar efter utskrivning"
                )
                _close(case, None, reason, now)
                case.version += 1
                case.save()
                record(None, "case.auto_close", patient=case.patient, obj=case)
                closed += 1
    return closed


@transaction.atomic
def attach(actor, case: Case, *, upload, version=None, now=None):
    """Attach a file (discharge summary, care report) for the participants."""
    from django.core.files.base import ContentFile

    from .models import Attachment

    case = _participant_write(actor, case, version)
    require_state(case, S.REQUESTED, S.ADMITTED, S.READY, S.DISCHARGED)
    data, content_type = checked_upload(upload)
    name = (upload.name or "bilaga")[:200]
    attachment = Attachment.objects.create(
        case=case,
        file=ContentFile(data, name=uuid.uuid4().hex + ALLOWED_TYPES[content_type]),
        name=name,
        content_type=content_type,
        size=len(data),
        uploaded_by=actor.user,
        unit=actor.unit,
    )
    messaging.send(actor, case, K.ATTACHMENT, _now(now), text=name)
    save(actor, case, "case.attach", [], {"name": name})
    return attachment
