"""The check-time rush: at 08:00 every unit opens its worklist. 200 users of 200 different units
load the worklist page at once over HTTP (gunicorn), while 200 authenticated pings are fired in
the same run; prints p95 of both and their ratio.

Usage: python bench/rush_bench.py [--users 200] [--port 8797] [--workers 4]. Uses DATABASE_URL
(run los_bench.py first to fill it). Where the directory has fewer units than users, bench
units are added to the municipalities, each taking part in up to 40 of its open stays with the
stay's admission notice delivered, so every worklist has rows to show."""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from _django import ROOT, setup
from los_bench import percentile

setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402

from samverkan.api.models import ApiToken  # noqa: E402
from samverkan.cases.clock import next_check_time  # noqa: E402
from samverkan.cases.models import Case, Delivery, Message, Participant  # noqa: E402
from samverkan.directory.models import Membership, Principal, Unit  # noqa: E402

STAYS_PER_BENCH_UNIT = 40


def bench_units(needed: int) -> list[Unit]:
    """`needed` units that take part in stays: the directory's, then bench units."""
    units = list(Unit.objects.filter(active=True).order_by("pk"))
    return (units + [bench_unit(i) for i in range(len(units), needed)])[:needed]


def bench_unit(i: int) -> Unit:
    """Bänkenhet i of a municipality, taking part in up to 40 of its stays in progress: a
    municipal unit of real size."""
    municipalities = list(Principal.objects.filter(kind="municipality").order_by("code"))
    owner = municipalities[i % len(municipalities)]
    unit, made = Unit.objects.get_or_create(
        hsa_id=f"SE0000000000-BENCH{i:04d}",
        defaults={
            "principal": owner,
            "municipality": owner,
            "name": f"Bänkenhet {i}",
            "kind": "home_health_care",
        },
    )
    if made:
        _take_part(unit, owner)
    return unit


def _take_part(unit: Unit, owner: Principal) -> None:
    stays = Case.objects.filter(state__in=Case.IN_PROGRESS, patient__registered_municipality=owner)
    stays = list(stays.order_by("-admitted_at")[:STAYS_PER_BENCH_UNIT])
    Participant.objects.bulk_create(
        [Participant(case=c, unit=unit, role="municipality") for c in stays],
        ignore_conflicts=True,
    )
    notices = Message.objects.filter(case__in=stays, kind="admission_notice")
    Delivery.objects.bulk_create(
        [
            Delivery(
                message=m,
                unit=unit,
                sent_at=m.occurred_at,
                ack_due_at=next_check_time(m.occurred_at),
            )
            for m in notices
        ]
    )


def session_cookie(unit: Unit, i: int) -> str:
    """A logged-in session (database sessions, shared with the server) for a staff member."""
    user, _ = User.objects.get_or_create(
        username=f"rush.{i:03d}", defaults={"first_name": "Rusning"}
    )
    Membership.objects.get_or_create(user=user, unit=unit, defaults={"role": "staff"})
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def start_server(port: int, workers: int) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    args = [gunicorn, "samverkan.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    env = {**os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(200):
        try:
            get(port, "/logga-in/", {})
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def get(port: int, path: str, headers: dict) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    began = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, (time.perf_counter() - began) * 1000


def rush(port: int, requests: list[tuple[str, str, dict]]) -> dict[str, list[float]]:
    """Fire every request at once (threads released together); times per kind."""
    times: dict[str, list[float]] = {}
    gate = threading.Barrier(len(requests))
    lock = threading.Lock()

    def one(kind, path, headers):
        gate.wait()
        status, ms = get(port, path, headers)
        if status != 200:
            raise RuntimeError(f"{path}: {status}")
        with lock:
            times.setdefault(kind, []).append(ms)

    threads = [threading.Thread(target=one, args=r) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    units = bench_units(args.users)
    cookies = [session_cookie(u, i) for i, u in enumerate(units)]
    token = ApiToken.issue(Membership.objects.filter(unit=units[0]).first(), "rush")[1]
    open_cases = Case.objects.filter(state__in=Case.IN_PROGRESS).count()
    print(f"cases: {Case.objects.count()}, in progress: {open_cases}, units: {len(units)}")
    server = start_server(args.port, args.workers)
    try:
        pages = [("worklist", "/", {"Cookie": f"sessionid={c}"}) for c in cookies]
        pings = [("ping", "/api/v1/ping", {"Authorization": f"Bearer {token}"})] * args.users
        rush(args.port, pages[:8] + pings[:8])  # warm every worker
        times = rush(args.port, [r for pair in zip(pages, pings, strict=True) for r in pair])
    finally:
        server.terminate()
        server.wait()
    for kind in ("worklist", "ping"):
        ms = times[kind]
        print(
            f"{kind:<9} n={len(ms)}  p50={statistics.median(ms):8.1f} ms  "
            f"p95={percentile(ms, 95):8.1f} ms  max={max(ms):8.1f} ms"
        )
    ratio = percentile(times["worklist"], 95) / percentile(times["ping"], 95)
    print(f"p95 worklist / p95 ping = {ratio:.2f}")


if __name__ == "__main__":
    main()
