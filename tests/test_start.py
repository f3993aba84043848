"""The start page and switching the active unit."""

from django.contrib.auth.models import User
from django.urls import reverse

from samverkan.directory.models import Membership

from .helpers import events, text


def test_start_is_the_units_worklist(as_user, world):
    response = as_user(world.ward_staff).get(reverse("start"))
    assert response.status_code == 200
    assert "Att göra nu – Ward" in text(response) and "Inget väntar just nu." in text(response)
    assert "Sök person" in text(response)


def test_start_offers_only_what_the_role_may_do(as_user, world):
    body = text(as_user(world.analyst).get(reverse("start")))
    assert "Sök person" not in body and "Granska loggen" not in body
    assert "bara sammanställda" in body


def test_user_without_membership_gets_403(client, db):
    client.force_login(User.objects.create_user("nobody"))
    assert client.get(reverse("start")).status_code == 403


def test_switch_unit(as_user, world):
    Membership.objects.create(user=world.ward_staff, unit=world.ed, role="staff")
    client = as_user(world.ward_staff)
    ed = world.ward_staff.memberships.get(unit=world.ed)
    assert client.get(reverse("switch_unit")).status_code == 405
    response = client.post(reverse("switch_unit"), {"membership": str(ed.public_id)})
    assert response.status_code == 302
    assert "Att göra nu – Ed" in text(client.get(reverse("start")))
    assert events("unit.switch", user=world.ward_staff).exists()


def test_switch_to_a_unit_one_is_not_member_of_changes_nothing(as_user, world):
    client = as_user(world.ward_staff)
    other = world.b_staff.memberships.get()
    client.post(reverse("switch_unit"), {"membership": str(other.public_id)})
    body = text(client.get(reverse("start")))
    assert "Du är inte medlem i den enheten." in body and "Att göra nu – Ward" in body
    assert not events("unit.switch").exists()


def test_the_other_modules_are_asked_in_one_query(world, django_assert_num_queries):
    """SIP, deviations and forums: one query finds that a unit has nothing there."""
    from django.utils import timezone

    from samverkan.cases.testing import actor
    from samverkan.core.worklists import panels

    unit_staff = actor(world.b_staff)
    with django_assert_num_queries(1):
        assert panels(unit_staff, timezone.now()) == []
