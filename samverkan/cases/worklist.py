"""A unit's worklist ("Att göra nu"): one row per patient, saying whose move it is, most urgent
first. A row gathers the unit's tasks for the stay (notices to acknowledge, a notice to send,
questions to answer, a SIP to call, a rejection to resend), what is new since the unit last
read the case, and the sender; one click acknowledges everything open for the patient.

Every source starts from small, indexed sets (open deliveries, active participations), so it
stays fast however many closed cases the database holds; the deadlines are cases.deadlines'."""

import operator
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from samverkan.core.worklists import among, read_once
from samverkan.directory.models import Unit
from samverkan.lib.swedish import plural, short_time, sort_key
from samverkan.patients.models import Patient

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
        """Overdue first, then the nearest deadline; patients due at the same check time by
        name, whichever source found them first."""
        due, patient = self.due_at, self.case.patient
        when = (not self.overdue, due is None, due.timestamp() if due else 0)
        return (*when, sort_key(patient.family_name), sort_key(patient.given_name), self.case.pk)


def taking_part(actor):
    """The unit's active stays, through the access chokepoint (a queryset)."""
    taking = Participant.objects.filter(unit=actor.unit, active=True).values("case_id")
    return visible_cases(actor).filter(pk__in=taking)


def active_cases(actor):
    """Their ids, read once (a list for a unit of real size, else a subquery)."""
    return read_once(taking_part(actor).values_list("pk", flat=True))


def _columns(model, names) -> list[str]:
    """The columns of `names` and the id, in the model's field order (as Model.from_db takes)."""
    wanted = {"id", *(model._meta.get_field(n).attname for n in names)}
    return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]


# What a row shows and what the sources look at, read once for all the unit's stays as plain
# tuples (cheap however many there are); only the stays that get a row become a Case.
SHOWN = ["given_name", "family_name", "identity", "identity_kind", "protected_identity"]
READ = {  # model -> (its columns, its path from the case)
    Case: (_columns(Case, [*Case.CLOCK_FIELDS, "care_contact_unit", "patient", "ward"]), ""),
    Patient: (_columns(Patient, [*SHOWN, "birth_date"]), "patient__"),
    Unit: (_columns(Unit, ["name", "hsa_id"]), "ward__"),
}
Stay = namedtuple("Stay", [path + c for columns, path in READ.values() for c in columns])
Active = namedtuple("Active", "stays ids asked")  # asked: open_deliveries()


def active_stays(actor) -> Active:
    """The unit's active stays in one query; every other source is a look-up among them."""
    query = taking_part(actor)
    stays = [Stay(*v) for v in query.values_list(*Stay._fields)]
    return Active(stays, among([s.id for s in stays], query.values("pk")), {})


def as_case(stay: Stay) -> Case:
    """A row's case with its patient and ward, from the stay's tuple (no second query)."""
    parts, at = {}, 0
    for model, (columns, _) in READ.items():
        parts[model] = model.from_db(DEFAULT_DB_ALIAS, columns, stay[at : at + len(columns)])
        at += len(columns)
    case = parts[Case]
    case.patient, case.ward = parts[Patient], parts[Unit]
    return case


def _nulls_last(value):
    return (value is None, value)


def _first(stays, order: str, keep) -> list[tuple[int, None]]:
    """The stays `keep` picks, most urgent (earliest `order`) first."""
    found = sorted((s for s in stays if keep(s)), key=lambda s: _nulls_last(getattr(s, order)))
    return [(s.id, None) for s in found[:LIMIT]]


def _deadline(task: Task, now) -> Task:
    if task.due_at:
        stamp = short_time(task.due_at)
        task.when = f"försenat sedan {stamp}" if task.overdue else f"senast {stamp}"
    return task


# Each source: find(actor, now, active) -> [(case id, what it found)], a look-up among the
# active stays and what their deliveries ask; then task(case, found, actor, now) -> Task, once
# the stays are loaded.


def find_notice_due(actor, now, active):
    def due(s):
        mine = s.ward_id == actor.unit.pk
        return mine and s.state == Case.State.ADMITTED and not s.notice_sent_at

    return _first(active.stays, "admitted_at", due)


def notice_task(case, _, actor, now) -> Task:
    task = Task("notice_due", "Skicka inskrivningsmeddelande", case.notice_due_at())
    task.overdue = case.notice_overdue(now)
    return _deadline(task, now)


