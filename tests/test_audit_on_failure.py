"""Every read and attempted read of personal data is logged, also when the request fails and
its transaction rolls back (found by the independent test: a ward could learn unlogged whether
someone is in hospital)."""

from django.urls import reverse

from samverkan.cases.testing import opened
from samverkan.testing import PNR_A, PNR_NEW

from .helpers import events


def test_a_look_up_ending_in_not_found_is_logged(api, world):
    response = api.post(world.ward_staff, "/cases", {"identity": PNR_NEW})
    assert response.status_code == 400 and response.json()["errors"][0]["rule"] == "not_found"
    lookup = events("patient.lookup", user=world.ward_staff).get()
    assert lookup.detail["found"] is False and lookup.detail["failed"] == 400


def test_a_look_up_ending_in_already_open_is_logged(api, world):
    opened(world)
    response = api.post(world.other_ward_staff, "/cases", {"identity": PNR_A})
    assert response.status_code in (400, 409)
    lookup = events("patient.lookup", user=world.other_ward_staff).get()
    assert lookup.patient == world.patient and lookup.detail["failed"] == response.status_code


def test_a_refused_page_form_keeps_its_reads(as_user, world):
    """The person edit form: shown (a read) also when the change is refused."""
    client = as_user(world.ward_staff)
    client.post(reverse("patient_lookup"), {"identity": PNR_A})
    page = reverse("patient_edit", args=[world.patient.public_id])
    assert client.get(page).status_code == 200
    assert events("patient.read", user=world.ward_staff).count() == 1
    response = client.post(page, {"given_name": "", "family_name": "", "version": 1})
    assert response.status_code == 400
    assert events("patient.read", user=world.ward_staff).count() == 2


def test_a_failed_write_leaves_no_write_event(api, world):
    case = opened(world)
    body = {"version": case.version + 5, "text": "?"}
    assert api.post(world.ward_staff, f"/cases/{case.public_id}/questions", body).status_code == 409
    assert not events("case.question").exists()


def test_an_outsider_trying_a_real_case_id_is_logged_with_the_person(as_user, world):
    """A 404 says nothing to the outsider, and the log names whose data was tried."""
    case = opened(world)
    url = reverse("case_detail", args=[case.public_id])
    assert as_user(world.b_staff).get(url).status_code == 404
    tried = events("access.refused", user=world.b_staff).get()
    assert tried.patient == world.patient and tried.detail["page"] == "case.read"
    assert not events("case.read", user=world.b_staff).exists()


def test_an_unknown_id_is_logged_without_a_person(api, world):
    response = api.get(world.b_staff, "/cases/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert events("access.refused", user=world.b_staff).get().patient is None
