"""Edges found in review: removed units, closed cases, readmission, one open case per person,
closing with a removed unit, notifications and lists as reads."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.cases import receipts, services
from samverkan.cases.models import Case, Delivery
from samverkan.cases.testing import actor, discharged, notified
from samverkan.directory.models import Membership

from .helpers import events


def test_a_removed_unit_cannot_act_on_its_old_notices(api, world):
    case = notified(world)
    mine = Delivery.objects.get(unit=world.a_needs)
    services.interrupt(actor(world.ward_staff), case, reason="declined", unit=world.a_needs)
    for verb in ("read", "acknowledge"):
        assert api.post(world.a_staff, f"/deliveries/{mine.public_id}/{verb}").status_code == 404
    response = api.post(
        world.a_staff, f"/deliveries/{mine.public_id}/forward", {"to": "TEST-a_home"}
    )
    assert response.status_code == 404 and not Delivery.objects.filter(unit=world.a_home)


def test_the_ward_cannot_reject_its_own_case_and_closed_cases_take_no_receipts(world):
    case = notified(world)
    services.ask(actor(world.a_staff), case, text="Fråga?")
    to_ward = Delivery.objects.get(unit=world.ward)
    with pytest.raises(ValidationError):
        receipts.reject(actor(world.ward_staff), to_ward, reason="not_known")
    services.interrupt(actor(world.ward_staff), case, reason="died")
    pcc = Delivery.objects.filter(unit=world.pcc).first()
    with pytest.raises(ValidationError):
        receipts.forward(actor(world.pcc_staff), pcc, to=world.a_home)


def test_a_care_request_after_discharge_is_a_new_stay(api, world):
    old = discharged(world)
    response = api.post(
        world.a_staff,
        "/care-requests",
        {
            "identity": "19400104-2383",
            "hospital_unit": "TEST-ed",
            "consent": True,
            "health_status": "Fallit",
            "contact": "HSL",
        },
    )
    assert response.status_code == 201 and response.json()["case"] != str(old.public_id)
    old.refresh_from_db()
    assert old.state == "discharged"  # closing it is the ward's act (or the system's), not this


def test_the_database_allows_one_open_case_per_person(world):
    services.open_case(actor(world.ward_staff), world.patient)
    with pytest.raises(ValidationError):
        services.new_case(patient=world.patient, ward=world.ed, state="requested")
    assert Case.objects.count() == 1


def test_a_removed_unit_does_not_block_closing(world):
    case = discharged(world)
    services.interrupt(actor(world.ward_staff), case, reason="declined", unit=world.a_needs)
    for d in Delivery.objects.filter(message__case=case, message__kind="discharge", unit=world.pcc):
        receipts.acknowledge(actor(world.pcc_staff), d)
    case.refresh_from_db()
    services.close_case(actor(world.ward_staff), case)
    case.refresh_from_db()
    assert case.state == "closed"


def test_notifications_are_personal_data_and_lists_are_logged(as_user, api, world):
    notified(world)
    Membership.objects.filter(user=world.analyst).update(unit=world.a_needs)
    assert as_user(world.analyst).get(reverse("notifications")).status_code == 403
    assert api.get(world.analyst, "/notifications").status_code == 403
    as_user(world.a_staff).get(reverse("start"))
    assert events("case.list", user=world.a_staff, patient=world.patient).count() == 1
    api.get(world.pcc_staff, "/cases")
    assert events("case.list", user=world.pcc_staff, patient=world.patient).exists()