OPEN, SENT, QUESTION = Delivery.OPEN_STATES, Delivery.State.SENT, Message.Kind.QUESTION
UNANSWERED = {  # message kind -> (task kind, what to do)
    Message.Kind.CARE_REQUEST: ("care_requests", "Besvara vårdbegäran"),
    QUESTION: ("questions", "Besvara frågan"),
}


def asks(actor) -> dict:
    """What a delivery may ask of the unit, each as the query and the same test in Python:
    notices to acknowledge, updates it has not read (a question is a task of its own),
    questions and care requests to answer, and its own messages a recipient rejected."""
    unit = actor.unit

    def mine(d):
        return d.unit_id == unit.pk

    def question(d):
        return d.message.kind == QUESTION

    return {
        "acknowledge": (
            Q(unit=unit, state__in=OPEN, needs_ack=True),
            lambda d: mine(d) and d.state in OPEN and d.needs_ack,
        ),
        "unread": (
            Q(unit=unit, state=SENT, needs_ack=False) & ~Q(message__kind=QUESTION),
            lambda d: mine(d) and d.state == SENT and not d.needs_ack and not question(d),
        ),
        "unanswered": (
            Q(unit=unit, message__kind__in=list(UNANSWERED), message__answered_at__isnull=True),
            lambda d: mine(d) and d.message.kind in UNANSWERED and d.message.answered_at is None,
        ),
        "rejected": (rejections.waiting(actor), lambda d: rejections.is_waiting(actor, d)),
    }


DELIVERY_FIELDS = (
    *("public_id", "unit_id", "state", "ack_due_at", "needs_ack", "rejected_at", "reject_reason"),
    *("settled_at", "unit__name", "message__kind", "message__case_id", "message__text"),
    *("message__occurred_at", "message__answered_at", "message__sender_unit__name"),
)


URGENT = ("-needs_ack", "ack_due_at", "pk")  # notices to acknowledge first, soonest due first


def open_deliveries(actor, ids) -> dict[str, list[Delivery]]:
    """The deliveries still asking something of the unit, in one query; a closed case, or one
    the unit left, asks nothing more. A unit with very many is read kind by kind, each capped
    on its own, so that many of one kind never crowd out another."""
    tests = asks(actor)
    found = Delivery.objects.filter(message__case__in=ids).order_by(*URGENT)
    found = found.select_related("unit", "message__sender_unit").only(*DELIVERY_FIELDS)
    ds = list(found.filter(reduce(operator.or_, (q for q, _ in tests.values())))[: LIMIT * 8 + 1])
    if len(ds) > LIMIT * 8:
        ds = list(dict.fromkeys(d for q, _ in tests.values() for d in found.filter(q)[: LIMIT * 4]))
    return {name: [d for d in ds if test(d)] for name, (_, test) in tests.items()}


def grouped(deliveries) -> list[tuple[int, list[Delivery]]]:
    """Open notices per stay: one task "Kvittera inskrivningsmeddelande, utskrivningsklar"."""
    per_case: dict[int, list[Delivery]] = {}
    for d in deliveries:
        per_case.setdefault(d.message.case_id, []).append(d)
    return list(per_case.items())[:LIMIT]


def acknowledge_task(case, ds, actor, now) -> Task:
    labels = ", ".join(dict.fromkeys(d.message.get_kind_display().lower() for d in ds))
    task = Task("to_acknowledge", f"Kvittera {labels}", ds[0].ack_due_at)
    task.overdue = any(d.is_overdue(now) for d in ds)
    return _deadline(task, now)


def find_rejected(actor, now, active):
    """The unit's messages a recipient rejected: resend to the right unit."""
    found = sorted(active.asked["rejected"], key=lambda d: d.rejected_at)
    return [(d.message.case_id, d) for d in found[:LIMIT]]


def rejected_task(case, d, actor, now) -> Task:
    text = f"Avvisat av {d.unit.name}: {d.get_reject_reason_display().lower()}"
    resend = reverse("case_action_form", args=[case.public_id, "skicka-om"])
    href = f"{resend}?delivery={d.public_id}"
    return Task("rejected", f"{text} – skicka till rätt enhet", href=href)


