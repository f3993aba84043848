"""A unit's downtime snapshot: every open case it takes part in (through the cases chokepoint),
with the person's full identity, the clocks and deadlines, the receipts still owed per recipient,
the care contact, the SIP meetings of the coming days and the other units' phone numbers; the
pending items for the reconciliation list; the PDF encrypted (AES-256, pikepdf) with the unit's
passphrase."""

import io
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from samverkan.cases import deadlines
from samverkan.cases.clock import next_check_time
from samverkan.cases.models import Case, Delivery, Message, Participant
from samverkan.cases.worklist import active_cases
from samverkan.lib.pdf import render_pdf
from samverkan.sip.access import visible_sips
from samverkan.sip.models import Meeting

from .models import Passphrase, Snapshot
from .secrets import unseal

MEETING_DAYS = 7  # SIP meetings shown: from now this many days ahead
OPEN_STATES = ("requested", "admitted", "ready", "discharged")  # not closed


@dataclass(frozen=True)
class UnitView:
    """The unit itself as the viewer of the chokepoint's visible querysets (the worker has no
    user): it sees exactly what any member of the unit sees."""

    unit: object


@dataclass
class Entry:
    """One case in the snapshot, with what the PDF shows about it."""

    case: Case
    owed: dict = field(default_factory=dict)  # recipient unit name -> [(kind, due, overdue)]
    questions: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    units: list = field(default_factory=list)
    notice_due: object = None
    sip_due: object = None
    days_ready: int | None = None


def cases_of(unit):
    """The unit's open cases, through the cases chokepoint (worklist.active_cases)."""
    found = Case.objects.filter(pk__in=active_cases(UnitView(unit)), state__in=OPEN_STATES)
    related = ("patient", "ward", "care_contact_unit")
    return list(found.select_related(*related).order_by("patient__family_name", "patient__pk"))


def collect(unit, now) -> tuple[list[Entry], dict]:
    """The entries, and the contacts of every other unit taking part (name -> unit)."""
    entries = {c.pk: _entry(c, now) for c in cases_of(unit)}
    contacts = {}
    participants = Participant.objects.filter(case_id__in=entries, active=True)
    for p in participants.select_related("unit__principal").order_by("unit__name"):
        entries[p.case_id].units.append(p.unit)
        if p.unit_id != unit.pk:
            contacts[p.unit.pk] = p.unit
    _owed(entries, now)
    _questions(entries)
    _meetings(unit, entries, now)
    return list(entries.values()), dict(sorted((u.name, u) for u in contacts.values()))


def _entry(case, now) -> Entry:
    return Entry(
        case,
        notice_due=deadlines.notice_due_at(case),
        sip_due=deadlines.sip_call_due_at(case),
        days_ready=deadlines.days_ready(case, now),
    )


def _owed(entries, now) -> None:
    open_ = Delivery.objects.filter(
        message__case_id__in=entries, needs_ack=True, state__in=Delivery.OPEN_STATES
    )
    for d in open_.select_related("unit", "message").order_by("ack_due_at"):
        row = (d.message.get_kind_display(), d.ack_due_at, d.is_overdue(now), d)
        entries[d.message.case_id].owed.setdefault(d.unit.name, []).append(row)


def _questions(entries) -> None:
    asked = Message.objects.filter(
        case_id__in=entries,
        kind__in=[Message.Kind.QUESTION, Message.Kind.CARE_REQUEST],
        answered_at__isnull=True,
    ).prefetch_related("deliveries__unit")
    for m in asked.select_related("sender_unit"):
        entries[m.case_id].questions.append(m)


def _meetings(unit, entries, now) -> None:
    sips = visible_sips(UnitView(unit)).filter(case_id__in=entries)
    upcoming = Meeting.objects.filter(
        sip__in=sips, starts_at__gte=now, starts_at__lt=now + timedelta(days=MEETING_DAYS)
    )
    for m in upcoming.select_related("sip", "unit"):
        entries[m.sip.case_id].meetings.append(m)


