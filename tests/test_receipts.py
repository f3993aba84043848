"""What recipients do with a notice: read, acknowledge, reject, forward — the send history."""

import pytest

from samverkan.cases.models import Delivery
from samverkan.cases.testing import notified
from samverkan.notifications.models import OutboxItem

from .helpers import events


@pytest.fixture
def delivery_to_a(world):
    case = notified(world)
    return Delivery.objects.get(message__case=case, unit=world.a_needs)


def url(d, verb):
    return f"/deliveries/{d.public_id}/{verb}"


def state(delivery):
    delivery.refresh_from_db()
    return delivery.state


def test_read_then_acknowledge(api, world, delivery_to_a):
    assert api.post(world.a_staff, url(delivery_to_a, "read")).status_code == 200
    assert state(delivery_to_a) == "read" and events("delivery.read").exists()
    response = api.post(world.a_staff, url(delivery_to_a, "acknowledge"))
    assert response.status_code == 200
    history = response.json()["messages"][0]["deliveries"]
    mine = next(d for d in history if d["unit"]["hsa_id"] == "TEST-a_needs")
    assert mine["state"] == "acknowledged" and mine["acknowledged_at"]
    assert events("delivery.acknowledge", user=world.a_staff).exists()


def test_acknowledging_twice_is_a_conflict(api, world, delivery_to_a):
    api.post(world.a_staff, url(delivery_to_a, "acknowledge"))
    response = api.post(world.a_staff, url(delivery_to_a, "acknowledge"))
    assert response.status_code == 409


def test_only_the_receiving_unit_may_act(api, world, delivery_to_a):
    assert api.post(world.pcc_staff, url(delivery_to_a, "acknowledge")).status_code == 404
    assert api.post(world.b_staff, url(delivery_to_a, "acknowledge")).status_code == 404
    assert state(delivery_to_a) == "sent"


def test_read_only_role_gets_403(api, world, delivery_to_a):
    from samverkan.directory.models import Membership

    reader = Membership.objects.create(user=world.b_staff, unit=world.a_needs, role="reader")
    world.b_staff.memberships.exclude(pk=reader.pk).delete()
    assert api.post(world.b_staff, url(delivery_to_a, "acknowledge")).status_code == 403


def test_reject_removes_the_unit_and_tells_the_ward(api, world, delivery_to_a):
    case_id = delivery_to_a.message.case.public_id
    response = api.post(world.a_staff, url(delivery_to_a, "reject"), {"reason": "not_registered"})
    assert response.status_code == 200 and state(delivery_to_a) == "rejected"
    assert api.get(world.a_staff, f"/cases/{case_id}").status_code == 404
    assert OutboxItem.objects.filter(unit=world.ward, kind="rejected").exists()
    case = api.get(world.ward_staff, f"/cases/{case_id}").json()
    removed = next(p for p in case["participants"] if p["unit"]["hsa_id"] == "TEST-a_needs")
    assert removed["active"] is False and "folkbokförd" in removed["removed_reason"]


def test_reject_needs_a_known_reason(api, world, delivery_to_a):
    response = api.post(world.a_staff, url(delivery_to_a, "reject"), {"reason": "orkar inte"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    assert state(delivery_to_a) == "sent"


def test_forward_inside_own_principal(api, world, delivery_to_a):
    response = api.post(world.a_staff, url(delivery_to_a, "forward"), {"to": "TEST-a_home"})
    assert response.status_code == 200 and state(delivery_to_a) == "forwarded"
    new = Delivery.objects.get(unit=world.a_home)
    assert new.message == delivery_to_a.message and new.state == "sent"
    assert api.get(world.a_staff, f"/cases/{new.message.case.public_id}").status_code == 200


def test_forward_to_another_principal_is_refused(api, world, delivery_to_a):
    response = api.post(world.a_staff, url(delivery_to_a, "forward"), {"to": "TEST-b_needs"})
    assert response.status_code == 400 and response.json()["errors"][0]["rule"] == "principal"
    assert state(delivery_to_a) == "sent"
