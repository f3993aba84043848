"""Recipients of a notice: the routed units as ticked checkboxes with their principal, another
added by searching the directory (HTMX, or a plain GET without JavaScript), checked on the
server; a rejection comes back to the ward with its reason and one action to the right unit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.cases import receipts
from samverkan.cases.models import Delivery, Message
from samverkan.cases.testing import actor, notified, opened
from samverkan.directory.models import Unit

from .helpers import events, text


def form_url(case, key, **params):
    url = reverse("case_action_form", args=[case.public_id, key])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def post_url(case, key):
    return reverse("case_action", args=[case.public_id, key])


def medicine_31(world):
    return Unit.objects.create(
        principal=world.region, name="Medicinavdelning 31", kind="ward_somatic", hsa_id="T-m31"
    )


def test_the_routed_units_are_ticked_checkboxes_with_their_principal(as_user, world):
    case = opened(world)
    body = text(as_user(world.ward_staff).get(form_url(case, "notice")))
    assert "<select multiple" not in body and "Ctrl" not in body
    assert 'type="checkbox" name="recipients" value="TEST-a_needs" checked' in body
    assert 'value="TEST-pcc" checked' in body
    assert 'A Needs <span class="muted">– Kommun A</span>' in body
    assert "<legend>Mottagare" in body and "Lägg till en enhet ur katalogen" in body


def test_the_directory_search_finds_active_units_and_leaves_out_the_listed(as_user, world):
    medicine_31(world)
    Unit.objects.create(
        principal=world.region, name="Medicinavdelning 32", kind="ward_somatic", hsa_id="T-m32"
    )
    Unit.objects.create(
        principal=world.region,
        name="Medicinavdelning 31 gamla",
        kind="ward_somatic",
        hsa_id="T-old",
        active=False,
    )
    client = as_user(world.ward_staff)
    url = reverse("unit_choices")
    body = text(client.get(url, {"principal": "10", "q": "Medicin 31", "falt": "recipients"}))
    assert 'name="recipients" value="T-m31"' in body
    assert "T-m32" not in body and "T-old" not in body  # numbers match whole numbers; active only
    listed = text(client.get(url, {"q": "medicin", "listade": "T-m31"}))
    assert "T-m32" in listed and "T-m31" not in listed
    kept = text(client.get(url, {"q": "hemsjuk", "recipients": "T-m31"}))
    assert 'value="T-m31" checked' in kept  # a unit ticked among earlier finds stays ticked
    assert "Välj huvudman" in text(client.get(url))  # nothing asked: no 64-item list
    assert "TEST-analysis" not in text(client.get(url, {"principal": "10"}))  # administration
    assert client.post(url).status_code == 405


def test_the_search_needs_a_login(client, world):
    assert client.get(reverse("unit_choices"), {"q": "a"}).status_code == 302


def test_without_javascript_the_search_is_a_plain_get_of_the_form_page(as_user, world):
    medicine_31(world)
    case = opened(world)
    body = text(
        as_user(world.ward_staff).get(form_url(case, "notice", principal="10", q="medicin"))
    )
    assert '<form id="unit-search" method="get"' in body
    assert 'name="recipients" value="T-m31">' in body  # found, not ticked
    assert 'value="TEST-a_needs" checked' in body  # the routing still ticked


def test_recipients_are_checked_on_the_server(as_user, world):
    medicine_31(world)
    case = opened(world)
    client = as_user(world.ward_staff)
    data = {"version": case.version, "expected_discharge_date": timezone.localdate().isoformat()}
    for recipients, message in [
        (["TEST-a_needs", "TEST-a_needs"], "Samma enhet är vald två gånger"),
        (["NOPE"], "Okänd eller inaktiv enhet: NOPE"),
        (["TEST-analysis"], "Okänd eller inaktiv enhet"),
        ([], "Välj minst en mottagare"),
    ]:
        response = client.post(post_url(case, "notice"), {**data, "recipients": recipients})
        assert response.status_code == 400 and message in text(response)
    assert not Message.objects.exists()
    response = client.post(post_url(case, "notice"), {**data, "recipients": ["T-m31", "TEST-pcc"]})
    assert response.status_code == 302
    units = set(Delivery.objects.values_list("unit__hsa_id", flat=True))
    assert units == {"T-m31", "TEST-pcc"}


@pytest.fixture
def rejected(world):
    case = notified(world)
    delivery = Delivery.objects.get(unit=world.a_needs)
    receipts.reject(actor(world.a_staff), delivery, reason="not_registered")
    case.refresh_from_db()
    return case, delivery


def test_a_rejection_comes_back_to_the_ward_with_its_reason(as_user, world, rejected):
    case, delivery = rejected
    body = text(as_user(world.ward_staff).get(reverse("case_detail", args=[case.public_id])))
    assert "Avvisade meddelanden" in body and "Personen är inte folkbokförd här" in body
    assert f"/skicka-om/formular/?delivery={delivery.public_id}" in body
    assert body.count("Skicka till rätt enhet") == 1
    other = text(as_user(world.pcc_staff).get(reverse("case_detail", args=[case.public_id])))
    assert "Avvisade meddelanden" not in other  # only the sender acts on it


def test_send_to_the_right_unit(as_user, world, rejected):
    case, delivery = rejected
    client = as_user(world.ward_staff)
    assert "skicka till rätt enhet" in text(client.get(reverse("start")))  # the worklist row
    page = client.get(form_url(case, "skicka-om", delivery=delivery.public_id))
    assert page.status_code == 200
    assert "Inskrivningsmeddelande" in text(page) and "avvisades av A Needs" in text(page)
    assert f'name="delivery" value="{delivery.public_id}"' in text(page)
    data = {"version": case.version, "delivery": delivery.public_id}
    again = client.post(post_url(case, "skicka-om"), {**data, "recipients": ["TEST-pcc"]})
    assert again.status_code == 400 and "Pcc har redan fått meddelandet" in text(again)
    response = client.post(post_url(case, "skicka-om"), {**data, "recipients": ["TEST-b_needs"]})
    assert response.status_code == 302
    sent = Delivery.objects.get(unit=world.b_needs)
    assert sent.message_id == delivery.message_id and sent.state == "sent"
    assert case.participants.get(unit=world.b_needs).role == "municipality"
    delivery.refresh_from_db()
    assert delivery.settled_at is not None
    assert events("case.resend", user=world.ward_staff).get().detail["recipients"] == [
        "TEST-b_needs"
    ]
    body = text(client.get(reverse("case_detail", args=[case.public_id])))
    assert "Avvisade meddelanden" not in body
    assert "skicka till rätt enhet" not in text(client.get(reverse("start")))  # settled
    assert client.get(form_url(case, "skicka-om", delivery=delivery.public_id)).status_code == 404


def test_send_on_access_and_bad_ids(as_user, world, rejected):
    case, delivery = rejected
    url = form_url(case, "skicka-om", delivery=delivery.public_id)
    assert as_user(world.b_staff).get(url).status_code == 404  # outsider first
    assert as_user(world.ward_reader).get(url).status_code == 403
    assert as_user(world.pcc_staff).get(url).status_code == 404  # not the sender: not offered
    ward = as_user(world.ward_staff)
    assert ward.get(form_url(case, "skicka-om", delivery="nonsense")).status_code == 404
    other = Delivery.objects.get(unit=world.pcc)  # not rejected
    assert ward.get(form_url(case, "skicka-om", delivery=other.public_id)).status_code == 404
    data = {"version": case.version, "delivery": delivery.public_id, "recipients": ["TEST-b_needs"]}
    assert as_user(world.pcc_staff).post(post_url(case, "skicka-om"), data).status_code == 400
    assert not Delivery.objects.filter(unit=world.b_needs).exists()
    assert as_user(world.ward_staff).get(post_url(case, "skicka-om")).status_code == 405
