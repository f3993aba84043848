"""Messages that arrive before what they refer to: held (state `held`, the body kept) and applied
once it has arrived, every held message of the stay in the order of the events' clinical times;
a held message that waits longer than FHIR_HOLD_HOURS fails."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .message import identity_number, read_header
from .models import ReceivedMessage
from .outcome import MessageError, Waiting, acknowledgement

R = ReceivedMessage.State
NOTE_MAX = 300


def stay_key(unit, msg) -> str:
    """The stay's pseudonymous key: the sender and the person's identity number, hashed."""
    number = identity_number(msg.one("Patient"))
    return hashlib.sha256(f"{unit.hsa_id}|{number}".encode()).hexdigest()


def held_ack(header_id: str, waiting: Waiting) -> dict:
    note = f"Meddelandet är mottaget och väntar: {waiting}"[:NOTE_MAX]
    return acknowledgement(header_id, "ok", [("Bundle", "informational", note)])


def release(actor, key: str) -> int:
    """Apply the stay's held messages, earliest clinical time first, starting over after each
    one applied (it may be what an earlier one waited for); returns how many were applied."""
    from .dispatch import apply

    applied, progress = 0, True
    while progress:
        progress = False
        held = ReceivedMessage.objects.filter(sender=actor.unit, stay_key=key, state=R.HELD)
        for row in held.order_by("occurred_at", "id"):
            if _try(actor, row, apply):
                applied, progress = applied + 1, True
                break
    return applied


def _try(actor, row: ReceivedMessage, apply) -> bool:
    try:
        case = apply(actor, read_header(row.body))
    except Waiting as waiting:
        row.note = str(waiting)[:NOTE_MAX]
        row.save(update_fields=["note"])
        return False
    except MessageError as error:
        _fail(row, error.issues, error.status)
        return False
    row.state, row.case, row.body, row.note = R.APPLIED, case, None, ""
    row.applied_at = timezone.now()
    row.save(update_fields=["state", "case", "body", "note", "applied_at"])
    return True


def _fail(row: ReceivedMessage, issues, status: int = 422) -> None:
    """The held message will not be applied: its body goes, its answer is now a fatal-error."""
    row.state, row.body, row.status, row.note = R.FAILED, None, status, issues[0][2][:NOTE_MAX]
    row.response = acknowledgement(row.header_id, "fatal-error", issues)
    row.save(update_fields=["state", "body", "status", "note", "response"])


def fail_overdue(now=None) -> int:
    """A worker job: held messages older than FHIR_HOLD_HOURS fail (what they waited for never
    came); the integration's staff see them in the admin's list of received messages."""
    now = now or timezone.now()
    limit = now - timedelta(hours=settings.FHIR_HOLD_HOURS)
    failed = 0
    for pk in ReceivedMessage.objects.filter(state=R.HELD, received_at__lt=limit).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            row = ReceivedMessage.objects.select_for_update().get(pk=pk)
            if row.state == R.HELD:
                text = f"Väntade mer än {settings.FHIR_HOLD_HOURS} timmar: {row.note}"
                _fail(row, [("Bundle", "business-rule", text[:NOTE_MAX])])
                failed += 1
    return failed
