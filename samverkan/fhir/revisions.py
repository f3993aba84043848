"""Cancellation and correction of an earlier message, as MedCom refers to it: a Provenance whose
entity (role `removal` to cancel, `revision` to correct) names the earlier MessageHeader id or
Bundle id. Each undoes or replaces that event's effect through the cases services."""

from datetime import date

from django.db.models import Q

from samverkan.cases import services
from samverkan.cases.access import visible_cases
from samverkan.cases.models import Case, Message

from . import events
from . import profile as p
from .message import Message as Msg
from .models import ReceivedMessage
from .ordering import stay_key
from .outcome import Waiting, refuse

ROLES = {"cancellation": "removal", "correction": "revision"}
R = ReceivedMessage.State


def referenced(actor, msg: Msg) -> tuple[ReceivedMessage, Case, str]:
    """The earlier, applied message of the same stay that this one names, its case and the
    FHIRPath of the reference; Waiting while it has not arrived (or is itself held)."""
    ref, path = reference(msg)
    earlier = (
        ReceivedMessage.objects.select_for_update()
        .filter(Q(header_id=ref) | Q(bundle_id=ref), sender=actor.unit)
        .first()
    )
    if earlier is None or earlier.state == R.HELD:
        raise Waiting("Meddelandet som det hänvisar till har inte kommit eller väntar självt.")
    if earlier.stay_key != stay_key(actor.unit, msg):
        raise refuse(path, "business-rule", "Meddelandet det hänvisar till gäller en annan person.")
    if earlier.state != R.APPLIED or earlier.event in ROLES:
        what = earlier.get_state_display().lower()
        raise refuse(path, "business-rule", f"Meddelandet det hänvisar till är {what}.")
    case = visible_cases(actor).filter(pk=earlier.case_id).first()
    if case is None:
        raise refuse(path, "not-found", "Ärendet för meddelandet finns inte längre hos enheten.")
    return earlier, case, path


def reference(msg: Msg) -> tuple[str, str]:
    provenance = msg.one("Provenance")
    role = ROLES[msg.event]
    for i, entity in enumerate(provenance.data.get("entity") or []):
        if entity.get("role") == role:
            path = f"{provenance.path}.entity[{i}].what.identifier.value"
            value = ((entity.get("what") or {}).get("identifier") or {}).get("value")
            if not isinstance(value, str) or not value or len(value) > 64:
                raise refuse(path, "required", "Ange id för meddelandet (högst 64 tecken).")
            return value, path
    raise refuse(
        f"{provenance.path}.entity", "required", f"Ange en entity med role {role} (tidigare id)."
    )


def _reason(msg: Msg) -> str:
    text, _path = msg.header.extension(p.REASON, "valueString")
    return text or ""


# --- cancellation: undo the earlier event's effect ---------------------------------------


def cancellation(actor, msg: Msg) -> Case:
    earlier, case, path = referenced(actor, msg)
    undo = UNDO.get(earlier.event)
    if undo is None:
        raise refuse(
            path,
            "not-supported",
            f"Händelsen {earlier.event} kan inte makuleras med meddelande; rätta i Samverkan.",
        )
    undo(actor, msg, earlier, case, path)
    earlier.state = R.CANCELLED
    earlier.save(update_fields=["state"])
    return case


def _undo_admission(actor, msg, earlier, case, path) -> None:
    """A stay opened by mistake is closed as misdirected, if nothing else happened in it."""
    others = ReceivedMessage.objects.filter(case=case, state=R.APPLIED).exclude(pk=earlier.pk)
    if case.messages.exists() or others.exists():
        raise refuse(
            path,
            "business-rule",
            "Inskrivningen kan inte makuleras: ärendet har fler händelser. "
            "Makulera dem först eller avsluta ärendet i Samverkan.",
        )
    text = _reason(msg) or "Inskrivningen makulerad i journalen"
    services.interrupt(actor, case, reason="misdirected", text=text, occurred_at=msg.occurred_at)


def _undo_expected_date(actor, msg, earlier, case, path) -> None:
    """The date goes back to the one before the change, unless it has changed again since."""
    change = case.messages.filter(kind=Message.Kind.EXPECTED_DATE, occurred_at=earlier.occurred_at)
    change = change.order_by("-id").first()
    current = case.expected_discharge_date
    if change is None or not change.data.get("from") or str(current) != change.data.get("to"):
        raise refuse(
            path,
            "business-rule",
            "Datumet har ändrats igen sedan dess; skicka ett nytt beräknat datum i stället.",
        )
    services.update_expected_discharge(
        actor,
        case,
        expected_discharge_date=date.fromisoformat(change.data["from"]),
        occurred_at=msg.occurred_at,
        confirm_date=True,
        by_record=True,
    )


def _undo_ready(actor, msg, earlier, case, path) -> None:
    """Never ready: the period ends at its own start, so it counts no days."""
    if case.state != Case.State.READY or case.ready_at != earlier.occurred_at:
        raise refuse(
            path, "business-rule", "Utskrivningsklar gäller inte längre; inget att ta bort."
        )
    services.retract_ready(
        events.physician(actor, msg),
        case,
        reason=_reason(msg) or "Makulerat i journalen",
        by_record=True,
        occurred_at=case.ready_at,
    )


def _undo_leave(actor, msg, earlier, case, path) -> None:
    """No permission after all: it ends at its own start."""
    if case.on_leave_since != earlier.occurred_at:
        raise refuse(path, "business-rule", "Permissionen pågår inte längre; inget att ta bort.")
    services.end_leave(actor, case, occurred_at=case.on_leave_since)


UNDO = {
    "admission": _undo_admission,
    "expected-date-change": _undo_expected_date,
    "ready-for-discharge": _undo_ready,
    "leave": _undo_leave,
}


# --- correction: replace the earlier event's values ---------------------------------------


def correction(actor, msg: Msg) -> Case:
    earlier, case, path = referenced(actor, msg)
    if earlier.event not in CORRECTABLE:
        raise refuse(
            path,
            "not-supported",
            f"Händelsen {earlier.event} kan inte rättas med meddelande; makulera och skicka den "
            "på nytt, eller rätta i Samverkan.",
        )
    services.update_expected_discharge(
        actor,
        case,
        expected_discharge_date=events.expected_date(msg.one("Encounter"), required=True),
        occurred_at=msg.occurred_at,
        confirm_date=True,
        by_record=True,
    )
    earlier.state = R.CORRECTED
    earlier.save(update_fields=["state"])
    return case


CORRECTABLE = ("support-judgement", "expected-date-change")  # the expected date they carried
