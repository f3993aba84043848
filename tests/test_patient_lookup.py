"""Looking up a person by identity number: wards and EDs only, always logged."""

import pytest
from django.urls import reverse

from samverkan.patients.models import AccessGrant
from samverkan.testing import PNR_A, PNR_NEW

from .helpers import events, text

URL = reverse("patient_lookup")


def test_found_person_opens_and_grants_access(as_user, world):
    response = as_user(world.ward_staff).post(URL, {"identity": "19400104-2383"})
    assert response.status_code == 302
    assert response.url == reverse("patient_detail", args=[world.patient.public_id])
    assert AccessGrant.objects.filter(unit=world.ward, patient=world.patient).exists()
    event = events("patient.lookup").get()
    assert event.patient == world.patient and event.detail["found"] is True
    assert event.unit == world.ward and event.role == "staff"


def test_emergency_department_may_look_up(as_user, world):
    assert as_user(world.ed_staff).post(URL, {"identity": PNR_A}).status_code == 302


def test_unknown_person_offers_registration_and_is_logged(as_user, world):
    response = as_user(world.ward_staff).post(URL, {"identity": PNR_NEW})
    assert response.status_code == 200
    assert "Registrera person" in text(response) and "19400116-7743" in text(response)
    event = events("patient.lookup").get()
    assert event.patient is None and event.detail == {"identity": PNR_NEW, "found": False}


@pytest.mark.parametrize(
    "value,message",
    [
        ("19400104-2384", "Kontrollsiffran stämmer inte."),
        ("19400231-2383", "Datumet i numret finns inte."),
        ("hej", "Okänt format"),
    ],
)
def test_bad_number_names_the_rule_and_changes_nothing(as_user, world, value, message):
    response = as_user(world.ward_staff).post(URL, {"identity": value})
    assert response.status_code == 400 and message in text(response)
    assert not events("patient.lookup").exists() and not AccessGrant.objects.exists()


@pytest.mark.parametrize("who", ["pcc_staff", "a_staff", "ward_reader", "analyst"])
def test_units_and_roles_that_may_not_look_up_get_403(as_user, world, who):
    response = as_user(getattr(world, who)).post(URL, {"identity": PNR_A})
    assert response.status_code == 403
    assert not AccessGrant.objects.exists() and not events("patient.lookup").exists()


def test_get_shows_form_and_other_methods_are_refused(as_user, world):
    client = as_user(world.ward_staff)
    assert client.get(URL).status_code == 200
    assert client.put(URL).status_code == 405
