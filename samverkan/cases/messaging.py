"""Sending a message in a case: the message, a delivery per recipient, and outbox rows for
notifications, all in the caller's transaction."""

from samverkan.directory.models import Unit

from .clock import next_check_time
from .models import Case, Delivery, Message, OutboxItem, Participant


def active_units(case: Case, *, exclude: Unit | None = None) -> list[Unit]:
    participants = case.participants.filter(active=True).select_related("unit")
    return [p.unit for p in participants if not exclude or p.unit_id != exclude.pk]


def send(
    actor,
    case: Case,
    kind: str,
    occurred_at,
    *,
    recipients=None,
    text: str = "",
    data: dict | None = None,
    reply_to: Message | None = None,
) -> Message:
    """Record a message and deliver it to recipients (default: every other active participant)."""
    message = Message.objects.create(
        case=case,
        kind=kind,
        sender_unit=actor.unit,
        sender=actor.user,
        occurred_at=occurred_at,
        text=text,
        data=data or {},
        reply_to=reply_to,
    )
    units = active_units(case, exclude=actor.unit) if recipients is None else recipients
    deliver(message, units, occurred_at)
    return message


def deliver(message: Message, units, sent_at) -> None:
    due = next_check_time(sent_at)
    Delivery.objects.bulk_create(
        [Delivery(message=message, unit=u, sent_at=sent_at, ack_due_at=due) for u in units]
    )
    label = Message.Kind(message.kind).label
    text = f"{label}: {message.case.patient.full_name} ({message.case.short_id})"
    OutboxItem.objects.bulk_create(
        [OutboxItem(unit=u, case=message.case, kind=message.kind, text=text[:300]) for u in units]
    )


def join(case: Case, unit: Unit, role: str) -> Participant:
    """Make a unit an active participant (again)."""
    participant, created = Participant.objects.get_or_create(
        case=case, unit=unit, defaults={"role": role}
    )
    if not created and not participant.active:
        participant.active, participant.removed_at, participant.removed_reason = True, None, ""
        participant.save(update_fields=["active", "removed_at", "removed_reason"])
    return participant
