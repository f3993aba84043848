"""Who has read my plan: the audit log's reads of the person's data, by unit and time. Staff
are not named (the person sees units, as the log review shows staff names only to the units'
own reviewers); the person and the next of kin they shared with are."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from samverkan.audit.log import is_read
from samverkan.audit.models import ACTIONS, AuditEvent
from samverkan.core.access import REFUSED

from .models import Share

PERIOD_DAYS = 365
MOST = 200


@dataclass
class ReadRow:
    at: object
    who: str
    organisation: str
    what: str


def _reads():
    """Reads that showed something: a refused attempt showed nothing and is not listed."""
    return [a for a in ACTIONS if is_read(a) and a != REFUSED]


def who_read(patient, now=None) -> list[ReadRow]:
    """The latest reads of this person's data within PERIOD_DAYS, newest first."""
    since = (now or timezone.now()) - timedelta(days=PERIOD_DAYS)
    events = AuditEvent.objects.filter(patient=patient, action__in=_reads(), at__gte=since)
    names = {s.reader_identity: s for s in Share.objects.filter(patient=patient)}
    rows = []
    for e in events.select_related("unit__principal").order_by("-at", "-id")[:MOST]:
        rows.append(ReadRow(e.at, *_who(e, patient, names), e.action_label))
    return rows


def _who(event, patient, names) -> tuple[str, str]:
    if event.unit is not None:
        return event.unit.name, event.unit.principal.name
    number = event.username.removeprefix("e-legitimation:")
    if number == patient.identity:
        return "Du själv", "Inloggad med e-legitimation"
    share = names.get(number)
    if share is not None:
        return f"{share.reader_name} ({share.relation})", "Inloggad med e-legitimation"
    return "Okänd", ""
