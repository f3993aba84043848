"""The reconciliation list (avstämning) after a declared downtime: what the unit's snapshot at
the window's start said was pending, minus what is registered now. It empties only when every
item is registered (or its case is closed); the cases are reached through the chokepoint."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import Http404

from samverkan.cases.access import visible_cases
from samverkan.cases.models import Case, Delivery, Message
from samverkan.directory.models import Unit

from .models import BackEntry, Downtime, Snapshot

SHOWN_DAYS = 30  # the start page reminds of a downtime's list this long after it ended
BACK_ENTRY_KIND = {  # the pending item -> the back-entry that registers it ("" the case page)
    "admission_notice": BackEntry.Kind.ADMISSION_NOTICE,
    "acknowledgement": BackEntry.Kind.ACKNOWLEDGEMENT,
    "discharge": BackEntry.Kind.DISCHARGE,
    "answer": BackEntry.Kind.ANSWER,
    "sip_call": "",
}


@dataclass
class Row:
    """One item still to register."""

    case: Case
    kind: str
    label: str
    owed_by: str
    due_at: datetime | None
    back_entry: str  # the back-entry kind to open, "" when the case page's action registers it
    mine: bool  # the actor's unit registers it (else the unit that owes it: phone them)


def downtime_of(actor, downtime_id: int) -> Downtime:
    """A declared downtime that covered the actor's unit (all, the login, its principal or the
    unit itself); 404 otherwise."""
    found = Downtime.objects.covering_unit(actor.unit).filter(pk=downtime_id).first()
    if found is None:
        raise Http404("Inget sådant driftstopp för din enhet.")
    return found


def remaining(actor, downtime: Downtime) -> list[Row]:
    """The snapshot's pending items of the unit's visible cases not yet registered."""
    snapshot = Snapshot.latest_before(actor.unit, downtime.starts_at)
    items = snapshot.items if snapshot else []
    ids = {i["case"] for i in items}
    visible = visible_cases(actor).filter(public_id__in=ids).select_related("patient")
    cases = {str(c.public_id): c for c in visible}
    done = _registered_refs(items)
    named = Unit.objects.filter(public_id__in={i["unit"] for i in items if i.get("unit")})
    units = {str(pk): name for pk, name in named.values_list("public_id", "name")}
    return [
        _row(item, cases[item["case"]], units, str(actor.unit.public_id))
        for item in items
        if item["case"] in cases and not _registered(item, cases[item["case"]], done)
    ]


def _row(item: dict, case: Case, units: dict, mine: str) -> Row:
    due = item.get("due_at")
    return Row(
        case=case,
        kind=item["kind"],
        label=Snapshot.PENDING_KINDS.get(item["kind"], item["kind"]),
        owed_by=units.get(item.get("unit") or "", ""),
        due_at=datetime.fromisoformat(due) if due else None,
        back_entry=BACK_ENTRY_KIND.get(item["kind"], ""),
        mine=item.get("unit") in (None, "", mine),
    )


def _registered_refs(items) -> set[tuple[str, str]]:
    """(message id, unit id) of receipts given, and (question id, "") of questions answered."""
    refs = {i["ref"] for i in items if i.get("ref")}
    receipts = Delivery.objects.filter(message__public_id__in=refs).exclude(
        state__in=Delivery.OPEN_STATES
    )
    done = {
        (str(m), str(u)) for m, u in receipts.values_list("message__public_id", "unit__public_id")
    }
    answered = Message.objects.filter(public_id__in=refs, answered_at__isnull=False)
    return done | {(str(m), "") for m in answered.values_list("public_id", flat=True)}


def _registered(item: dict, case: Case, done: set) -> bool:
    if case.state == Case.State.CLOSED:
        return True  # nothing more is owed in a closed case
    kind = item["kind"]
    if kind == "admission_notice":
        return case.notice_sent_at is not None
    if kind == "sip_call":
        return case.sip_called_at is not None
    if kind == "discharge":
        return case.discharged_at is not None
    if kind == "answer":
        return (item["ref"], "") in done
    return (item["ref"], item["unit"]) in done


def open_lists(actor, downtimes, now) -> list[tuple[Downtime, int]]:
    """For the start page: of the downtimes that concern the unit (banner.concerning), those
    that ended within SHOWN_DAYS and whose list is not empty."""
    since = now - timedelta(days=SHOWN_DAYS)
    recent = [d for d in downtimes if d.ends_at and since <= d.ends_at <= now]
    counted = [(d, len(remaining(actor, d))) for d in recent]
    return [(d, n) for d, n in counted if n]
