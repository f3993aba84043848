"""Downtime snapshots: regenerating every unit's snapshot (as the worker does at a check time)
against one unit's snapshot × the number of units, measured in the same run.

Usage: python bench/snapshot_bench.py [--cases N] [--repeat R] [--quick]. Uses DATABASE_URL, or
var/bench.sqlite3; --cases fills the database first (as los_bench.py does). Every unit gets a
bench passphrase, so each snapshot is rendered (WeasyPrint) and encrypted (pikepdf) as in
production. The snapshots it writes stay (the newest per unit keeps its PDF)."""

import argparse
import os
import statistics
import time

from _django import setup

setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from samverkan.cases.clock import last_check_time  # noqa: E402
from samverkan.cases.models import Case, Participant  # noqa: E402
from samverkan.directory.models import Unit  # noqa: E402
from samverkan.downtime import snapshot as snapshots  # noqa: E402
from samverkan.downtime.jobs import take_due_snapshots  # noqa: E402
from samverkan.downtime.models import Passphrase, SnapshotRun  # noqa: E402
from samverkan.downtime.secrets import seal  # noqa: E402

REGION_CASES = 100_000  # the one-minute target is the region's (about 30,000 stays)


def keyed_units() -> list[Unit]:
    """Every unit needing a snapshot, each with a bench passphrase."""
    ids = snapshots.units_needing(Unit.objects.filter(active=True))
    user, _ = User.objects.get_or_create(username="bench.downtime")
    sealed, now = seal("bänk-lösenfras-för-mätning"), timezone.now()
    have = set(Passphrase.objects.values_list("unit_id", flat=True))
    Passphrase.objects.bulk_create(
        [
            Passphrase(unit_id=pk, sealed=sealed, set_by=user, set_at=now)
            for pk in ids
            if pk not in have
        ]
    )
    return list(Unit.objects.filter(pk__in=ids).select_related("principal"))


def one(unit) -> tuple[float, float, int, int, int]:
    """Seconds for the data and for the whole snapshot, queries, cases, PDF bytes."""
    now = timezone.now()
    began = time.perf_counter()
    entries, contacts = snapshots.collect(unit, now)
    data = time.perf_counter() - began
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        taken = snapshots.take(unit, now)
        whole = time.perf_counter() - began
    return data, whole, len(captured.captured_queries), taken.cases, len(taken.pdf or b"")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=0, help="fill the database to N cases first")
    parser.add_argument("--repeat", type=int, default=3, help="times one unit is measured")
    parser.add_argument(
        "--quick", action="store_true", help="national size: the median unit once, no sample"
    )
    args = parser.parse_args()
    if args.cases:
        from los_bench import prepare

        prepare(args.cases)
    print(f"database: {connection.vendor}, {Case.objects.count()} cases", flush=True)
    units = keyed_units()
    sizes = {u.pk: 0 for u in units}
    open_ = Participant.objects.filter(active=True, case__state__in=snapshots.OPEN_STATES)
    for pk, n in open_.values_list("unit").annotate(n=Count("id")):
        if pk in sizes:
            sizes[pk] = n
    ordered = sorted(units, key=lambda u: sizes[u.pk])
    median, busiest = ordered[len(ordered) // 2], ordered[-1]
    print(
        f"units needing a snapshot: {len(units)}; open cases per unit: median "
        f"{sizes[median.pk]}, largest {sizes[busiest.pk]}, total {sum(sizes.values())}"
    )
    rows = {}
    measured = [("median unit", median)] + ([] if args.quick else [("largest unit", busiest)])
    for label, unit in measured:
        runs = [one(unit) for _ in range(1 if args.quick else args.repeat)]
        rows[label] = [statistics.median(r[i] for r in runs) for i in range(5)]
        d, w, q, c, b = rows[label]
        print(
            f"one snapshot, {label} ({unit.name}, {c} cases): data {d * 1000:.0f} ms, "
            f"whole {w * 1000:.0f} ms, {q:.0f} queries, PDF {b / 1024:.0f} KiB",
            flush=True,
        )
    per_unit = rows["median unit"][1]
    if not args.quick:  # a sample of ten across the sizes
        per_unit = statistics.mean(one(u)[1] for u in ordered[:: max(1, len(ordered) // 10)])
        print(f"one snapshot, mean of a sample across sizes: {per_unit * 1000:.0f} ms")
    now = timezone.now()
    SnapshotRun.objects.filter(due_at=last_check_time(now)).delete()  # measure it afresh
    began, cpu = time.perf_counter(), time.process_time()
    taken = 0
    while True:  # the worker's job, pass after pass until every unit is done
        done = take_due_snapshots(timezone.now(), limit=len(units))
        taken += done
        if not done:
            break
    every, cpu = time.perf_counter() - began, time.process_time() - cpu
    expected = per_unit * len(units)
    median_x = rows["median unit"][1] * len(units)
    print(
        f"every unit ({taken} snapshots, the worker's job): {every:.1f} s wall, {cpu:.1f} s "
        f"CPU of this process; one × units = {expected:.1f} s (sample mean), "
        f"{median_x:.1f} s (median unit); ratio {every / expected:.2f}"
    )
    print(f"load average after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if Case.objects.count() <= REGION_CASES:
        print(f"target for a region: under 60 s -> {'met' if every < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
