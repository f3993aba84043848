"""Opening a case for a stay (API): ward or ED, look-up logged, one open case per person."""

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.cases.models import Case
from samverkan.testing import PNR_A, PNR_NEW

from .helpers import events


def test_ward_opens_a_case(api, world):
    response = api.post(world.ward_staff, "/cases", {"identity": PNR_A})
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "admitted" and body["patient"]["identity"] == "19400104-2383"
    assert body["clocks"]["notice_overdue"] is False and body["version"] == 1
    case = Case.objects.get()
    assert case.ward == world.ward and case.participants.get().role == "responsible"
    assert events("patient.lookup").exists() and events("case.open", patient=world.patient)


def test_unknown_person_is_registered_with_names(api, world):
    response = api.post(
        world.ed_staff, "/cases", {"identity": PNR_NEW, "given_name": "Ny", "family_name": "Person"}
    )
    assert response.status_code == 201 and response.json()["patient"]["name"] == "Ny Person"
    response = api.post(world.ward_staff, "/cases", {"identity": "19400127-9050"})
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "identity",
        "rule": "not_found",
        "message": "Personen finns inte: ange namn för att registrera personen.",
    }


def test_bad_identity_and_future_admission_change_nothing(api, world):
    response = api.post(world.ward_staff, "/cases", {"identity": "19400104-2384"})
    assert response.status_code == 400 and response.json()["errors"][0]["rule"] == "checksum"
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    response = api.post(world.ward_staff, "/cases", {"identity": PNR_A, "admitted_at": future})
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "admitted_at",
        "rule": "future",
        "message": "Tidpunkten får inte ligga i framtiden.",
    }
    assert not Case.objects.exists()


def test_a_second_open_case_is_a_conflict(api, world):
    api.post(world.ward_staff, "/cases", {"identity": PNR_A})
    response = api.post(world.ed_staff, "/cases", {"identity": PNR_A})
    assert response.status_code == 409 and Case.objects.count() == 1


@pytest.mark.parametrize("who", ["pcc_staff", "a_staff", "ward_reader", "analyst"])
def test_others_may_not_open(api, world, who):
    assert api.post(getattr(world, who), "/cases", {"identity": PNR_A}).status_code == 403
    assert not Case.objects.exists()


def test_reading_a_case(api, world):
    case_id = api.post(world.ward_staff, "/cases", {"identity": PNR_A}).json()["id"]
    assert api.get(world.ward_reader, f"/cases/{case_id}").status_code == 200
    assert events("case.read", user=world.ward_reader).exists()
    for outsider in (world.b_staff, world.other_ward_staff, world.a_staff):
        assert api.get(outsider, f"/cases/{case_id}").status_code == 404
    assert api.post(world.ward_staff, f"/cases/{case_id}", method="PUT").status_code == 405
    listed = api.get(world.ward_staff, "/cases").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == case_id
    assert api.get(world.b_staff, "/cases").json()["count"] == 0


def test_admission_event_opens_and_notifies_in_one_call(api, world):
    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    body = {"identity": PNR_A, "send_notice": True, "expected_discharge_date": soon}
    response = api.post(world.ward_staff, "/cases", body)
    assert response.status_code == 201
    notice = response.json()["messages"][0]
    assert notice["kind"] == "admission_notice" and len(notice["deliveries"]) == 2
    response = api.post(
        world.ward_staff, "/cases", {"identity": "19400107-9120", "send_notice": True}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "expected_discharge_date"
    assert Case.objects.count() == 1  # nothing half-written
