"""record(): the one way to write the audit log. Reads are also remembered for the request, so
that a read whose transaction rolls back (a refused request) is written again afterwards: every
read and attempted read of personal data stays logged."""

from contextvars import ContextVar

from .models import ACTIONS, AuditEvent

READ_SUFFIXES = (".read", ".list", ".lookup", ".attachment_read", ".statement", ".replay")
_reads: ContextVar[list | None] = ContextVar("audit_reads", default=None)


def is_read(action: str) -> bool:
    return action.endswith(READ_SUFFIXES)


def _check(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")


def _remember(events) -> None:
    kept = _reads.get()
    if kept is not None:
        kept.extend(e for e in events if is_read(e.action))


def record(
    actor, action: str, *, patient=None, obj=None, detail=None, user=None, ip: str = ""
) -> AuditEvent:
    """Write one event; `actor` may be None (e.g. a failed login), then `user`/`ip` are used."""
    _check(action)
    who = actor.user if actor else user
    event = AuditEvent.objects.create(
        user=who if getattr(who, "pk", None) else None,
        username=getattr(who, "username", "")
        or getattr(actor, "label", "")
        or (detail or {}).get("username", ""),
        unit=actor.unit if actor else None,
        role=actor.role if actor else "",
        action=action,
        patient=patient,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(getattr(obj, "public_id", getattr(obj, "pk", ""))) if obj is not None else "",
        ip=(actor.ip if actor else ip) or None,
        detail=detail or {},
    )
    _remember([event])
    return event


def record_reads(actor, action: str, patients) -> None:
    """One event per person shown in a list (worklist, case list): lists are reads too.
    `patients` may be Patient rows or their ids; an actor without a user (a downtime PC) is
    named by its `label`."""
    _check(action)
    unique = {getattr(p, "pk", p): p for p in patients}
    user = actor.user
    who = {  # resolved once: the request's lazy user costs per attribute read
        "user_id": getattr(user, "pk", None),
        "username": getattr(user, "username", "") or getattr(actor, "label", ""),
        "unit_id": actor.unit.pk,
        "role": actor.role,
        "action": action,
        "ip": actor.ip or None,
    }
    events = AuditEvent.objects.bulk_create([AuditEvent(**who, patient_id=pk) for pk in unique])
    _remember(events)


class KeepReadsMiddleware:
    """Outside every transaction of the request: reads logged by a request that then failed
    and rolled back are written again, marked with the response's status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reads.set([])
        try:
            response = self.get_response(request)
            kept = _reads.get()
        finally:
            _reads.reset(token)
        if kept and response.status_code >= 400:
            restore(kept, response.status_code)
        return response


def restore(events: list[AuditEvent], status: int) -> None:
    """Write again the events that a rollback took away (a person registered in the rolled-back
    transaction is gone too: the event keeps what identified them in its detail)."""
    from samverkan.patients.models import Patient

    present = set(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).values_list("pk"))
    lost = [e for e in events if (e.pk,) not in present]
    people = set(Patient.objects.filter(pk__in=[e.patient_id for e in lost]).values_list("pk"))
    for event in lost:
        event.pk = None
        if (event.patient_id,) not in people:
            event.patient = None
        event.detail = {**event.detail, "failed": status}
    AuditEvent.objects.bulk_create(lost)
