"""Back-entry (efterregistrering): what happened on paper or by phone during a downtime,
registered afterwards with its true time through the LOS services themselves, so that clocks,
receipts and payment days use that time. A case's entries are kept and applied in the order
they happened: an entry earlier than ones already applied rewinds those (rewind.py) and all
are applied again in time order; an entry that cannot apply yet (a ready notice entered before
its admission notice) waits and is retried at every later entry of the case."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.cases import receipts, services
from samverkan.cases.clock import occurred
from samverkan.cases.models import Delivery, Message
from samverkan.core.errors import invalid
from samverkan.directory.actor import Actor
from samverkan.directory.models import Unit

from . import rewind
from .models import FORM_NUMBER_MAX, PERSON_MAX, BackEntry

K = BackEntry.Kind
WAITS = {"state", "order"}  # a rule the order of events decides: the entry waits for others
ORDER = ["admission_notice", "ready", "ready_retracted", "discharge", "acknowledgement", "answer"]
RANK = {k: i for i, k in enumerate(ORDER)}  # in the same minute: the LOS order, receipts last
NEEDS = {  # the values each kind carries (the forms and the API schema build them)
    K.ADMISSION_NOTICE: {"expected_discharge_date"},
    K.ACKNOWLEDGEMENT: {"acknowledges"},
    K.READY: {"sip_needed"},
    K.READY_RETRACTED: set(),
    K.DISCHARGE: {"destination", "checklist"},
    K.ANSWER: {"question", "text"},
}
PEOPLE = ("caller_name", "caller_unit", "callee_name", "callee_unit")
ACKNOWLEDGED = {  # what a phoned receipt acknowledges (the notices that are acknowledged)
    Message.Kind.ADMISSION_NOTICE: "Inskrivningsmeddelande",
    Message.Kind.READY: "Utskrivningsklar",
    Message.Kind.READY_RETRACTED: "Inte längre utskrivningsklar",
    Message.Kind.DISCHARGE: "Information vid utskrivning",
}


@transaction.atomic
def register_back_entry(
    actor,
    case,
    *,
    kind: str,
    occurred_at,
    source: str,
    form_number: str = "",
    values: dict | None = None,
    now=None,
    **people,
) -> BackEntry:
    """Register one back-entry and apply the case's entries in time order. Refused (nothing
    written) when the entry itself is wrong; kept waiting when only other events are missing."""
    actor.require("write_personal")
    now = now or timezone.now()
    _check(kind, source, form_number, people, occurred_at)
    _check_values(kind, values or {})
    case = services.lock(case, None)
    if kind == K.ADMISSION_NOTICE and case.back_entries.filter(kind=kind).exists():
        raise invalid("kind", "duplicate", "Inskrivningsmeddelandet är redan efterregistrerat.")
    entry = BackEntry.objects.create(
        case=case,
        kind=kind,
        occurred_at=occurred(occurred_at, now),
        entered_at=now,
        entered_by=actor.user,
        unit=actor.unit,
        source=source,
        form_number=form_number.strip(),
        values=values or {},
        **{k: (people.get(k) or "").strip() for k in PEOPLE},
    )
    replay(actor, case, now, new=entry)
    entry.refresh_from_db()
    detail = {"kind": kind, "source": source, "applied": entry.applied}
    record(actor, "case.back_entry", patient=case.patient, obj=case, detail=detail)
    return entry


@transaction.atomic
def withdraw_back_entry(actor, entry: BackEntry) -> None:
    """Remove an entry that still waits (entered by mistake); the unit that entered it only."""
    actor.require("write_personal")
    services.lock(entry.case, None)
    entry = BackEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.unit_id != actor.unit.pk:
        raise PermissionDenied("Bara enheten som efterregistrerade kan ta bort posten.")
    if entry.applied:
        raise invalid(None, "state", "Posten är redan inlagd i ärendet och kan inte tas bort.")
    detail = {"kind": entry.kind, "withdrawn": str(entry.public_id)}
    record(actor, "case.back_entry", patient=entry.case.patient, obj=entry.case, detail=detail)
    entry.delete()


def _check(kind, source, form_number, people, occurred_at) -> None:
    if kind not in K.values:
        raise invalid("kind", "choice", "Välj vilken händelse som efterregistreras.")
    if source not in BackEntry.Source.values:
        raise invalid("source", "choice", "Välj källa: telefon, pappersblankett eller annat.")
    if occurred_at is None:
        raise invalid("occurred_at", "required", "Ange när det hände.")
    if source == BackEntry.Source.PAPER and not form_number.strip():
        raise invalid("form_number", "required", "Ange blankettens nummer.")
    if len(form_number) > FORM_NUMBER_MAX:
        raise invalid("form_number", "max_length", f"Högst {FORM_NUMBER_MAX} tecken.")
    for name in PEOPLE:
        if len(people.get(name) or "") > PERSON_MAX:
            raise invalid(name, "max_length", f"Högst {PERSON_MAX} tecken.")
    if set(people) - set(PEOPLE):
        raise TypeError(f"unknown arguments {sorted(set(people) - set(PEOPLE))}")


def _check_values(kind: str, values: dict) -> None:
    missing = NEEDS[kind] - set(values)
    if missing:
        raise invalid(min(missing), "required", "Uppgiften saknas.")
    if kind == K.ACKNOWLEDGEMENT and values["acknowledges"] not in ACKNOWLEDGED:
        raise invalid("acknowledges", "choice", "Välj vilket meddelande som kvitterades.")


def order_key(entry: BackEntry) -> tuple:
    return (entry.occurred_at, RANK[entry.kind], entry.entered_at, entry.pk)


def replay(actor, case, now, *, new: BackEntry) -> None:
    """Rewind the applied entries later than the earliest waiting one, then apply every
    waiting entry in time order: the result is as if all had been entered in time order."""
    entries = sorted(case.back_entries.select_related("entered_by", "unit"), key=order_key)
    waiting = [e for e in entries if not e.applied]
    first = order_key(waiting[0])
    undo = [e for e in entries if e.applied and order_key(e) > first]
    if undo:
        undone = ({e.message_id for e in undo} - {None}, {e.delivery_id for e in undo} - {None})
        rewind.restore(case, undo[0].before, undone_messages=undone[0], undone_deliveries=undone[1])
        BackEntry.objects.filter(pk__in=[e.pk for e in undo]).update(
            applied=False, message=None, delivery=None, before=None
        )
    for entry in sorted(waiting + undo, key=order_key):
        apply_one(actor, entry, now, strict=entry.pk == new.pk)


def apply_one(actor, entry: BackEntry, now, *, strict: bool) -> None:
    """Apply one entry through its service; if it cannot apply yet it waits (the new entry
    is refused instead when its own values are wrong)."""
    case = services.lock(entry.case, None)
    before = rewind.image(case)
    try:
        with transaction.atomic():
            message, delivery = APPLY[entry.kind](entrant(actor, entry), case, entry, now)
    except (ValidationError, PermissionDenied) as error:
        if strict and not waits(error):
            raise
        entry.applied, entry.waiting = False, _text(error)[:300]
        entry.save(update_fields=["applied", "waiting"])
        return
    entry.applied, entry.waiting, entry.before = True, "", before
    entry.message, entry.delivery = message, delivery
    entry.save(update_fields=["applied", "waiting", "before", "message", "delivery"])


def waits(error) -> bool:
    if not isinstance(error, ValidationError) or not hasattr(error, "error_dict"):
        return False
    return all(e.code in WAITS for errors in error.error_dict.values() for e in errors)


def _text(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def entrant(actor, entry: BackEntry) -> Actor:
    """Who entered it, in the unit it was entered in (a later entry may re-apply it)."""
    if actor.user.pk == entry.entered_by_id and actor.unit.pk == entry.unit_id:
        return actor
    membership = entry.entered_by.memberships.select_related("unit__principal").filter(
        unit=entry.unit
    )
    if not membership.exists():
        raise PermissionDenied("Den som efterregistrerade är inte längre medlem i enheten.")
    return Actor(user=entry.entered_by, membership=membership.first(), ip=actor.ip)


# --- each kind: one call of the existing service, with the true time ----------------------


def _notice(actor, case, entry, now):
    v = entry.values
    recipients = v.get("recipients")
    units = [_unit(h) for h in recipients] if recipients else None
    message = services.send_admission_notice(
        actor,
        case,
        expected_discharge_date=date.fromisoformat(v["expected_discharge_date"]),
        recipients=units,
        occurred_at=entry.occurred_at,
        confirm_date=True,
        now=now,
        back_entry=True,
    )
    return message, None


def _unit(hsa_id: str) -> Unit:
    unit = Unit.objects.select_related("principal").filter(hsa_id=hsa_id, active=True).first()
    if unit is None:
        raise invalid("recipients", "unknown_unit", f"Okänd eller inaktiv enhet: {hsa_id}.")
    return unit


def _ready(actor, case, entry, now):
    v = entry.values
    message = services.declare_ready(
        actor,
        case,
        sip_needed=v["sip_needed"],
        sip_consent=v.get("sip_consent"),
        occurred_at=entry.occurred_at,
        now=now,
        back_entry=True,
    )
    return message, None


def _retract(actor, case, entry, now):
    reason = entry.values.get("reason", "")
    message = services.retract_ready(
        actor, case, reason=reason, occurred_at=entry.occurred_at, now=now
    )
    return message, None


def _discharge(actor, case, entry, now):
    v, when = entry.values, entry.occurred_at
    message = services.discharge(
        actor,
        case,
        destination=v["destination"],
        checklist=v["checklist"],
        occurred_at=when,
        now=now,
        informed_at=when,
    )
    return message, None


def _acknowledgement(actor, case, entry, now):
    """The unit's receipt of the latest notice of that kind sent before the receipt."""
    kind = entry.values["acknowledges"]
    delivery = (
        Delivery.objects.filter(
            message__case=case,
            message__kind=kind,
            message__occurred_at__lte=entry.occurred_at,
            unit=actor.unit,
        )
        .order_by("-message__occurred_at", "-id")
        .first()
    )
    if delivery is None:
        raise invalid(
            "acknowledges", "order", f"{ACKNOWLEDGED[kind]} före kvittensen finns inte ännu."
        )
    if delivery.state not in Delivery.OPEN_STATES:
        state = delivery.get_state_display().lower()
        raise invalid("acknowledges", "duplicate", f"Meddelandet är redan {state}.")
    return None, receipts.acknowledge(actor, delivery, now=entry.occurred_at)


def _answer(actor, case, entry, now):
    v = entry.values
    question = case.messages.filter(public_id=v["question"], kind=Message.Kind.QUESTION).first()
    if question is None:
        raise invalid("question", "invalid", "Det finns ingen sådan fråga i ärendet.")
    if question.occurred_at > entry.occurred_at:
        raise invalid("occurred_at", "order", "Svaret kan inte ligga före frågan.")
    return services.answer(actor, case, question, text=v["text"], now=entry.occurred_at), None


APPLY = {
    K.ADMISSION_NOTICE: _notice,
    K.ACKNOWLEDGEMENT: _acknowledgement,
    K.READY: _ready,
    K.READY_RETRACTED: _retract,
    K.DISCHARGE: _discharge,
    K.ANSWER: _answer,
}
