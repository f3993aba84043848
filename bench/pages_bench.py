"""Server time of the worklist and case pages (template rendering and audit included),
in-process with Django's test client, against the trivial authenticated GET /api/v1/ping in the
same run, on the database in DATABASE_URL (or var/bench.sqlite3).

Usage: python bench/pages_bench.py [--requests R] [--beds B]. Fill the database first with
bench/los_bench.py. Measures three demo users' units (the generator gives each about ten times
a real unit's stays), a ward of real size (B in-patients, made as bench/ward_bench.py does)
and a municipal unit of real size (40 stays in progress, made as bench/rush_bench.py does).
Prints p50/p95, the queries each page used and each p95 against the ping's."""

import argparse

from _django import setup

setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from rush_bench import bench_unit  # noqa: E402
from ward_bench import (  # noqa: E402
    describe,
    page_call,
    percentile,
    ping_call,
    sized_ward,
    timed,
    ward_staff,
)

from samverkan.cases.models import Case  # noqa: E402

REAL_SIZED_MUNICIPAL = 9000  # the bench unit's number (bench/rush_bench.py)

USERS = ["karlskrona.handlaggare", "avd.sjukskoterska", "vc.sjukskoterska"]


def memberships(beds):
    """The demo users' units (as generated), then a ward and a municipal unit of real size."""
    found = [User.objects.get(username=u).memberships.select_related("unit").first() for u in USERS]
    return found + [ward_staff(sized_ward(beds)), ward_staff(bench_unit(REAL_SIZED_MUNICIPAL))]


def case_urls(unit, n):
    active = Case.objects.filter(participants__unit=unit, participants__active=True)
    return [f"/arenden/{pk}/" for pk in active.values_list("public_id", flat=True)[:n]]


def measured(membership, urls, n):
    call = page_call(membership, urls)
    call()  # warm up: templates compiled, connection open
    return timed(call, n)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--beds", type=int, default=25, help="the size of the real-sized ward")
    args = parser.parse_args()
    print(f"database: {connection.vendor}, cases: {Case.objects.count()}")
    members = memberships(args.beds)
    ping = ping_call(members[0])
    ping()
    ping_times, ping_queries = timed(ping, args.requests)
    describe("GET /api/v1/ping (baseline)", ping_times, ping_queries)
    ping95 = percentile(ping_times, 95)
    for membership in members:
        unit = membership.unit
        pages = [("worklist", ["/"])]
        pages += [("case page", case_urls(unit, args.requests))] * (membership in members[:3])
        for name, urls in pages:
            if urls:
                times, queries = measured(membership, urls, args.requests)
                describe(f"{name}, {unit.name}", times, queries)
                print(f"{'':<44} p95 / ping p95 {percentile(times, 95) / ping95:.1f}")


if __name__ == "__main__":
    main()
