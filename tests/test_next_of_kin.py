"""Next of kin: added and removed on the person page, audited."""

from django.urls import reverse

from samverkan.patients.models import NextOfKin
from samverkan.testing import grant

from .helpers import events, text


def add_url(patient):
    return reverse("kin_add", args=[patient.public_id])


def test_add_and_remove(as_user, world):
    grant(world.patient, world.ward, world.ward_staff)
    client = as_user(world.ward_staff)
    data = {"name": "Karin Testsson", "relation": "dotter", "phone": "070-123 45 67"}
    assert client.post(add_url(world.patient), data).status_code == 302
    kin = NextOfKin.objects.get(patient=world.patient)
    assert "Karin Testsson" in text(
        client.get(reverse("patient_detail", args=[world.patient.public_id]))
    )
    assert events("next_of_kin.add", patient=world.patient).exists()
    remove = reverse("kin_remove", args=[world.patient.public_id, kin.public_id])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not NextOfKin.objects.exists() and events("next_of_kin.remove").exists()
    assert client.post(remove).status_code == 404


def test_missing_name_is_named(as_user, world):
    grant(world.patient, world.ward, world.ward_staff)
    response = as_user(world.ward_staff).post(add_url(world.patient), {"relation": "son"})
    assert response.status_code == 400 and "Detta fält måste fyllas i." in text(response)
    assert not NextOfKin.objects.exists()


def test_reader_403_outsider_404(as_user, world):
    grant(world.patient, world.ward, world.ward_staff)
    data = {"name": "X", "relation": "son"}
    assert as_user(world.ward_reader).post(add_url(world.patient), data).status_code == 403
    assert as_user(world.a_staff).post(add_url(world.patient), data).status_code == 404
    assert not NextOfKin.objects.exists()
