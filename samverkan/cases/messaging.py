"""Sending a message in a case: the message, a delivery per recipient, and outbox rows for
notifications, all in the caller's transaction."""

from samverkan.directory.models import Unit
from samverkan.fhir import outbound
from samverkan.notifications.notify import notify

from .clock import next_check_time
from .models import Case, Delivery, Message, Participant


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


def reply(actor, original: Message, kind: str, text: str, now) -> Message:
    """Answer a question or care request to its sender; the original counts as answered."""
    answer = send(
        actor,
        original.case,
        kind,
        now,
        text=text,
        reply_to=original,
        recipients=[original.sender_unit],
    )
    Message.objects.filter(pk=original.pk, answered_at__isnull=True).update(answered_at=now)
    _settled_by_answer(actor, original, now)
    outbound.answered(actor, original, answer, now)
    return answer


def _settled_by_answer(actor, original: Message, now) -> None:
    """The answer is also the receipt: the answering unit's delivery is acknowledged (a
    care request) or read (a question)."""
    mine = Delivery.objects.filter(
        message=original, unit=actor.unit, state__in=Delivery.OPEN_STATES
    )
    mine.filter(needs_ack=True).update(
        state=Delivery.State.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=actor.user
    )
    mine.filter(needs_ack=False).update(state=Delivery.State.READ)
    Delivery.objects.filter(message=original, unit=actor.unit, read_at=None).update(read_at=now)


def deliver(message: Message, units, sent_at) -> None:
    due = next_check_time(sent_at)
    binding = message.kind in Message.ACKNOWLEDGED_KINDS
    Delivery.objects.bulk_create(
        [
            Delivery(message=message, unit=u, sent_at=sent_at, ack_due_at=due, needs_ack=binding)
            for u in units
        ]
    )
    label = Message.Kind(message.kind).label
    notify(units, message.kind, f"{label} ({message.case.short_id})", case=message.case)


def join(case: Case, unit: Unit, role: str) -> None:
    """Make a unit an active participant (again)."""
    join_many(case, [(unit, role)])


def join_many(case: Case, units_roles: list[tuple[Unit, str]]) -> None:
    """Make units active participants: new ones in one insert, former ones reactivated."""
    known = set(
        case.participants.filter(unit__in=[u for u, _ in units_roles]).values_list(
            "unit_id", flat=True
        )
    )
    Participant.objects.bulk_create(
        [Participant(case=case, unit=u, role=r) for u, r in units_roles if u.pk not in known]
    )
    case.participants.filter(unit_id__in=known, active=False).update(
        active=True, removed_at=None, removed_reason=""
    )
