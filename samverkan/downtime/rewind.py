"""A case's image (the rows a LOS service changes) taken before a back-entry is applied, and
the rewind back to it, so that back-entries entered out of order are applied in time order."""

from datetime import date, datetime

from samverkan.cases.models import Case, Delivery, Message, Participant, ReadyPeriod
from samverkan.core.errors import invalid

KEPT = {"id", "public_id", "patient", "version", "created_at", "updated_at"}
CASE_FIELDS = [f for f in Case._meta.concrete_fields if f.name not in KEPT]
ROWS = {  # table: (model, the case's rows, the fields a service changes)
    "messages": (Message, "case", ["occurred_at", "answered_at", "data"]),
    "deliveries": (
        Delivery,
        "message__case",
        [
            "state",
            "sent_at",
            "ack_due_at",
            "read_at",
            "acknowledged_at",
            "acknowledged_by",
            "rejected_at",
            "reject_reason",
            "forwarded_to",
            "forwarded_at",
            "settled_at",
        ],
    ),
    "periods": (ReadyPeriod, "case", ["declared_at", "ended_at", "end_reason"]),
    "participants": (Participant, "case", ["active", "removed_at", "removed_reason", "role"]),
}
LIVE = (
    "Händelsen inträffade före händelser som registrerats direkt i ärendet efter driftstoppet; "
    "den kan inte läggas in före dem. Registrera den som en vanlig åtgärd eller kontakta "
    "systemförvaltningen."
)


def _plain(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


def _fields(model, names):
    return [model._meta.get_field(n) for n in names]


def _values(obj, fields) -> dict:
    return {f.attname: _plain(f.value_from_object(obj)) for f in fields}


def image(case: Case) -> dict:
    """The case's fields and its rows' changeable fields, as JSON."""
    taken = {"case": _values(case, CASE_FIELDS)}
    for table, (model, owner, names) in ROWS.items():
        fields = _fields(model, names)
        rows = model.objects.filter(**{owner: case})
        taken[table] = {str(row.pk): _values(row, fields) for row in rows}
    return taken


def restore(case: Case, taken: dict, *, undone_messages: set[int], undone_deliveries: set[int]):
    """Put the case back as in `taken`: rows made since are deleted, changed ones reset. Refused
    when a row to undo was not made by the back-entries being undone (a live event)."""
    _refuse_live(case, taken, undone_messages, undone_deliveries)
    for table, (model, owner, names) in ROWS.items():
        rows = model.objects.filter(**{owner: case})
        rows.exclude(pk__in=[int(pk) for pk in taken[table]]).delete()
        fields = {f.attname: f for f in _fields(model, names)}
        for pk, values in taken[table].items():
            model.objects.filter(pk=int(pk)).update(**_typed(fields, values))
    for name, value in _typed({f.attname: f for f in CASE_FIELDS}, taken["case"]).items():
        setattr(case, name, value)
    case.version += 1
    case.save()


def _typed(fields: dict, values: dict) -> dict:
    return {name: fields[name].to_python(value) for name, value in values.items()}


def _refuse_live(case: Case, taken: dict, messages: set[int], deliveries: set[int]) -> None:
    made = set(case.messages.values_list("pk", flat=True)) - {int(pk) for pk in taken["messages"]}
    was = taken["deliveries"]
    acknowledged = Delivery.objects.filter(message__case=case, acknowledged_at__isnull=False)
    changed = {
        d.pk
        for d in acknowledged
        if str(d.pk) not in was or was[str(d.pk)]["acknowledged_at"] != _plain(d.acknowledged_at)
    }
    if made - messages or changed - deliveries:
        raise invalid("occurred_at", "order", LIVE)
