"""A unit's worklist ("Att göra nu"): one row per patient, saying whose move it is, most urgent
first. A row gathers the unit's tasks for the stay (notices to acknowledge, a notice to send,
questions to answer, a SIP to call, a rejection to resend), what is new since the unit last
read the case, and the sender; one click acknowledges everything open for the patient.

Every source starts from small, indexed sets (open deliveries, active participations), so it
stays fast however many closed cases the database holds; the deadlines are cases.deadlines'."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from samverkan.core.worklists import read_once
from samverkan.lib.swedish import plural, short_time

from . import deadlines, rejections
from .access import visible_cases
from .clock import next_check_time
from .models import Case, Delivery, Message, Participant

LIMIT = 50  # per source, most urgent first
KINDS = {  # task kind -> what the API's counts call it
    "notice_due": "Inskrivningsmeddelande att skicka",
    "rejected": "Avvisat meddelande att skicka till rätt enhet",
    "to_acknowledge": "Meddelanden att kvittera",
    "care_requests": "Vårdbegäran att besvara",
    "questions": "Obesvarade frågor",
    "sip_call_due": "SIP att kalla till",
    "ready_waiting": "Utskrivningsklara patienter",
    "discharge_today": "Beräknas skrivas ut i dag",
}


@dataclass
class Task:
    """One thing to do about the stay; `when` says the deadline in words."""

    kind: str
    text: str
    due_at: datetime | None = None
    overdue: bool = False
    href: str = ""
    when: str = ""


@dataclass
class Row:
    """One patient's stay on the unit's worklist."""

    case: Case
    tasks: list[Task] = field(default_factory=list)
    news: list[str] = field(default_factory=list)  # updates since the unit last read
    senders: list[str] = field(default_factory=list)
    to_acknowledge: int = 0

    @property
    def overdue(self) -> bool:
        return any(t.overdue for t in self.tasks)

    @property
    def due_at(self) -> datetime | None:
        return min((t.due_at for t in self.tasks if t.due_at), default=None)

    def sort_key(self):
        due = self.due_at
        return (not self.overdue, due is None, due.timestamp() if due else 0)


# Only what a row shows or its clocks need: fewer columns to fetch and parse.
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


def active_cases(actor):
    """Cases the unit takes part in now, through the access chokepoint: for a unit of real
    size read once, so each source is a plain indexed look-up among them."""
    taking_part = Participant.objects.filter(unit=actor.unit, active=True).values("case_id")
    return read_once(visible_cases(actor).filter(pk__in=taking_part).values_list("pk", flat=True))


def _cases(active, order: str, **where):
    cases = Case.objects.filter(pk__in=active, **where)
    return _slim(cases.order_by(order))[:LIMIT]


def _deadline(task: Task, now) -> Task:
    if task.due_at:
        stamp = short_time(task.due_at)
        task.when = f"försenat sedan {stamp}" if task.overdue else f"senast {stamp}"
    return task


def notice_due(actor, now, active):
    cases = _cases(
        active,
        "admitted_at",
        ward=actor.unit,
        state=Case.State.ADMITTED,
        notice_sent_at__isnull=True,
    )
    for c in cases:
        task = Task("notice_due", "Skicka inskrivningsmeddelande", c.notice_due_at())
        task.overdue = c.notice_overdue(now)
        yield c, _deadline(task, now)


TO_ACKNOWLEDGE = Q(state__in=Delivery.OPEN_STATES, needs_ack=True)
# updates the unit has not read (a question is a task of its own until answered)
UNREAD = Q(state=Delivery.State.SENT, needs_ack=False) & ~Q(message__kind=Message.Kind.QUESTION)


def open_deliveries(actor, active) -> tuple[list[Delivery], list[Delivery]]:
    """The unit's deliveries still asking something, in one query: (to acknowledge, unread)."""
    found = Delivery.objects.filter(
        TO_ACKNOWLEDGE | UNREAD, unit=actor.unit, message__case__in=active
    )  # a closed case, or one the unit left, asks nothing more
    extra = ("public_id", "state", "ack_due_at", "needs_ack", "message__kind")
    extra += ("message__sender_unit__name",)
    found = _slim(found, "message__case__", extra).select_related("message__sender_unit")
    ds = list(found.order_by("-needs_ack", "ack_due_at")[: LIMIT * 4])  # receipts first
    return [d for d in ds if d.needs_ack], [d for d in ds if not d.needs_ack]


def to_acknowledge(now, deliveries):
    """Open notices, grouped per stay into one task: "Kvittera inskrivningsmeddelande"."""
    grouped: dict[int, list[Delivery]] = {}
    for d in deliveries:
        grouped.setdefault(d.message.case_id, []).append(d)
    for ds in list(grouped.values())[:LIMIT]:
        labels = ", ".join(dict.fromkeys(d.message.get_kind_display().lower() for d in ds))
        task = Task("to_acknowledge", f"Kvittera {labels}", ds[0].ack_due_at)
        task.overdue = any(d.is_overdue(now) for d in ds)
        yield ds[0].message.case, _deadline(task, now), ds


