"""record(): the one way to write the audit log."""

from .models import ACTIONS, AuditEvent


def record(
    actor, action: str, *, patient=None, obj=None, detail=None, user=None, ip: str = ""
) -> AuditEvent:
    """Write one event; `actor` may be None (e.g. a failed login), then `user`/`ip` are used."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    who = actor.user if actor else user
    return AuditEvent.objects.create(
        user=who if getattr(who, "pk", None) else None,
        username=getattr(who, "username", "") or (detail or {}).get("username", ""),
        unit=actor.unit if actor else None,
        role=actor.role if actor else "",
        action=action,
        patient=patient,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(getattr(obj, "public_id", getattr(obj, "pk", ""))) if obj is not None else "",
        ip=(actor.ip if actor else ip) or None,
        detail=detail or {},
    )


def record_reads(actor, action: str, patients) -> None:
    """One event per person shown in a list (worklist, case list): lists are reads too."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    unique = {p.pk: p for p in patients}.values()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                user=actor.user,
                username=actor.user.username,
                unit=actor.unit,
                role=actor.role,
                action=action,
                patient=p,
                ip=actor.ip or None,
            )
            for p in unique
        ]
    )
