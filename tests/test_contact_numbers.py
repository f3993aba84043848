"""Phone numbers where people need them: each participant's phone and function mailbox as tel:
and mailto: links, the care contact's direct number (form, API, OpenAPI), and a contact search
that finds "Medicinavdelning 31" for "Medicin 31"."""

import pytest
from django.urls import reverse

from samverkan.cases.testing import notified
from samverkan.directory.models import Unit
from samverkan.directory.search import matches
from samverkan.lib.phone import is_phone, tel_href

from .helpers import events, text


def detail(case):
    return reverse("case_detail", args=[case.public_id])


def test_participants_phone_and_mailbox_are_links(as_user, world):
    Unit.objects.filter(pk=world.a_needs.pk).update(phone="0455-30 30 00")
    case = notified(world)
    for url in (detail(case), reverse("case_print", args=[case.public_id])):
        body = text(as_user(world.ward_staff).get(url))
        assert '<a href="tel:0455303000">0455-30 30 00</a>' in body
        assert '<a href="mailto:a_needs@test.invalid">a_needs@test.invalid</a>' in body


def test_a_stored_number_that_breaks_the_rule_is_text_not_a_link(as_user, world):
    Unit.objects.filter(pk=world.pcc.pk).update(phone="ring växeln")
    body = text(as_user(world.ward_staff).get(detail(notified(world))))
    assert "ring växeln" in body and 'href="tel:ring' not in body


def test_the_care_contact_gets_a_direct_number_on_the_page(as_user, world):
    case = notified(world)
    client = as_user(world.pcc_staff)
    url = reverse("case_action", args=[case.public_id, "care_contact"])
    bad = client.post(url, {"version": case.version, "name": "Eva, dsk", "phone": "07x"})
    assert bad.status_code == 400 and "Ange ett telefonnummer med 6–15 siffror" in text(bad)
    case.refresh_from_db()
    assert not case.care_contact_name
    ok = client.post(url, {"version": case.version, "name": "Eva, dsk", "phone": "0455-73 10 11"})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.care_contact_phone == "0455-73 10 11"
    assert events("case.care_contact", user=world.pcc_staff).exists()
    body = text(as_user(world.a_staff).get(detail(case)))
    assert 'direkt <a href="tel:0455731011">0455-73 10 11</a>' in body


def test_the_care_contact_phone_in_the_api(api, world):
    case = notified(world)
    path = f"/cases/{case.public_id}/care-contact"
    bad = api.post(world.pcc_staff, path, {"version": case.version, "name": "Eva", "phone": "1"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"].endswith("phone")
    assert "6–15 siffror" in bad.json()["errors"][0]["message"]
    long = api.post(
        world.pcc_staff, path, {"version": case.version, "name": "E", "phone": "1" * 41}
    )
    assert long.status_code == 400
    body = {"version": case.version, "name": "Eva", "phone": "+46 455 73 10 11"}
    ok = api.post(world.pcc_staff, path, body)
    assert ok.status_code == 200 and ok.json()["care_contact_phone"] == "+46 455 73 10 11"


def test_the_openapi_states_the_phone_rule(client):
    spec = client.get("/api/v1/openapi.json").json()
    phone = spec["components"]["schemas"]["CareContactIn"]["properties"]["phone"]
    assert phone["maxLength"] == 40 and phone["pattern"].startswith("^(")
    assert "care_contact_phone" in spec["components"]["schemas"]["CaseOut"]["properties"]


@pytest.mark.parametrize(
    "value,ok,href",
    [
        ("0455-73 10 00", True, "tel:0455731000"),
        ("+46 70 123 45 67", True, "tel:+46701234567"),
        ("(0455) 73 10 00", True, "tel:0455731000"),
        ("12345", False, ""),
        ("0455 73 10 00 ank. 12", False, ""),
        ("1" * 16, False, ""),
        ("++46 70", False, ""),
    ],
)
def test_the_phone_rule(value, ok, href):
    assert is_phone(value) is ok and tel_href(value) == href


@pytest.mark.parametrize(
    "query,found",
    [
        ("Medicin 31", True),
        ("medicin", True),
        ("avd 31", True),  # a part of a word split at the hyphen
        ("31", True),
        ("Medicin 3", False),  # numbers match whole numbers
        ("Medicin 32", False),
        ("kirurgi", False),
        ("blek", True),  # the principal's name
    ],
)
def test_token_prefix_matching(query, found):
    assert matches(query, "Medicinavdelning 31", "Medicin-avd31", "Region Blekinge") is found


def test_the_contact_search_finds_medicin_31(as_user, world):
    Unit.objects.create(
        principal=world.region, name="Medicinavdelning 31", kind="ward_somatic", hsa_id="T-m31"
    )
    Unit.objects.create(
        principal=world.region, name="Vårdcentral Östra", kind="primary_care", hsa_id="T-ost"
    )
    client = as_user(world.a_staff)
    body = text(client.get(reverse("contacts"), {"q": "Medicin 31"}))
    assert "Medicinavdelning 31" in body and "Pcc" not in body
    assert "Vårdcentral Östra" in text(client.get(reverse("contacts"), {"q": "östra"}))
    rows = client.get(reverse("contacts"), {"q": "medicin 31"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(rows) and "Medicinavdelning 31" in text(rows)
