"""Server time of the ward overview (Inneliggande) page for every ward, in-process with Django's
test client (template rendering and audit included), against the trivial authenticated
GET /api/v1/ping in the same run; and the overview's queries with their plans.

Usage: python bench/ward_bench.py [--requests R] [--explain]. Fill the database first with
bench/los_bench.py (or manage.py generate_synthetic). Uses DATABASE_URL, or var/bench.sqlite3.
The generator's wards hold ~10 times the in-patients of a real ward, so the run also makes one
ward of --beds in-patients (taken over from the busiest ward) and measures it apart."""

import argparse
import itertools
import statistics
import time

from _django import setup

setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from samverkan.api.models import ApiToken  # noqa: E402
from samverkan.cases.models import Case, Participant  # noqa: E402
from samverkan.cases.overview import IN_PATIENT, in_patients, ward_overview  # noqa: E402
from samverkan.directory.actor import Actor  # noqa: E402
from samverkan.directory.middleware import SESSION_KEY  # noqa: E402
from samverkan.directory.models import WARD_KINDS, Membership, Unit  # noqa: E402


def ward_staff(ward) -> Membership:
    """A staff member of the ward: the demo's, or a bench user made for it."""
    staff = Membership.objects.filter(unit=ward, role="staff")
    found = staff.select_related("user", "unit__principal").first()
    if found:
        return found
    user, _ = User.objects.get_or_create(username=f"bench.{ward.hsa_id.lower()}")
    return Membership.objects.create(user=user, unit=ward, role="staff")


def sized_ward(beds: int) -> Unit:
    """A ward of a real size (Blekinge: ~400 beds in ~20 wards): the generator's wards hold
    ten times more in-patients. Takes `beds` in-patients over from the busiest ward."""
    region = Unit.objects.filter(kind__in=WARD_KINDS).first().principal
    ward, made = Unit.objects.get_or_create(
        hsa_id=f"BENCH-WARD-{beds}",
        defaults={
            "name": f"Bänkavdelning {beds} platser",
            "kind": "ward_somatic",
            "principal": region,
        },
    )
    if made:
        busiest = Case.objects.filter(state__in=IN_PATIENT).values("ward").annotate(n=Count("id"))
        source = busiest.order_by("-n")[0]["ward"]
        moved = list(
            Case.objects.filter(ward=source, state__in=IN_PATIENT).values_list("pk", flat=True)[
                :beds
            ]
        )
        Participant.objects.filter(case__in=moved, unit=source).update(unit=ward)
        Case.objects.filter(pk__in=moved).update(ward=ward)
    return ward


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def timed(call, n):
    """n timings, then the queries of one more call (counted apart: the debug cursor that
    counts them costs time of its own)."""
    times = []
    for _ in range(n):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as captured:
        call()
    return times, [len(captured.captured_queries)]


def describe(name, times, queries):
    print(
        f"{name:<44} n={len(times):<4} p50={statistics.median(times):7.1f} ms  "
        f"p95={percentile(times, 95):7.1f} ms  queries={min(queries)}–{max(queries)}"
    )


def page_call(membership, urls=("/inneliggande/",)):
    """A call that GETs the next of `urls` (in turn) as the membership's user."""
    client, turn = Client(), itertools.cycle(urls)
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = str(membership.public_id)
    session.save()

    def call():
        url = next(turn)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return call


def ping_call(membership):
    client, token = Client(), ApiToken.issue(membership, "bench")[1]

    def call():
        response = client.get("/api/v1/ping", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, response.status_code

    return call


def explain(membership):
    actor, now = Actor(user=membership.user, membership=membership), timezone.now()
    cases = in_patients(actor)
    print(cases.explain(analyze=True) if connection.vendor == "postgresql" else cases.explain())
    rows = ward_overview(actor, now)
    print(f"rows: {len(rows)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--beds", type=int, default=25, help="the size of the real-sized ward")
    args = parser.parse_args()
    real = sized_ward(args.beds)
    wards = list(Unit.objects.filter(kind__in=WARD_KINDS).exclude(pk=real.pk).order_by("name"))
    patients = {w.pk: Case.objects.filter(ward=w, state__in=IN_PATIENT).count() for w in wards}
    print(
        f"database: {connection.vendor}, cases: {Case.objects.count()}, "
        f"in-patients per ward: {min(patients.values())}–{max(patients.values())}"
    )
    members = {w.pk: ward_staff(w) for w in wards}
    busiest = max(wards, key=lambda w: patients[w.pk])
    per_ward = max(1, args.requests // len(wards))
    page_times, page_queries = [], []
    for ward in wards:
        call = page_call(members[ward.pk])
        call()  # warm up: templates compiled, connection open
        t, q = timed(call, per_ward)
        page_times += t
        page_queries += q
    ping = ping_call(members[busiest.pk])
    ping()
    ping_times, ping_queries = timed(ping, args.requests)
    actor = Actor(user=members[busiest.pk].user, membership=members[busiest.pk])
    inner = timed(lambda: ward_overview(actor, timezone.now(), "klar"), args.requests)
    describe("GET /api/v1/ping (baseline)", ping_times, ping_queries)
    describe(f"GET /inneliggande/, {len(wards)} wards", page_times, page_queries)
    describe(f"ward_overview(), {busiest.name} ({patients[busiest.pk]})", *inner)
    real_staff = ward_staff(real)
    real_page = page_call(real_staff)
    real_page()
    rows = Case.objects.filter(ward=real, state__in=IN_PATIENT).count()
    real_times, real_queries = timed(real_page, args.requests)
    describe(f"GET /inneliggande/, {real.name} ({rows})", real_times, real_queries)
    ping95 = percentile(ping_times, 95)
    print(
        f"p95 / ping p95: generated wards {percentile(page_times, 95) / ping95:.1f}, "
        f"real-sized ward {percentile(real_times, 95) / ping95:.1f} (target: page p95 < 50 ms)"
    )
    if args.explain:
        explain(members[busiest.pk])


if __name__ == "__main__":
    main()
