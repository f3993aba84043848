"""FHIR benchmark: admission messages per second through POST /fhir/R4/$process-message against
a trivial authenticated write through the same stack in the same run (bench_urls.py: token,
idempotency record, one insert, one audit row), the statements each makes, and the replay of
--replay messages (stays of test persons) queued by the record system during a downtime.

Usage: python bench/fhir_bench.py [--requests 200] [--replay 10000] [--clients 2]. Uses
DATABASE_URL, or var/bench.sqlite3; adds test persons (Skatteverket's list) when too few are
free. The server is gunicorn with 2 workers, as in los_bench.py."""

import argparse
import http.client
import io
import json
import os
import random
import socket
import threading
import time
from collections import Counter
from datetime import timedelta

os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"  # the app's settings + the baseline
from _django import ROOT, setup  # noqa: E402

setup()
paths = [str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, paths))  # for gunicorn's workers

from bench_urls import TRIVIAL_WRITE  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from los_bench import Server, describe, timed  # noqa: E402

from samverkan.cases.models import Case  # noqa: E402
from samverkan.cases.synthetic import ensure_patients  # noqa: E402
from samverkan.directory.models import Principal  # noqa: E402
from samverkan.fhir import demo  # noqa: E402
from samverkan.fhir.profile import FHIR_JSON  # noqa: E402
from samverkan.fhir.simulate import Stream, next_message, plan  # noqa: E402
from samverkan.patients.models import Patient  # noqa: E402

PROCESS = "/fhir/R4/$process-message"


def prepare(free: int):
    call_command("migrate", verbosity=0)
    if not Principal.objects.exists():
        call_command("seed_demo", patients=0, cases=0, stdout=io.StringIO())
    membership = demo.seed_integration()
    if len(demo.people(free)) < free:
        print(f"adding test persons for {free} free …", flush=True)
        ensure_patients(random.Random(16), free + Patient.objects.count(), timezone.localdate(), 1)
    return membership


def connect(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.connect()
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def post_fhir(conn, token, message, *, strict=True) -> str:
    """The acknowledgement's code (and the first issue's text unless ok)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": FHIR_JSON}
    conn.request("POST", PROCESS, json.dumps(message), headers)
    response = conn.getresponse()
    body = json.loads(response.read())
    code = body["entry"][0]["resource"]["response"]["code"]
    if response.status != 200:
        issue = body["entry"][1]["resource"]["issue"][0]
        code = f"{response.status} {code}: {issue['expression'][0]} {issue['diagnostics']}"
        if strict:
            raise RuntimeError(code)
    return code


def admissions(people, ward, physician):
    rng = random.Random(1)
    return [next_message(plan(rng, p), ward, physician, timezone.now()) for p in people]


def statements(token, ward, physician, person) -> tuple[int, int]:
    """Statements of one trivial write and of one admission, in-process (the same stack)."""
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    with CaptureQueriesContext(connection) as trivial:
        client.post(TRIVIAL_WRITE, "{}", "application/json", HTTP_IDEMPOTENCY_KEY="q1", **auth)
    (message,) = admissions([person], ward, physician)
    with CaptureQueriesContext(connection) as admission:
        response = client.post(PROCESS, json.dumps(message), FHIR_JSON, **auth)
    assert response.status_code == 200, response.content
    return len(trivial), len(admission)


def replay_messages(people, ward, physician, count, downtime_hours=8):
    """What the record system queued during the downtime, each stay's messages in order."""
    stream = Stream(people, ward, physician, seed=2)
    start = timezone.now() - timedelta(hours=downtime_hours)
    step = timedelta(hours=downtime_hours) / count
    by_stay = {}
    for i in range(count):
        stay, message = stream.next(start + i * step, at_once=60)
        by_stay.setdefault(stay.encounter, []).append(message)
    return list(by_stay.values())


def replay(port, token, stays, clients):
    """Send every queued message again, `clients` connections, each stay on one of them."""
    results, lock = [], threading.Lock()

    def run(mine):
        conn = connect(port)
        for messages in mine:
            for message in messages:
                code = post_fhir(conn, token, message, strict=False)
                with lock:
                    results.append(code)

    threads = [threading.Thread(target=run, args=(stays[i::clients],)) for i in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - began, results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--replay", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--port", type=int, default=8798)
    args = parser.parse_args()
    membership = prepare(args.requests + 1 + args.replay // 4 + 100)  # ~5 messages a stay
    ward, physician = membership.unit.hsa_id, demo.physician_hsa(membership.unit)
    token = demo.issue_token(membership)
    people = demo.people(args.requests + 1 + args.replay // 4 + 100)
    print(f"database: {connection.vendor}, cases: {Case.objects.count()}, free: {len(people)}")
    trivial_q, admission_q = statements(token, ward, physician, people.pop())
    queued = admissions(people[: args.requests], ward, physician)
    later = people[args.requests :]
    server = Server(args.port)
    try:
        call = server.call
        timed(lambda: call("POST", TRIVIAL_WRITE, token, {"warm": 1}), 20)
        baseline = timed(lambda: call("POST", TRIVIAL_WRITE, token, {"n": 1}), args.requests)
        it = iter(queued)
        fhir = timed(lambda: post_fhir(server.conn, token, next(it)), args.requests)
        stays = replay_messages(later, ward, physician, args.replay) if args.replay else []
        seconds, codes = replay(args.port, token, stays, args.clients) if stays else (0, [])
    finally:
        server.stop()
    print(describe(f"trivial write ({trivial_q} statements)", baseline))
    print(describe(f"FHIR admission ({admission_q} statements)", fhir))
    base_rate, fhir_rate = (1000 * len(t) / sum(t) for t in (baseline, fhir))
    print(f"FHIR admission rate / trivial write rate = {fhir_rate / base_rate:.2f} (target 0.33)")
    if stays:
        ok = codes.count("ok")
        refused = Counter(c for c in codes if c != "ok")
        for reason, n in refused.most_common(5):
            print(f"  refused {n}×: {reason}")
        print(
            f"replay after downtime: {len(codes)} messages of {len(stays)} stays, {ok} ok, "
            f"{args.clients} clients, {seconds / 60:.1f} min ({len(codes) / seconds:.1f}/s)"
        )


if __name__ == "__main__":
    main()
