"""Changing a person's details: version-checked, audited, validated."""

import pytest
from django.urls import reverse

from samverkan.testing import grant

from .helpers import events, text


def url(patient):
    return reverse("patient_edit", args=[patient.public_id])


def form(world, **over):
    data = {
        "given_name": "Astrid",
        "family_name": "Testsson",
        "registered_municipality": world.muni_a.pk,
        "street": "Nygatan 2",
        "postcode": "371 31",
        "city": "Karlskrona",
        "listed_primary_care": world.pcc.pk,
        "version": 1,
    }
    return {**data, **over}


@pytest.fixture
def access(world):
    grant(world.patient, world.ward, world.ward_staff)


def test_staff_changes_details(as_user, world, access):
    client = as_user(world.ward_staff)
    assert client.get(url(world.patient)).status_code == 200
    response = client.post(url(world.patient), form(world))
    assert response.status_code == 302
    world.patient.refresh_from_db()
    assert world.patient.street == "Nygatan 2" and world.patient.version == 2
    assert events("patient.update", patient=world.patient).get().detail == {
        "fields": ["street", "postcode"]
    }


def test_stale_version_is_a_conflict_and_changes_nothing(as_user, world, access):
    client = as_user(world.ward_staff)
    client.post(url(world.patient), form(world, street="Första 1"))
    response = client.post(url(world.patient), form(world, street="Andra 2"))
    assert response.status_code == 400 and "ändrats av någon annan" in text(response)
    world.patient.refresh_from_db()
    assert world.patient.street == "Första 1" and world.patient.version == 2


def test_bad_postcode_is_named(as_user, world, access):
    response = as_user(world.ward_staff).post(url(world.patient), form(world, postcode="x"))
    assert response.status_code == 400 and "Postnumret ska ha fem siffror" in text(response)
    world.patient.refresh_from_db()
    assert world.patient.street == "Storgatan 1"


def test_reader_gets_403_and_outsider_404(as_user, world, access):
    assert as_user(world.ward_reader).post(url(world.patient), form(world)).status_code == 403
    assert as_user(world.b_staff).post(url(world.patient), form(world)).status_code == 404
    assert not events("patient.update").exists()


def test_wrong_method(as_user, world, access):
    assert as_user(world.ward_staff).delete(url(world.patient)).status_code == 405
