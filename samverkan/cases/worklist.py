"""A unit's worklist ("Att göra nu"): what needs doing now, most urgent first.

Every section starts from small, indexed sets (open deliveries, active participations), so it
stays fast however many closed cases the database holds."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .access import visible_cases
from .models import Case, Delivery, Message, Participant

LIMIT = 50  # per section, most urgent first
SECTIONS = {
    "notice_due": "Inskrivningsmeddelanden att skicka",
    "to_acknowledge": "Nya meddelanden att kvittera",
    "care_requests": "Vårdbegäran att besvara",
    "questions": "Obesvarade frågor",
    "sip_call_due": "SIP att kalla till",
    "ready_waiting": "Utskrivningsklara patienter",
    "discharge_today": "Beräknas skrivas ut i dag",
}


@dataclass
class Item:
    """One thing to do about one case."""

    section: str
    case: Case
    text: str
    due_at: datetime | None
    overdue: bool
    delivery_id: str | None = None


# Only what an item shows or its clocks need: fewer columns to fetch and parse.
CASE_FIELDS = [
    *Case.CLOCK_FIELDS,
    "patient__given_name",
    "patient__family_name",
    "patient__identity",
    "patient__identity_kind",
    "patient__protected_identity",
    "patient__birth_date",
    "ward__name",
    "ward__hsa_id",
]


def _slim(queryset, prefix: str = "", extra=()):
    return queryset.select_related(f"{prefix}patient", f"{prefix}ward").only(
        *extra, *(prefix + f for f in CASE_FIELDS)
    )


def _active_cases(actor):
    """Cases the unit takes part in now, through the access chokepoint."""
    taking_part = Participant.objects.filter(unit=actor.unit, active=True).values("case_id")
    return visible_cases(actor).filter(pk__in=taking_part).values("pk")


def _cases(qs):
    return _slim(qs)[:LIMIT]


def notice_due(actor, now):
    cases = Case.objects.filter(
        pk__in=_active_cases(actor),
        ward=actor.unit,
        state=Case.State.ADMITTED,
        notice_sent_at__isnull=True,
    )
    return [
        Item(
            "notice_due",
            c,
            "Skicka inskrivningsmeddelande",
            c.notice_due_at(),
            c.notice_overdue(now),
        )
        for c in _cases(cases.order_by("admitted_at"))
    ]


def to_acknowledge(actor, now):
    open_deliveries = Delivery.objects.filter(
        unit=actor.unit, state__in=Delivery.OPEN_STATES, message__case__in=_active_cases(actor)
    )  # a closed case, or one the unit left, asks nothing more
    extra = ("public_id", "state", "ack_due_at", "message__kind")
    deliveries = _slim(open_deliveries, "message__case__", extra).order_by("ack_due_at")[:LIMIT]
    return [
        Item(
            "to_acknowledge",
            d.message.case,
            d.message.get_kind_display(),
            d.ack_due_at,
            d.is_overdue(now),
            str(d.public_id),
        )
        for d in deliveries
    ]


def _unanswered(actor, kind, section, now):
    unanswered = Message.objects.filter(
        case_id__in=_active_cases(actor),
        kind=kind,
        answered_at__isnull=True,
        deliveries__unit=actor.unit,
    )
    extra = ("kind", "text", "occurred_at")
    messages = _slim(unanswered, "case__", extra).order_by("occurred_at")[:LIMIT]
    return [
        Item(section, m.case, m.text[:120] or m.get_kind_display(), m.occurred_at, False)
        for m in messages
    ]


def sip_call_due(actor, now):
    cases = Case.objects.filter(
        pk__in=_active_cases(actor),
        care_contact_unit=actor.unit,
        state=Case.State.READY,
        sip_needed=True,
        sip_called_at__isnull=True,
    )
    return [
        Item("sip_call_due", c, "Kalla till SIP", c.sip_call_due_at(), c.sip_call_overdue(now))
        for c in _cases(cases.order_by("ready_at"))
    ]


def ready_waiting(actor, now):
    """Ready patients; flagged from the third day, when payment liability may begin."""
    cases = Case.objects.filter(pk__in=_active_cases(actor), state=Case.State.READY)
    return [
        Item(
            "ready_waiting",
            c,
            f"Utskrivningsklar sedan {c.days_ready(now)} dagar",
            c.ready_at + timedelta(days=3),
            (c.days_ready(now) or 0) >= 3,
        )
        for c in _cases(cases.order_by("ready_at"))
    ]


def discharge_today(actor, now):
    cases = Case.objects.filter(
        pk__in=_active_cases(actor),
        state__in=[Case.State.ADMITTED, Case.State.READY],
        expected_discharge_date=timezone.localdate(now),
    )
    return [
        Item("discharge_today", c, "Beräknat utskrivningsdatum i dag", None, False)
        for c in _cases(cases.order_by("admitted_at"))
    ]


def worklist(actor, now=None) -> dict[str, list[Item]]:
    """All sections for the actor's unit, in the order staff work them; every section starts
    from the cases the unit takes part in (the access chokepoint)."""
    now = now or timezone.now()
    return {
        "notice_due": notice_due(actor, now),
        "to_acknowledge": to_acknowledge(actor, now),
        "care_requests": _unanswered(actor, Message.Kind.CARE_REQUEST, "care_requests", now),
        "questions": _unanswered(actor, Message.Kind.QUESTION, "questions", now),
        "sip_call_due": sip_call_due(actor, now),
        "ready_waiting": ready_waiting(actor, now),
        "discharge_today": discharge_today(actor, now),
    }