def rejected(actor, now, active):
    """The unit's messages a recipient rejected: resend to the right unit."""
    found = Delivery.objects.filter(rejections.waiting(actor), message__case__in=active)
    extra = ("public_id", "reject_reason", "rejected_at", "unit__name", "message__kind")
    found = _slim(found, "message__case__", extra).select_related("unit")
    for d in found.order_by("rejected_at")[:LIMIT]:
        text = f"Avvisat av {d.unit.name}: {d.get_reject_reason_display().lower()}"
        resend = reverse("case_action_form", args=[d.message.case.public_id, "skicka-om"])
        href = f"{resend}?delivery={d.public_id}"
        yield d.message.case, Task("rejected", f"{text} – skicka till rätt enhet", href=href)


UNANSWERED = {  # message kind -> (task kind, what to do)
    Message.Kind.CARE_REQUEST: ("care_requests", "Besvara vårdbegäran"),
    Message.Kind.QUESTION: ("questions", "Besvara frågan"),
}


def unanswered(actor, now, active):
    """Care requests and questions to the unit not yet answered, in one query."""
    found = Message.objects.filter(
        case_id__in=active,
        kind__in=list(UNANSWERED),
        answered_at__isnull=True,
        deliveries__unit=actor.unit,
    )
    extra = ("kind", "text", "occurred_at")
    for m in _slim(found, "case__", extra).order_by("occurred_at")[: LIMIT * 2]:
        task_kind, label = UNANSWERED[m.kind]
        due = next_check_time(m.occurred_at)  # answered by the next check time, like a receipt
        text = f"{label}: {m.text[:120]}" if m.text else label
        yield m.case, _deadline(Task(task_kind, text, due, now > due), now)


def sip_call_due(actor, now, active):
    cases = _cases(
        active,
        "ready_at",
        care_contact_unit=actor.unit,
        state=Case.State.READY,
        sip_needed=True,
        sip_called_at__isnull=True,
    )
    for c in cases:
        task = Task("sip_call_due", "Kalla till SIP", c.sip_call_due_at(), c.sip_call_overdue(now))
        yield c, _deadline(task, now)


def ready_text(case: Case, now, municipal: bool) -> str:
    """Whose move: the municipality plans the way home while the patient is ready."""
    days = deadlines.days_ready(case, now) or 0
    since = f"utskrivningsklar i {plural(days, 'dag', 'dagar')}" if days else "utskrivningsklar"
    return f"{'Planera hemgång' if municipal else 'Kommunen planerar hemgång'} – {since}"


def ready_waiting(actor, now, active):
    """Ready patients; flagged from the third day, when payment liability may begin."""
    municipal = actor.unit.principal.kind == "municipality"
    for c in _cases(active, "ready_at", state=Case.State.READY):
        task = Task("ready_waiting", ready_text(c, now, municipal), deadlines.ready_flag_at(c))
        task.overdue = deadlines.ready_flagged(c, now)
        yield c, task


def discharge_today(actor, now, active):
    cases = _cases(
        active,
        "admitted_at",
        state__in=[Case.State.ADMITTED, Case.State.READY],
        expected_discharge_date=timezone.localdate(now),
    )
    for c in cases:
        yield c, Task("discharge_today", "Beräknas skrivas ut i dag")


def worklist(actor, now=None) -> list[Row]:
    """The unit's rows, one per patient, overdue first, then by the nearest deadline."""
    now = now or timezone.now()
    rows: dict[int, Row] = {}

    def row(case) -> Row:
        return rows.setdefault(case.pk, Row(case))

    active = active_cases(actor)
    if active == []:  # nothing the unit takes part in (a queryset is never equal to [])
        return []
    acknowledge, unread = open_deliveries(actor, active)
    for case, task, ds in to_acknowledge(now, acknowledge):
        r = row(case)
        r.tasks.append(task)
        r.to_acknowledge += len(ds)
        r.senders += [d.message.sender_unit.name for d in ds]
    tasks = [
        notice_due(actor, now, active),
        rejected(actor, now, active),
        unanswered(actor, now, active),
        sip_call_due(actor, now, active),
        ready_waiting(actor, now, active),
        discharge_today(actor, now, active),
    ]
    for source in tasks:
        for case, task in source:
            row(case).tasks.append(task)
    for d in unread:
        r = row(d.message.case)
        r.news.append(d.message.get_kind_display())
        r.senders.append(d.message.sender_unit.name)
    for r in rows.values():
        r.tasks.sort(key=lambda t: not t.overdue)
        r.news = list(dict.fromkeys(r.news))
        r.senders = [s for s in dict.fromkeys(r.senders) if s != actor.unit.name]
    return sorted(rows.values(), key=Row.sort_key)


def counts(rows: list[Row]) -> dict[str, int]:
    """Tasks per kind, and the patients with news."""
    found = {kind: 0 for kind in KINDS}
    for r in rows:
        for t in r.tasks:
            found[t.kind] += 1
    found["news"] = sum(1 for r in rows if r.news)
    return found
