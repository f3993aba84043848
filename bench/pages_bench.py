"""Server time of the worklist and case pages (template rendering included), in-process with
Django's test client, against the database in DATABASE_URL (or var/bench.sqlite3).

Usage: python bench/pages_bench.py [--requests R]. Run bench/los_bench.py first to fill the
database to the size wanted. Prints p50/p95 per page and the queries each page used."""

import argparse
import statistics
import time

from _django import setup

setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from samverkan.cases.models import Case  # noqa: E402

USERS = ["karlskrona.handlaggare", "avd.sjukskoterska", "vc.sjukskoterska"]


def client_for(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def measure(client, urls):
    times, queries = [], []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured.captured_queries))
    return times, queries


def report(name, times, queries):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"{name:<38} n={len(times):<4} p50={statistics.median(times):7.1f} ms  "
        f"p95={p95:7.1f} ms  queries={min(queries)}–{max(queries)}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    print(f"database: {connection.vendor}, cases: {Case.objects.count()}")
    for username in USERS:
        client = client_for(username)
        unit = User.objects.get(username=username).memberships.first().unit
        report(f"worklist page, {unit.name}", *measure(client, ["/"] * args.requests))
        cases = list(
            Case.objects.filter(participants__unit=unit, participants__active=True).values_list(
                "public_id", flat=True
            )[: args.requests]
        )
        if cases:
            urls = [f"/arenden/{cases[i % len(cases)]}/" for i in range(args.requests)]
            report(f"case page, {unit.name}", *measure(client, urls))


if __name__ == "__main__":
    main()