def find_unanswered(actor, now, active):
    """Care requests and questions to the unit not yet answered."""
    messages = {d.message_id: d.message for d in active.asked["unanswered"]}
    found = sorted(messages.values(), key=lambda m: m.occurred_at)
    return [(m.case_id, m) for m in found[: LIMIT * 2]]


def unanswered_task(case, m, actor, now) -> Task:
    task_kind, label = UNANSWERED[m.kind]
    due = next_check_time(m.occurred_at)  # answered by the next check time, like a receipt
    text = f"{label}: {m.text[:120]}" if m.text else label
    return _deadline(Task(task_kind, text, due, now > due), now)


def find_sip_call_due(actor, now, active):
    def due(s):
        mine = s.care_contact_unit_id == actor.unit.pk
        return mine and s.state == Case.State.READY and s.sip_needed and not s.sip_called_at

    return _first(active.stays, "ready_at", due)


def sip_call_task(case, _, actor, now) -> Task:
    task = Task("sip_call_due", "Kalla till SIP", case.sip_call_due_at())
    task.overdue = case.sip_call_overdue(now)
    return _deadline(task, now)


def ready_text(case: Case, now, municipal: bool) -> str:
    """Whose move: the municipality plans the way home while the patient is ready."""
    days = deadlines.days_ready(case, now) or 0
    since = f"utskrivningsklar i {plural(days, 'dag', 'dagar')}" if days else "utskrivningsklar"
    return f"{'Planera hemgång' if municipal else 'Kommunen planerar hemgång'} – {since}"


def find_ready_waiting(actor, now, active):
    return _first(active.stays, "ready_at", lambda s: s.state == Case.State.READY)


def ready_task(case, _, actor, now) -> Task:
    """Ready patients; flagged from the third day, when payment liability may begin."""
    municipal = actor.unit.principal.kind == "municipality"
    task = Task("ready_waiting", ready_text(case, now, municipal), deadlines.ready_flag_at(case))
    task.overdue = deadlines.ready_flagged(case, now)
    return task


def find_discharge_today(actor, now, active):
    in_patient, today = (Case.State.ADMITTED, Case.State.READY), timezone.localdate(now)

    def today_(s):
        return s.state in in_patient and s.expected_discharge_date == today

    return _first(active.stays, "admitted_at", today_)


def discharge_task(case, _, actor, now) -> Task:
    return Task("discharge_today", "Beräknas skrivas ut i dag")


SOURCES = [  # in the order a row lists them
    (find_notice_due, notice_task),
    (find_rejected, rejected_task),
    (find_unanswered, unanswered_task),
    (find_sip_call_due, sip_call_task),
    (find_ready_waiting, ready_task),
    (find_discharge_today, discharge_task),
]


def worklist(actor, now=None) -> list[Row]:
    """The unit's rows, one per patient, overdue first, then by the nearest deadline."""
    now = now or timezone.now()
    active = active_stays(actor)
    if not active.stays:  # nothing the unit takes part in
        return []
    read = {s.id for s in active.stays}  # a stay joined since (a large unit's subquery) waits
    for kind, ds in open_deliveries(actor, active.ids).items():
        active.asked[kind] = [d for d in ds if d.message.case_id in read]
    ack, unread = grouped(active.asked["acknowledge"]), active.asked["unread"]
    found = [(task, find(actor, now, active)) for find, task in SOURCES]
    pks = {pk for pk, _ in ack} | {d.message.case_id for d in unread} | _pks(found)
    cases = {s.id: as_case(s) for s in active.stays if s.id in pks}
    rows: dict[int, Row] = {}

    def row(pk) -> Row:
        return rows.setdefault(pk, Row(cases[pk]))

    for pk, ds in ack:
        r = row(pk)
        r.tasks.append(acknowledge_task(cases[pk], ds, actor, now))
        r.to_acknowledge += len(ds)
        r.senders += [d.message.sender_unit.name for d in ds]
    for task, hits in found:
        for pk, hit in hits:
            row(pk).tasks.append(task(cases[pk], hit, actor, now))
    for d in unread:
        r = row(d.message.case_id)
        r.news.append(d.message.get_kind_display())
        r.senders.append(d.message.sender_unit.name)
    return _finished(rows, actor)


def _pks(found) -> set[int]:
    return {pk for _, hits in found for pk, _ in hits}


def _finished(rows: dict[int, Row], actor) -> list[Row]:
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
