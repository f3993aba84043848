"""A unit admin manages the members of their unit."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from samverkan.directory.models import Membership

from .helpers import events, text

NEW_USER = {
    "username": "ny.person",
    "role": "staff",
    "first_name": "Ny",
    "last_name": "Person",
    "email": "ny@test.invalid",
    "password": "Ett-bra-langt-losenord-1",
}


def test_admin_lists_members_of_own_unit_only(as_user, world):
    body = text(as_user(world.ward_admin).get(reverse("members")))
    assert "ward_staff" in body and "b_staff" not in body


def test_add_existing_user(as_user, world):
    client = as_user(world.ward_admin)
    response = client.post(reverse("add_member"), {"username": "pcc_staff", "role": "reader"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.pcc_staff, unit=world.ward, role="reader").exists()
    assert events("membership.add", unit=world.ward).get().detail == {
        "username": "pcc_staff",
        "role": "reader",
    }


def test_create_new_account(as_user, world):
    as_user(world.ward_admin).post(reverse("add_member"), NEW_USER)
    user = User.objects.get(username="ny.person")
    assert user.check_password(NEW_USER["password"])
    assert user.memberships.get().unit == world.ward


@pytest.mark.parametrize(
    "over,message",
    [
        ({"password": "kort"}, "lösenordet är för kort"),
        ({"first_name": ""}, "Ange för- och efternamn"),
        ({"role": "sysadmin"}, "Välj ett giltigt alternativ"),
        ({"username": "ward_staff"}, "redan medlem"),
    ],
)
def test_bad_input_is_named_and_nothing_written(as_user, world, over, message):
    before = Membership.objects.count()
    response = as_user(world.ward_admin).post(reverse("add_member"), {**NEW_USER, **over})
    assert response.status_code == 400 and message in text(response)
    assert (
        Membership.objects.count() == before
        and not User.objects.filter(username="ny.person").exists()
    )


def test_change_role_and_remove(as_user, world):
    client = as_user(world.ward_admin)
    staff = world.ward_staff.memberships.get()
    client.post(reverse("change_role", args=[staff.public_id]), {"role": "physician"})
    staff.refresh_from_db()
    assert staff.role == "physician" and events("membership.change").exists()
    client.post(reverse("remove_member", args=[staff.public_id]))
    assert not Membership.objects.filter(pk=staff.pk).exists()
    assert events("membership.remove").exists()


def test_the_last_unit_admin_cannot_be_removed_or_demoted(as_user, world):
    client = as_user(world.ward_admin)
    me = world.ward_admin.memberships.get()
    response = client.post(reverse("remove_member", args=[me.public_id]), follow=True)
    assert "minst en enhetsadministratör" in text(response)
    client.post(reverse("change_role", args=[me.public_id]), {"role": "staff"})
    me.refresh_from_db()
    assert me.role == "unit_admin"


def test_other_units_members_are_404(as_user, world):
    other = world.b_staff.memberships.get()
    client = as_user(world.ward_admin)
    assert client.post(reverse("remove_member", args=[other.public_id])).status_code == 404
    assert (
        client.post(reverse("change_role", args=[other.public_id]), {"role": "reader"}).status_code
        == 404
    )
    assert Membership.objects.filter(pk=other.pk).exists()


def test_non_admins_get_403_and_wrong_method_405(as_user, world):
    assert as_user(world.ward_staff).get(reverse("members")).status_code == 403
    assert as_user(world.ward_staff).post(reverse("add_member"), NEW_USER).status_code == 403
    assert as_user(world.ward_admin).get(reverse("add_member")).status_code == 405
