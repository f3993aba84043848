"""The contact directory and a unit admin keeping their unit's details current."""

from django.urls import reverse

from .helpers import events, text


def test_directory_lists_every_unit_and_marks_receivers(as_user, world):
    body = text(as_user(world.b_staff).get(reverse("contacts")))
    assert "a_needs@test.invalid" in body and "TEST-pcc" in body
    assert body.count("Tar emot meddelanden") >= 3  # legend + two receiving units


def test_filters_and_htmx_partial(as_user, world):
    client = as_user(world.analyst)
    body = text(client.get(reverse("contacts"), {"principal": "1082"}))
    assert "TEST-b_needs" in body and "TEST-a_needs" not in body
    partial = client.get(reverse("contacts"), {"q": "pcc"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(partial) and "TEST-pcc" in text(partial)
    assert "TEST-ward" not in text(partial)


def test_unit_admin_updates_contact_details(as_user, world):
    client = as_user(world.a_admin)
    data = {"mailbox": "bistand@a.invalid", "phone": "0455-30 30 30", "opening_hours": "Alla dagar"}
    assert client.post(reverse("unit_contact"), data).status_code == 302
    world.a_needs.refresh_from_db()
    assert world.a_needs.mailbox == "bistand@a.invalid"
    assert events("unit.contact_update", unit=world.a_needs).exists()


def test_bad_mailbox_is_named(as_user, world):
    response = as_user(world.a_admin).post(reverse("unit_contact"), {"mailbox": "inte-en-adress"})
    assert response.status_code == 400 and "Fyll i en giltig e-postadress." in text(response)
    world.a_needs.refresh_from_db()
    assert world.a_needs.mailbox == "a_needs@test.invalid"


def test_staff_may_not_edit_and_wrong_method(as_user, world):
    assert as_user(world.a_staff).post(reverse("unit_contact"), {}).status_code == 403
    assert as_user(world.a_staff).post(reverse("contacts")).status_code == 405
