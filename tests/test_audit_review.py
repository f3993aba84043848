"""Log review: unit admins see their unit, system admins all; filters, CSV; the review logged."""

import csv
import io
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.directory.actor import Actor

from .helpers import events, text


def actor(user):
    return Actor(user=user, membership=user.memberships.get(), ip="10.0.0.1")


def seed_events(world):
    record(actor(world.ward_staff), "patient.read", patient=world.patient)
    record(actor(world.b_staff), "patient.read", patient=world.protected)


def test_unit_admin_sees_own_unit_and_the_review_is_logged(as_user, world):
    seed_events(world)
    response = as_user(world.ward_admin).get(reverse("audit_review"))
    body = text(response)
    assert response.status_code == 200 and "19400104-2383" in body and "ward_staff" in body
    assert "b_staff" not in body
    assert events("audit.review", user=world.ward_admin).exists()


def test_sysadmin_sees_all_and_filters(as_user, world):
    seed_events(world)
    client = as_user(world.sysadmin)
    assert "b_staff" in text(client.get(reverse("audit_review")))
    posted = client.post(reverse("audit_review"), {"patient": "19400107-9120"})
    assert posted.status_code == 302 and "1940" not in posted.url and "person=vald" in posted.url
    body = text(client.get(posted.url))
    assert "b_staff" in body and "ward_staff</td>" not in body
    assert events("audit.review").first().detail == {"patient": "194001079120"}
    body = text(client.get(reverse("audit_review"), {"user": "ward_staff"}))
    assert "19400104-2383" in body and "19400107-9120" not in body


def test_period_filter(as_user, world):
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        record(actor(world.ward_staff), "patient.read", patient=world.protected)
    record(actor(world.ward_staff), "patient.read", patient=world.patient)
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = text(as_user(world.ward_admin).get(reverse("audit_review"), {"date_from": since}))
    assert "19400104-2383" in body and "19400107-9120" not in body


def test_bad_filters_are_named(as_user, world):
    client = as_user(world.ward_admin)
    response = client.get(client.post(reverse("audit_review"), {"patient": "1234"}).url)
    assert response.status_code == 400 and "Okänt format" in text(response)
    response = client.get(
        reverse("audit_review"), {"date_from": "2026-02-02", "date_to": "2026-01-01"}
    )
    assert response.status_code == 400 and "Slutdatum" in text(response)
    assert not events("audit.review").exists()


def test_csv_export_reads_back(as_user, world):
    seed_events(world)
    response = as_user(world.sysadmin).get(reverse("audit_export"), {"user": "ward_staff"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "tid" and len(rows) == 2
    assert rows[1][1] == "ward_staff" and rows[1][4] == "Läsning av personuppgifter"
    assert rows[1][5] == "19400104-2383" and rows[1][3] == "Personal"
    assert events("audit.export", user=world.sysadmin).exists()


def test_others_get_403_and_wrong_method(as_user, world):
    assert as_user(world.ward_staff).get(reverse("audit_review")).status_code == 403
    assert as_user(world.analyst).get(reverse("audit_export")).status_code == 403
    assert as_user(world.ward_admin).put(reverse("audit_review")).status_code == 405
