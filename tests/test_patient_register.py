"""Registering a person not yet known: validated, audited, never half-written."""

import pytest
from django.urls import reverse

from samverkan.patients.models import AccessGrant, Patient
from samverkan.testing import PNR_A, PNR_NEW

from .helpers import events, text

URL = reverse("patient_register")


def form(world, **over):
    data = {
        "identity": "19400116-7743",
        "given_name": "Gösta",
        "family_name": "Ny",
        "registered_municipality": world.muni_a.pk,
        "street": "Ågatan 3",
        "postcode": "37130",
        "city": "Karlskrona",
        "listed_primary_care": world.pcc.pk,
    }
    return {**data, **over}


def test_ward_registers_a_person(as_user, world):
    response = as_user(world.ward_staff).post(URL, form(world))
    patient = Patient.objects.get(identity=PNR_NEW)
    assert response.status_code == 302 and str(patient.public_id) in response.url
    assert (
        patient.birth_date.isoformat() == "1940-01-16" and patient.identity_kind == "personnummer"
    )
    assert AccessGrant.objects.filter(
        unit=world.ward, patient=patient, reason="registered"
    ).exists()
    assert events("patient.create", patient=patient, unit=world.ward).exists()
    assert as_user(world.ward_staff).get(response.url).status_code == 200


def test_reservnummer_can_be_registered(as_user, world):
    as_user(world.ed_staff).post(URL, form(world, identity="19400116R001"))
    assert Patient.objects.get(identity="19400116R001").identity_kind == "reservnummer"


@pytest.mark.parametrize(
    "over,message",
    [
        ({"identity": PNR_A}, "Personen finns redan"),
        ({"identity": "19400116-7744"}, "Kontrollsiffran stämmer inte."),
        ({"postcode": "3713"}, "Postnumret ska ha fem siffror"),
        ({"protected_identity": "on"}, "Lämna adressen tom"),
        ({"given_name": ""}, "Detta fält måste fyllas i."),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(as_user, world, over, message):
    before = Patient.objects.count()
    response = as_user(world.ward_staff).post(URL, form(world, **over))
    assert response.status_code == 400 and message in text(response)
    assert Patient.objects.count() == before and not events("patient.create").exists()


def test_protected_identity_is_registered_without_address(as_user, world):
    data = form(world, protected_identity="on", street="", postcode="", city="")
    as_user(world.ward_staff).post(URL, data)
    patient = Patient.objects.get(identity=PNR_NEW)
    assert patient.protected_identity and patient.address_lines == []


@pytest.mark.parametrize("who", ["a_staff", "pcc_staff", "ward_reader"])
def test_others_get_403(as_user, world, who):
    assert as_user(getattr(world, who)).post(URL, form(world)).status_code == 403
    assert not Patient.objects.filter(identity=PNR_NEW).exists()


def test_get_is_refused(as_user, world):
    assert as_user(world.ward_staff).get(URL).status_code == 405
