"""LOS benchmark: API intake rate vs the trivial endpoint, and worklist times, at a given size.

Usage: python bench/los_bench.py --cases N [--requests R]. Uses DATABASE_URL, or
var/bench.sqlite3. Generates synthetic cases until the database holds N."""

import argparse
import http.client
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from _django import ROOT, setup

setup()

from django.core.management import call_command  # noqa: E402

from samverkan.api.models import ApiToken  # noqa: E402
from samverkan.cases.models import Case  # noqa: E402
from samverkan.cases.worklist import worklist  # noqa: E402
from samverkan.directory.actor import Actor  # noqa: E402
from samverkan.directory.models import Membership, Principal, Unit  # noqa: E402
from samverkan.patients.models import Patient  # noqa: E402


def prepare(cases: int) -> None:
    call_command("migrate", verbosity=0)
    if not Principal.objects.exists():
        call_command("seed_demo", patients=0, stdout=io.StringIO())
    missing = cases - Case.objects.count()
    if missing > 0:
        print(f"generating {missing} cases …", flush=True)
        call_command("generate_synthetic", cases=missing, seed=Case.objects.count() + 1)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def timed(fn, n):
    times = []
    for _ in range(n):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return times


def describe(name, ms):
    return (
        f"{name:<34} n={len(ms):<5} p50={statistics.median(ms):7.2f} ms  "
        f"p95={percentile(ms, 95):7.2f} ms  rate={1000 * len(ms) / sum(ms):8.1f}/s"
    )


class Server:
    def __init__(self, port):
        env = {**os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
        self.proc = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "samverkan.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                self.conn.connect()
                # no Nagle delay: small requests would otherwise wait for delayed ACKs
                self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.conn.request("GET", "/logga-in/")
                self.conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def call(self, method, path, token, body=None):
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if method == "POST":
            headers["Idempotency-Key"] = str(uuid.uuid4())
        self.conn.request(method, path, json.dumps(body) if body else None, headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:200]!r}")
        return json.loads(data)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def free_patients(n):
    busy = Case.objects.exclude(state="closed").values("patient_id")
    return list(Patient.objects.exclude(pk__in=busy).values_list("identity", flat=True)[:n])


def token(username, unit_kind=None):
    membership = Membership.objects.select_related("unit").filter(user__username=username).first()
    return ApiToken.issue(membership, "bench")[1]


def bench_http(server, n):
    ward = token("avd.sjukskoterska")
    muni = token("karlskrona.handlaggare")
    timed(lambda: server.call("GET", "/api/v1/ping", ward), 20)  # warm up both workers
    ping = timed(lambda: server.call("GET", "/api/v1/ping", ward), n)
    identities = iter(free_patients(n))

    def admission():
        case = server.call("POST", "/api/v1/cases", ward, {"identity": next(identities)})
        server.call(
            "POST",
            f"/api/v1/cases/{case['id']}/admission-notice",
            ward,
            {"version": case["version"], "expected_discharge_date": "2026-12-31"},
        )

    admissions = timed(admission, n)
    lists = timed(lambda: server.call("GET", "/api/v1/worklist", muni), n)
    return ping, admissions, lists


def bench_in_process(n):
    kinds = ["needs_assessment", "ward_somatic", "primary_care"]
    units = list(Unit.objects.filter(kind__in=kinds, memberships__isnull=False).distinct())
    times = []
    for i in range(n):
        unit = units[i % len(units)]
        members = Membership.objects.select_related("user", "unit__principal")
        someone = members.filter(unit=unit).first()
        began = time.perf_counter()
        len(worklist(Actor(user=someone.user, membership=someone)))
        times.append((time.perf_counter() - began) * 1000)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    prepare(args.cases)
    from django.db import connection

    print(
        f"database: {connection.vendor}, cases: {Case.objects.count()}, "
        f"open: {Case.objects.exclude(state='closed').count()}"
    )
    server = Server(args.port)
    try:
        ping, admissions, lists = bench_http(server, args.requests)
    finally:
        server.stop()
    inproc = bench_in_process(args.requests)
    print(describe("GET /ping (baseline)", ping))
    print(describe("admission (case + notice), 1 call", admissions))
    print(describe("GET /worklist (municipality)", lists))
    print(describe("worklist() server time, 3 kinds", inproc))
    ping_rate = 1000 * len(ping) / sum(ping)
    admission_rate = 1000 * len(admissions) / sum(admissions)
    print(
        f"intake: {admission_rate:.1f} admissions/s; admission rate / ping rate = "
        f"{admission_rate / ping_rate:.2f} (target 0.50)"
    )


if __name__ == "__main__":
    main()
