"""Reading a person: only with a care relation; every read logged; protected identity marked."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from samverkan.directory.models import Membership
from samverkan.testing import grant

from .helpers import events, text


def url(patient):
    return reverse("patient_detail", args=[patient.public_id])


def test_unit_with_care_relation_reads_and_the_read_is_logged(as_user, world):
    grant(world.patient, world.ward, world.ward_staff)
    response = as_user(world.ward_staff).get(url(world.patient), REMOTE_ADDR="10.0.0.9")
    body = text(response)
    assert response.status_code == 200
    assert "Astrid Testsson" in body and "19400104-2383" in body and "Storgatan 1" in body
    event = events("patient.read").get()
    assert event.patient == world.patient and event.user == world.ward_staff
    assert event.unit == world.ward and event.ip == "10.0.0.9"


def test_reader_role_may_read(as_user, world):
    grant(world.patient, world.ward, world.ward_staff)
    assert as_user(world.ward_reader).get(url(world.patient)).status_code == 200


@pytest.mark.parametrize("who", ["other_ward_staff", "b_staff", "a_staff", "analyst"])
def test_units_without_care_relation_get_404(as_user, world, who):
    grant(world.patient, world.ward, world.ward_staff)
    assert as_user(getattr(world, who)).get(url(world.patient)).status_code == 404
    assert not events("patient.read").exists()


def test_analyst_role_gets_403_even_in_a_unit_with_access(as_user, world):
    grant(world.patient, world.ward, world.ward_staff)
    Membership.objects.filter(user=world.analyst).update(unit=world.ward)
    assert as_user(world.analyst).get(url(world.patient)).status_code == 403


def test_access_from_a_look_up_expires(as_user, world, settings):
    grant(world.patient, world.ward, world.ward_staff)
    later = timezone.now() + timedelta(hours=settings.LOOKUP_ACCESS_HOURS, minutes=1)
    with time_machine.travel(later):
        assert as_user(world.ward_staff).get(url(world.patient)).status_code == 404


def test_protected_identity_is_marked_and_no_address_shown(as_user, world):
    world.protected.street = "Hemlig väg 1"  # even if an address slipped into the database
    world.protected.save()
    grant(world.protected, world.ward, world.ward_staff)
    body = text(as_user(world.ward_staff).get(url(world.protected)))
    assert "Skyddad folkbokföring" in body and "Hemlig väg" not in body


def test_post_is_refused(as_user, world):
    grant(world.patient, world.ward, world.ward_staff)
    assert as_user(world.ward_staff).post(url(world.patient)).status_code == 405
