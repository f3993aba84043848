"""What of a case came from the record system ("från journalen", issue 16): each such field
with the time of the message that set it, and the rule that a hand change of one needs a
reason (audited and shown in the history)."""

from datetime import datetime

from django.utils import timezone

from samverkan.core.errors import invalid
from samverkan.lib.limits import SHORT_TEXT_MAX

from .models import Case

LABELS = {  # the case's fields a record message sets, in the case page's order
    "admitted_at": "Inskriven",
    "notice_sent_at": "Inskrivningsmeddelande",
    "expected_discharge_date": "Beräknat utskrivningsdatum",
    "on_leave_since": "Permission",
    "ready_at": "Utskrivningsklar",
    "sip_needed": "SIP behövs",
    "discharged_at": "Utskriven",
    "destination": "Skrivs ut till",
    "checklist": "Checklista vid utskrivning",
}
NEEDS_REASON = "Uppgiften kom från journalen: ange varför du ändrar den för hand."


def mark(case: Case, fields, at: datetime) -> None:
    """The record's message (sent at `at`) set these fields; in the message's transaction."""
    if not fields:
        return
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    set_now = [f for f in fields if getattr(fresh, f) not in (None, "", {})]
    fresh.from_record = {**fresh.from_record, **{f: at.isoformat() for f in set_now}}
    fresh.save(update_fields=["from_record"])


def by_hand(case: Case, fields, reason: str, by_record: bool) -> dict:
    """A change of `fields`: when one came from the record and this is a hand change, a reason
    (at most SHORT_TEXT_MAX characters) is required and the field is no longer marked. Returns
    the detail for the audit and the history ({} when no record field is overridden)."""
    marked = [f for f in fields if f in case.from_record]
    if by_record or not marked:
        return {}
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", "required", NEEDS_REASON)
    if len(reason) > SHORT_TEXT_MAX:
        raise invalid("reason", "max_length", f"Högst {SHORT_TEXT_MAX} tecken.")
    for field in marked:
        case.from_record.pop(field)
    return {"overrides_record": [LABELS[f] for f in marked], "reason": reason}


def rows(case: Case) -> list[tuple[str, str, datetime]]:
    """(label, the value as shown, the message's time) for the case page."""
    found = []
    for field, label in LABELS.items():
        value = getattr(case, field)
        if field in case.from_record and value not in (None, "", {}):
            found.append((label, _shown(case, field, value), _time(case.from_record[field])))
    return found


def _shown(case: Case, field: str, value) -> str:
    if field == "destination":
        return case.get_destination_display()
    if field == "checklist":
        return "ifylld"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _time(text: str) -> datetime:
    return timezone.localtime(datetime.fromisoformat(text))
