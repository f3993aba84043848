"""Messages that arrive before what they refer to: held (state `held`, the body kept) and applied
once it has arrived, every held message of the stay in the order of the events' clinical times;
a held message that waits longer than FHIR_HOLD_HOURS fails. A message older than events already
applied (a late ready notice after the discharge) rewinds the case to before them
(downtime.rewind, as a back-entry does) and all are applied again in clinical order."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from samverkan.cases import services
from samverkan.downtime import rewind

from .message import identity_number, read_header
from .models import ReceivedMessage
from .outcome import MessageError, Waiting, acknowledgement

R = ReceivedMessage.State
NOTE_MAX = 300
AGAIN = "Tillämpas igen efter ett äldre meddelande."
NOT_REWOUND = {"admission", "cancellation", "correction"}  # opens the case / undoes a message


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


def applying(actor, msg, key: str, apply):
    """Apply the message; also returns the case's image before it, with the case messages it
    made (None for the stay's first message, and for those never undone): what a later rewind
    goes back to."""
    case = None if msg.event in NOT_REWOUND else stay_case(actor.unit, key)
    before = rewind.image(case) if case else None
    case = apply(actor, msg)
    if before is not None:
        had = {int(pk) for pk in before["messages"]}
        before["made"] = sorted(set(case.messages.values_list("pk", flat=True)) - had)
    return case, before


def stay_case(unit, key: str):
    row = ReceivedMessage.objects.filter(sender=unit, stay_key=key, state=R.APPLIED)
    row = row.exclude(case=None).select_related("case").order_by("-id").first()
    return row.case if row else None


def in_order(actor, msg, key: str, apply):
    """Apply the message in its clinical place: the stay's applied messages with a later
    clinical time are undone and applied again after it. If they cannot be (one no longer
    applies, a person acted on the case since, their bodies are gone) it is applied on top of
    them, as it comes."""
    later = later_applied(actor, msg, key)
    if later:
        try:
            with transaction.atomic():
                if rewind_later(later):
                    applied = applying(actor, msg, key, apply)
                    release(actor, key)
                    again = ReceivedMessage.objects.filter(pk__in=[r.pk for r in later])
                    if again.filter(state=R.APPLIED).count() < len(later):
                        raise _NotInOrder
                    return applied
        except _NotInOrder:
            pass
    return applying(actor, msg, key, apply)


class _NotInOrder(Exception):
    """A rewound message did not apply again: the rewind is rolled back."""


def later_applied(actor, msg, key: str) -> list[ReceivedMessage]:
    """The stay's applied messages later than this one, if all can be undone (none when one
    cannot: a later admission means the message belongs to an earlier stay)."""
    if msg.event in NOT_REWOUND:
        return []
    later = list(
        ReceivedMessage.objects.filter(
            sender=actor.unit, stay_key=key, occurred_at__gt=msg.occurred_at
        )
        .exclude(state__in=[R.HELD, R.FAILED])
        .order_by("occurred_at", "id")
    )
    if not all(_kept(row) for row in later) or len({row.case_id for row in later}) != 1:
        return []
    return later


def rewind_later(later: list[ReceivedMessage]) -> bool:
    """Put the case back to before these messages and hold them again; False when a person
    acted on the case after them (rewind.LIVE)."""
    case = services.lock(later[0].case, None)
    made = {pk for row in later for pk in row.before["made"]}
    try:
        with transaction.atomic():
            rewind.restore(case, later[0].before, undone_messages=made, undone_deliveries=set())
    except ValidationError:
        return False
    ReceivedMessage.objects.filter(pk__in=[row.pk for row in later]).update(
        state=R.HELD, before=None, applied_at=None, note=AGAIN
    )
    return True


def _kept(row: ReceivedMessage) -> bool:
    return (
        row.state == R.APPLIED
        and row.event not in NOT_REWOUND
        and row.case_id is not None
        and row.before is not None
        and row.body is not None
    )


def _try(actor, row: ReceivedMessage, apply) -> bool:
    try:
        case, before = applying(actor, read_header(row.body), row.stay_key, apply)
    except Waiting as waiting:
        row.note = str(waiting)[:NOTE_MAX]
        row.save(update_fields=["note"])
        return False
    except MessageError as error:
        _fail(row, error.issues, error.status)
        return False
    row.state, row.case, row.before, row.note = R.APPLIED, case, before, ""
    row.applied_at = timezone.now()
    row.save(update_fields=["state", "case", "before", "note", "applied_at"])
    return True


def _fail(row: ReceivedMessage, issues, status: int = 422) -> None:
    """The held message will not be applied: its body goes, its answer is now a fatal-error."""
    row.state, row.body, row.status, row.note = R.FAILED, None, status, issues[0][2][:NOTE_MAX]
    row.before = None
    row.response = acknowledgement(row.header_id, "fatal-error", issues)
    row.save(update_fields=["state", "body", "before", "status", "note", "response"])


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
    return failed + forget_applied(limit)


def forget_applied(limit) -> int:
    """Applied messages received before `limit` drop their body and the case's image: an
    older message arriving after that is applied on top of them (no rewind)."""
    old = ReceivedMessage.objects.filter(state=R.APPLIED, received_at__lt=limit)
    return old.exclude(body=None, before=None).update(body=None, before=None)