# -- the pending items (Snapshot.items) for the reconciliation list


def _item(entry: Entry, kind: str, unit, ref="", due=None) -> dict:
    return {
        "case": str(entry.case.public_id),
        "kind": kind,
        "unit": str(unit.public_id) if unit else "",
        "ref": str(ref),
        "due_at": due.isoformat() if due else None,
    }


def pending_items(entries: list[Entry]) -> list[dict]:
    """What was still to do in the unit's cases, and who owes it."""
    items = []
    for e in entries:
        c = e.case
        if c.state == Case.State.ADMITTED and not c.notice_sent_at:
            items.append(_item(e, "admission_notice", c.ward, due=e.notice_due))
        for rows in e.owed.values():
            for *_, d in rows:
                item = _item(e, "acknowledgement", d.unit, d.message.public_id, d.ack_due_at)
                items.append(item)
        if c.state == Case.State.READY and c.sip_needed and not c.sip_called_at:
            owner = c.care_contact_unit or c.ward
            items.append(_item(e, "sip_call", owner, due=e.sip_due))
        if c.state == Case.State.READY:
            items.append(_item(e, "discharge", c.ward))
        for m in e.questions:
            for d in m.deliveries.all():
                due = next_check_time(m.occurred_at)
                items.append(_item(e, "answer", d.unit, m.public_id, due))
    return items


def units_needing(units) -> list[int]:
    """Of these units, the ids of those that take part in an open case or have a passphrase
    (an empty snapshot still tells the ward there is nothing pending)."""
    taking_part = Participant.objects.filter(active=True, case__state__in=OPEN_STATES)
    with_cases = set(
        units.filter(pk__in=taking_part.values("unit_id")).values_list("pk", flat=True)
    )
    keyed = set(units.filter(downtime_passphrase__isnull=False).values_list("pk", flat=True))
    return sorted(set(with_cases) | keyed)


# -- the document


def last_event_at(entries):
    found = Message.objects.filter(case_id__in=[e.case.pk for e in entries])
    return found.aggregate(last=Max("recorded_at"))["last"]


def passphrase_of(unit) -> str | None:
    found = Passphrase.objects.filter(unit=unit).first()
    return unseal(found.sealed) if found else None


def encrypt(pdf: bytes, passphrase: str) -> bytes:
    """AES-256 (PDF 2.0, R=6); the owner password is random and forgotten."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        owner = secrets.token_urlsafe(32)
        doc.save(out, encryption=pikepdf.Encryption(user=passphrase, owner=owner, aes=True, R=6))
    return out.getvalue()


def render(unit, entries, contacts, taken_at, last) -> bytes:
    context = {
        "unit": unit,
        "entries": entries,
        "contacts": contacts.values(),
        "taken_at": taken_at,
        "last_event_at": last,
        "meeting_days": MEETING_DAYS,
    }
    return render_pdf("downtime/snapshot_pdf.html", context)


def take(unit, now=None, reason=Snapshot.Reason.ON_DEMAND) -> Snapshot:
    """Build and store the unit's snapshot; the older ones keep their items, not their PDF."""
    now = now or timezone.now()
    entries, contacts = collect(unit, now)
    last = last_event_at(entries)
    passphrase = passphrase_of(unit)
    pdf = None
    if passphrase:
        pdf = encrypt(render(unit, entries, contacts, now, last), passphrase)
    snapshot = Snapshot.objects.create(
        unit=unit,
        taken_at=now,
        last_event_at=last,
        items=pending_items(entries),
        pdf=pdf,
        reason=reason,
        people=sorted({e.case.patient_id for e in entries}),
        cases=len(entries),
    )
    Snapshot.objects.filter(unit=unit, pdf__isnull=False).exclude(pk=snapshot.pk).update(pdf=None)
    return snapshot
