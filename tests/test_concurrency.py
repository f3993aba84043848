"""Two writers at once: one version wins and the other gets a clear conflict; two repeats of one
Idempotency-Key make one case. Runs with real threads and commits on both databases."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from samverkan.cases.models import Case, Message
from samverkan.cases.testing import notified
from samverkan.testing import PNR_A, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def together(calls):
    """Run the calls at the same moment in threads; return their results."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_same_version_twice_one_wins(api):
    world = build_world()
    case = notified(world)
    api.token(world.ward_staff)
    body = {"version": case.version}

    def post(date):
        from django.test import Client

        from conftest import ApiClient

        other = ApiClient(Client())
        other.tokens = api.tokens
        return other.post(
            world.ward_staff,
            f"/cases/{case.public_id}/expected-discharge",
            {**body, "expected_discharge_date": date},
        ).status_code

    dates = [(timezone.localdate() + timedelta(days=n)).isoformat() for n in (20, 21)]
    codes = together([lambda: post(dates[0]), lambda: post(dates[1])])
    assert sorted(codes) == [200, 409]
    assert Message.objects.filter(kind="expected_date").count() == 1
    assert Case.objects.get().version == case.version + 1


def test_one_key_sent_twice_at_once_makes_one_case(api):
    world = build_world()
    api.token(world.ward_staff)
    key = str(uuid.uuid4())

    def post():
        from django.test import Client

        from conftest import ApiClient

        other = ApiClient(Client())
        other.tokens = api.tokens
        return other.post(world.ward_staff, "/cases", {"identity": PNR_A}, key=key).status_code

    codes = together([post, post])
    assert Case.objects.count() == 1
    assert codes.count(201) >= 1 and set(codes) <= {201, 409}


def test_two_registrations_of_one_new_person_make_one(api):
    """Found: two requests registering the same new person at once gave a 500."""
    from django.test import Client

    from conftest import ApiClient
    from samverkan.patients.models import Patient
    from samverkan.testing import PNR_NEW

    world = build_world()
    for user in (world.a_staff, world.b_staff):
        api.token(user)
    body = {
        "identity": PNR_NEW,
        "hospital_unit": "TEST-ed",
        "consent": True,
        "health_status": "Fallit",
        "contact": "HSL",
        "given_name": "Ny",
        "family_name": "Person",
    }

    def post(user):
        other = ApiClient(Client())
        other.tokens = api.tokens
        return other.post(user, "/care-requests", body).status_code

    statuses = together([lambda: post(world.a_staff), lambda: post(world.b_staff)])
    assert Patient.objects.filter(identity=PNR_NEW.replace("-", "")).count() == 1
    assert all(s in (201, 400) for s in statuses) and 201 in statuses, statuses
