"""The deviations' worklist sections on the start page (settings.WORKLIST_PANELS): the
coordinator's to assign, the responsible unit's to answer by the deadline, the reporter's
feedback to take a stand on. No person is named here."""

from django.db.models import Q
from django.urls import reverse

from samverkan.core.worklists import Entry
from samverkan.directory.models import Principal
from samverkan.lib.swedish import day

from .models import Deviation

LIMIT = 50
S = Deviation.State


def _entry(d: Deviation, text: str, now, due: bool = False) -> Entry:
    return Entry(
        href=reverse("deviation_detail", args=[d.public_id]),
        title=f"Avvikelse: {d.category}, {day(d.occurred_at)}",
        text=text,
        detail=f"från {d.reporter_unit.name} till {d.to_principal.name}",
        due_at=d.due_at if due else None,
        overdue=due and d.is_overdue(now),
    )


SECTIONS = {  # state the unit waits on -> (key, title, text, shows the deadline)
    S.RECEIVED: ("deviations_to_assign", "Avvikelser att fördela", "fördela", True),
    S.ASSIGNED: ("deviations_to_answer", "Avvikelser att återkoppla", "återkoppla", True),
    S.ANSWERED: (
        "deviations_to_judge",
        "Återkoppling att ta ställning till",
        "godta eller begär mer",
        False,
    ),
}


def to_do(unit):
    """What the unit must do as coordinator, responsible unit or reporter."""
    return Deviation.objects.filter(
        Q(to_principal__in=Principal.objects.filter(deviation_unit=unit), state=S.RECEIVED)
        | Q(responsible_unit=unit, state=S.ASSIGNED)
        | Q(reporter_unit=unit, state=S.ANSWERED)
    )


def probe(actor):
    return to_do(actor.unit) if actor.can("read_personal") else None


def waiting(unit):
    """One query, with what an entry shows."""
    found = to_do(unit).select_related("category__parent", "reporter_unit", "to_principal")
    return found.order_by("due_at")[: LIMIT * len(SECTIONS)]


def panel(actor, now) -> list:
    if not actor.can("read_personal"):
        return []
    sections = {state: [] for state in SECTIONS}
    for d in waiting(actor.unit):
        _key, _title, text, due = SECTIONS[d.state]
        if len(sections[d.state]) < LIMIT:
            sections[d.state].append(_entry(d, text, now, due=due))
    return [(key, title, sections[state]) for state, (key, title, _t, _d) in SECTIONS.items()]
