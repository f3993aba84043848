"""The care request from municipal care: opens a case for a new stay, or reaches the stay in
progress without letting the sender in; the ED answers (which brings the sender in) and the
ward admits the patient."""

from django.utils import timezone

from samverkan.cases import services
from samverkan.cases.models import Case
from samverkan.cases.testing import actor, discharged, notified, opened
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
NAMED = {**REQUEST, "given_name": "Okänd", "family_name": "Avsändare"}  # needed when unreachable


def test_home_care_sends_and_ed_answers_and_ward_admits(api, world):
    response = api.post(world.a_staff, "/care-requests", REQUEST)
    assert response.status_code == 201
    receipt = response.json()
    assert receipt["takes_part"] is True and receipt["hospital_unit"]["hsa_id"] == "TEST-ed"
    body = api.get(world.a_staff, f"/cases/{receipt['case']}").json()
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


def test_the_routed_unit_joins_the_stay_in_progress(api, world):
    case = opened(world)
    receipt = api.post(world.a_staff, "/care-requests", REQUEST).json()
    assert receipt["case"] == str(case.public_id) and Case.objects.count() == 1
    assert case.participants.filter(unit=world.a_needs, active=True).exists()


def test_a_request_is_no_way_into_another_units_stay(api, world):
    """Found by the independent test: any municipal unit joined any open case."""
    case = notified(world)
    for user in (world.b_staff, world.a_home_staff):
        response = api.post(user, "/care-requests", NAMED)
        receipt = response.json()
        assert response.status_code == 201 and receipt == {**receipt, "takes_part": False}
        assert receipt["case"] is None and "Astrid" not in response.content.decode()
        assert api.get(user, f"/cases/{case.public_id}").status_code == 404
        assert not case.participants.filter(unit=actor(user).unit).exists()
    delivered = case.messages.filter(kind="care_request")
    assert delivered.count() == 2 and {d.unit for m in delivered for d in m.deliveries.all()} == {
        world.ward
    }


def test_answering_brings_the_sender_in(api, world):
    case = notified(world)
    api.post(world.b_staff, "/care-requests", NAMED)
    request = case.messages.get(kind="care_request")
    case.refresh_from_db()
    response = api.post(
        world.ward_staff,
        f"/cases/{case.public_id}/care-request-answer",
        {"version": case.version, "care_request": str(request.public_id), "text": "Vi tar över."},
    )
    assert response.status_code == 200
    assert api.get(world.b_staff, f"/cases/{case.public_id}").status_code == 200
    detail = events("case.care_request_answer", user=world.ward_staff).get().detail
    assert detail == {"unit_added": "TEST-b_needs"}


def test_a_request_never_closes_the_previous_stay(api, world):
    """Found: the same call closed someone else's discharged case, unaudited."""
    previous = discharged(world)
    receipt = api.post(world.b_staff, "/care-requests", NAMED).json()
    previous.refresh_from_db()
    assert previous.state == "discharged" and receipt["takes_part"] is False
    new = Case.objects.get(state="requested")
    assert new.ward == world.ed and not new.participants.filter(unit=world.b_needs).exists()
    # the ward's admission closes the previous stay, as the ward's audited act
    services.admit(actor(world.ed_staff), new, ward=world.ward, now=timezone.now())
    previous.refresh_from_db()
    assert previous.state == "closed" and previous.closed_by == world.ed_staff
    close = events("case.close", user=world.ed_staff).get()
    assert close.detail == {"reason": "readmission"} and close.patient == world.patient


def test_a_known_person_the_unit_cannot_reach_is_not_shown(api, world):
    """A number the unit has no relation to reaches the ward but shows the sender nothing."""
    response = api.post(world.b_staff, "/care-requests", NAMED)
    assert response.status_code == 201 and response.json()["takes_part"] is False
    assert "Astrid" not in response.content.decode()
    lookup = events("patient.lookup", user=world.b_staff).get()
    assert lookup.patient == world.patient and lookup.detail["shown"] is False


def test_new_person_needs_names(api, world):
    response = api.post(world.a_staff, "/care-requests", {**REQUEST, "identity": PNR_NEW})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "given_name"
    assert events("patient.lookup", user=world.a_staff).get().detail["found"] is False
    response = api.post(
        world.a_staff,
        "/care-requests",
        {**REQUEST, "identity": PNR_NEW, "given_name": "Ny", "family_name": "P"},
    )
    assert response.status_code == 201 and response.json()["takes_part"] is True
    # the sender does not decide where the person is folkbokförd (it would route notices to it)
    assert Patient.objects.get(identity=PNR_NEW).registered_municipality is None


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


def _remove(world, case, unit):
    case.refresh_from_db()
    services.interrupt(actor(world.ward_staff), case, reason="misdirected", unit=unit)


def test_a_removed_unit_does_not_come_back_by_a_request(api, world):
    """Found in review: the routed unit, once removed, rejoined with a care request."""
    case = notified(world)
    _remove(world, case, world.a_needs)
    receipt = api.post(world.a_staff, "/care-requests", NAMED).json()
    assert receipt["takes_part"] is False and receipt["case"] is None
    assert api.get(world.a_staff, f"/cases/{case.public_id}").status_code == 404


def test_the_receipt_names_the_chosen_unit_never_the_stays_ward(api, world):
    """Found in review: the receipt told where an unreachable person was admitted."""
    notified(world)
    receipt = api.post(world.b_staff, "/care-requests", NAMED).json()
    assert receipt["hospital_unit"]["hsa_id"] == "TEST-ed" and "TEST-ward" not in str(receipt)


def test_known_or_unknown_a_number_answers_alike(api, world):
    """Without names, a number the unit may not reach answers as an unknown one does."""
    known = api.post(world.b_staff, "/care-requests", REQUEST)
    unknown = api.post(world.b_staff, "/care-requests", {**REQUEST, "identity": PNR_NEW})
    assert known.status_code == unknown.status_code == 400
    assert known.json() == unknown.json()


def test_a_municipality_reaches_its_residents_only_through_its_discharge_units(world):
    from samverkan.patients.access import reachable_by_identity

    world.patient.refresh_from_db()
    assert reachable_by_identity(actor(world.a_staff), world.patient)  # needs assessment
    assert not reachable_by_identity(actor(world.school_staff), world.patient)  # not a pupil
    world.child.refresh_from_db()
    assert reachable_by_identity(actor(world.school_staff), world.child)
    assert not reachable_by_identity(actor(world.b_staff), world.patient)
    assert not reachable_by_identity(actor(world.a_staff), world.protected)  # never by registration
    assert reachable_by_identity(actor(world.pcc_staff), world.patient)  # listed there


def test_the_admission_takes_over_a_stay_a_request_opened(api, world):
    """Found in review: an outsider's request blocked the ward's admission with a 409."""
    api.post(world.b_staff, "/care-requests", {**REQUEST, "given_name": "A", "family_name": "T"})
    requested = Case.objects.get(state="requested")
    response = api.post(world.ward_staff, "/cases", {"identity": PNR_A})
    assert response.status_code == 201 and response.json()["id"] == str(requested.public_id)
    requested.refresh_from_db()
    assert requested.state == "admitted" and requested.ward == world.ward
    roles = dict(requested.participants.values_list("unit__hsa_id", "role"))
    assert roles == {"TEST-ed": "other", "TEST-ward": "responsible"}
