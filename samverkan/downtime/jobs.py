"""The worker's snapshot job: at every daily check time each unit that needs one gets a fresh
snapshot. One SnapshotRun per unit and check time (unique) is leased, built once, and a unit
that fails is released for the next pass without holding up the others."""

import logging

from django.db import transaction
from django.utils import timezone

from samverkan.cases.clock import last_check_time
from samverkan.core.leases import claim, release, worker_id
from samverkan.directory.models import Unit

from . import snapshot as snapshots
from .models import SnapshotRun

log = logging.getLogger(__name__)
PER_PASS = 200  # units per worker pass; the rest are taken by the next pass


def schedule(due_at) -> int:
    """A run for every unit needing a snapshot at this check time (idempotent)."""
    wanted = snapshots.units_needing(Unit.objects.filter(active=True))
    runs = [SnapshotRun(unit_id=pk, due_at=due_at) for pk in wanted]
    return len(SnapshotRun.objects.bulk_create(runs, ignore_conflicts=True))


def take_due_snapshots(now=None, limit: int = PER_PASS) -> int:
    """Schedule the latest check time's runs, drop runs a later check time made stale, and
    build the due ones; returns how many snapshots were taken."""
    now = now or timezone.now()
    since = last_check_time(now)
    schedule(since)
    SnapshotRun.objects.filter(done_at=None, due_at__lt=since).update(done_at=now)
    due = SnapshotRun.objects.filter(done_at=None, due_at__lte=now)
    started = timezone.now()
    return sum(_build(run, now, started) for run in claim(due, worker_id(), now, limit))


def _build(run: SnapshotRun, now, started) -> int:
    try:
        with transaction.atomic():
            unit = Unit.objects.select_related("principal").get(pk=run.unit_id)
            at = now + (timezone.now() - started)  # a long pass stamps each unit when read
            taken = snapshots.take(unit, at, reason=run.reason)
            SnapshotRun.objects.filter(pk=run.pk).update(done_at=at, snapshot=taken)
        return 1
    except Exception:  # noqa: BLE001 - one unit's failure must not stop the other units
        log.exception("snapshot of unit %s failed", run.unit_id)
        release(run)
        return 0
