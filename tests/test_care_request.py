"""The care request from municipal care: opens a case (or joins the open one), is answered by
the ED, and the ward admits the patient."""

from samverkan.cases.models import Case
from samverkan.cases.testing import opened
from samverkan.patients.models import Patient
from samverkan.testing import PNR_A, PNR_NEW

from .helpers import events

REQUEST = {
    "identity": PNR_A,
    "hospital_unit": "TEST-ed",
    "consent": True,
    "health_status": "Feber sedan två dagar, förvirrad",
    "contact": "Hemsjukvården 0455-1",
    "medications": "Enligt bifogad lista",
    "adl": "Behöver hjälp vid förflyttning",
}


def test_home_care_sends_and_ed_answers_and_ward_admits(api, world):
    response = api.post(world.a_staff, "/care-requests", REQUEST)
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "requested" and body["ward"]["hsa_id"] == "TEST-ed"
    request = body["messages"][0]
    assert request["kind"] == "care_request" and request["data"]["consent"] is True
    assert events("case.care_request", user=world.a_staff).exists()
    worklist = api.get(world.ed_staff, "/worklist").json()
    assert worklist["counts"]["care_requests"] == 1
    response = api.post(
        world.ed_staff,
        f"/cases/{body['id']}/care-request-answer",
        {
            "version": body["version"],
            "care_request": request["id"],
            "text": "Mottagen, läggs in på avdelning.",
        },
    )
    assert response.status_code == 200
    assert api.get(world.ed_staff, "/worklist").json()["counts"]["care_requests"] == 0
    admit = {"version": response.json()["version"], "ward": "TEST-ward"}
    assert api.post(world.ward_staff, f"/cases/{body['id']}/admit", admit).status_code == 404
    response = api.post(world.ed_staff, f"/cases/{body['id']}/admit", {**admit, "ward": "TEST-pcc"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "ward"
    response = api.post(world.ed_staff, f"/cases/{body['id']}/admit", admit)
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "admitted" and body["ward"]["hsa_id"] == "TEST-ward"
    roles = {p["unit"]["hsa_id"]: p["role"] for p in body["participants"]}
    assert roles == {"TEST-ed": "other", "TEST-a_needs": "requester", "TEST-ward": "responsible"}


def test_joins_the_open_case(api, world):
    case = opened(world)
    response = api.post(world.a_staff, "/care-requests", REQUEST)
    assert response.json()["id"] == str(case.public_id) and Case.objects.count() == 1


def test_new_person_needs_names(api, world):
    response = api.post(world.a_staff, "/care-requests", {**REQUEST, "identity": PNR_NEW})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "given_name"
    response = api.post(
        world.a_staff,
        "/care-requests",
        {**REQUEST, "identity": PNR_NEW, "given_name": "Ny", "family_name": "P"},
    )
    assert response.status_code == 201
    assert Patient.objects.get(identity=PNR_NEW).registered_municipality == world.muni_a


def test_consent_and_content_are_required(api, world):
    response = api.post(world.a_staff, "/care-requests", {**REQUEST, "consent": False})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "consent"
    response = api.post(world.a_staff, "/care-requests", {**REQUEST, "health_status": " "})
    assert response.json()["errors"][0]["field"] == "health_status"
    response = api.post(world.a_staff, "/care-requests", {**REQUEST, "hospital_unit": "TEST-pcc"})
    assert response.json()["errors"][0]["field"] == "hospital_unit"
    assert not Case.objects.exists()


def test_only_municipal_staff_send(api, world):
    assert api.post(world.pcc_staff, "/care-requests", REQUEST).status_code == 403
    assert api.post(world.analyst, "/care-requests", REQUEST).status_code == 403
    assert not Case.objects.exists()
