"""Writes of the backup routine: the passphrase, snapshots on demand, downtime PCs, declared
downtimes. Each takes the actor, runs in one transaction and writes its audit event."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.core.errors import invalid
from samverkan.directory.models import Unit

from . import snapshot as snapshots
from .models import Downtime, DowntimePC, Passphrase, Snapshot, SnapshotRun
from .secrets import seal

PASSPHRASE_MIN, PASSPHRASE_MAX = 12, 128
PC_NAME_MAX = 80
TOKEN_PREFIX = "svpc_"


def _now(now):
    return now or timezone.now()


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def set_passphrase(actor, passphrase: str, now=None) -> Passphrase:
    """The unit admin's passphrase; the next snapshot is encrypted with it (never logged)."""
    actor.require("manage_downtime")
    if not PASSPHRASE_MIN <= len(passphrase) <= PASSPHRASE_MAX:
        rule = f"Lösenfrasen ska ha {PASSPHRASE_MIN}–{PASSPHRASE_MAX} tecken."
        raise invalid("passphrase", "length", rule)
    found, _ = Passphrase.objects.update_or_create(
        unit=actor.unit,
        defaults={
            "sealed": seal(passphrase),
            "set_by": actor.user,
            "set_at": now or timezone.now(),
        },
    )
    record(actor, "downtime.passphrase", obj=actor.unit)
    return found


@transaction.atomic
def take_snapshot(actor, now=None) -> Snapshot:
    """A fresh snapshot for the actor's unit (the unit's button)."""
    actor.require("read_personal")
    taken = snapshots.take(actor.unit, now)
    record(actor, "downtime.snapshot", obj=actor.unit, detail={"cases": taken.cases})
    return taken


@transaction.atomic
def register_pc(actor, name: str, now=None) -> tuple[DowntimePC, str]:
    """A downtime PC of the unit; its device token is returned once, only its hash kept."""
    actor.require("manage_downtime")
    name = (name or "").strip()
    if not 1 <= len(name) <= PC_NAME_MAX:
        raise invalid("name", "length", f"Ange datorns namn, högst {PC_NAME_MAX} tecken.")
    if actor.unit.downtime_pcs.filter(name=name, revoked_at=None).exists():
        raise invalid("name", "unique", "Enheten har redan en reservdator med det namnet.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    pc = DowntimePC.objects.create(
        unit=actor.unit,
        name=name,
        token_hash=digest(token),
        created_by=actor.user,
        created_at=now or timezone.now(),
    )
    record(actor, "downtime.pc_register", obj=pc, detail={"name": name})
    return pc, token


@transaction.atomic
def revoke_pc(actor, pc: DowntimePC, now=None) -> DowntimePC:
    actor.require("manage_downtime")
    if pc.revoked_at is None:
        pc.revoked_at = now or timezone.now()
        pc.save(update_fields=["revoked_at"])
    record(actor, "downtime.pc_revoke", obj=pc, detail={"name": pc.name})
    return pc


# -- declared downtime


def units_covered(downtime: Downtime):
    units = Unit.objects.filter(active=True)
    if downtime.scope == Downtime.Scope.PRINCIPAL:
        return units.filter(principal_id=downtime.principal_id)
    if downtime.scope == Downtime.Scope.UNIT:
        return units.filter(pk=downtime.unit_id)
    return units


def schedule_before(downtime: Downtime, now) -> int:
    """A planned stop: the units it covers get a fresh snapshot now (the worker takes them)."""
    if downtime.starts_at <= now:
        return 0
    wanted = snapshots.units_needing(units_covered(downtime))
    runs = [
        SnapshotRun(unit_id=pk, due_at=now, reason=Snapshot.Reason.PLANNED_STOP) for pk in wanted
    ]
    return len(SnapshotRun.objects.bulk_create(runs, ignore_conflicts=True))


@transaction.atomic
def declare_downtime(actor, values: dict, now=None) -> Downtime:
    """Declare a downtime (system admin); a future one regenerates the snapshots it covers."""
    actor.require("declare_downtime")
    now = now or timezone.now()
    downtime = Downtime(**_targeted(values), declared_by=actor.user)
    _check(downtime, now)
    downtime.save()
    queued = schedule_before(downtime, now)
    detail = {"scope": downtime.scope, "snapshots": queued}
    record(actor, "downtime.declare", obj=downtime, detail=detail)
    return downtime


@transaction.atomic
def end_downtime(actor, downtime: Downtime, ends_at, now=None) -> Downtime:
    """Set (or move) the end: Samverkan is back."""
    actor.require("declare_downtime")
    downtime.ends_at = ends_at or now or timezone.now()
    _check(downtime, now or timezone.now())
    downtime.save(update_fields=["ends_at"])
    record(actor, "downtime.change", obj=downtime, detail={"ends_at": downtime.ends_at.isoformat()})
    return downtime


def _targeted(values: dict) -> dict:
    """Only the scope's own target is kept (a principal picked, then "all" chosen, is dropped)."""
    scope = values.get("scope")
    return {
        **values,
        "principal": values.get("principal") if scope == Downtime.Scope.PRINCIPAL else None,
        "unit": values.get("unit") if scope == Downtime.Scope.UNIT else None,
    }


MAX_AHEAD = timedelta(days=366)


def _check(downtime: Downtime, now) -> None:
    if downtime.ends_at and downtime.ends_at <= downtime.starts_at:
        raise invalid("ends_at", "order", "Slutet måste vara efter början.")
    if downtime.starts_at > now + MAX_AHEAD:
        raise invalid("starts_at", "range", "Ett planerat stopp får ligga högst ett år fram.")
    if downtime.scope == Downtime.Scope.PRINCIPAL and not downtime.principal_id:
        raise invalid("principal", "required", "Välj huvudman.")
    if downtime.scope == Downtime.Scope.UNIT and not downtime.unit_id:
        raise invalid("unit", "required", "Välj enhet.")
