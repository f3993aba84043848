"""A conflict never throws work away: when another unit saved first, what the other change did
not touch is merged and sent on the new version; a field both changed keeps the user's input,
shows theirs against yours and can be sent again on the new version."""

import re
from datetime import date

from django.urls import reverse

from samverkan.cases import services
from samverkan.cases.models import Message
from samverkan.cases.testing import actor, notified

from .helpers import text


def form_data(client, case, key) -> dict:
    """The hidden version and base of the action's form, as the page gave them."""
    body = text(client.get(reverse("case_action_form", args=[case.public_id, key])))
    version = re.search(r'name="version" value="(\d+)"', body).group(1)
    base = re.search(r'name="base" value="([^"]*)"', body).group(1).replace("&quot;", '"')
    return {"version": version, "base": base}


def post(client, case, key, data):
    return client.post(reverse("case_action", args=[case.public_id, key]), data)


def test_an_untouched_field_is_merged_without_asking(as_user, world):
    case = notified(world)
    ward = as_user(world.ward_staff)
    opened_form = form_data(ward, case, "expected")
    services.add_planned_support(actor(world.a_staff), case, text="Hemtjänst två gånger dagligen")
    response = post(
        ward, case, "expected", {**opened_form, "expected_discharge_date": "2026-12-20"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.expected_discharge_date == date(2026, 12, 20)
    assert "ändringarna är sammanförda" in text(ward.get(response.url))


def test_a_field_both_changed_keeps_your_input_and_shows_theirs(as_user, world):
    case = notified(world)
    ward = as_user(world.ward_staff)
    opened_form = form_data(ward, case, "expected")
    services.update_expected_discharge(
        actor(world.ward_physician), case, expected_discharge_date=date(2026, 12, 24)
    )
    mine = {**opened_form, "expected_discharge_date": "2026-12-20"}
    response = post(ward, case, "expected", mine)
    body = text(response)
    assert response.status_code == 400 and "Dina uppgifter finns kvar" in body
    assert (
        '<th scope="row">Beräknat utskrivningsdatum</th><td>2026-12-24</td><td>2026-12-20</td>'
        in body
    )
    assert 'value="2026-12-20"' in body  # your input kept in the form
    case.refresh_from_db()
    assert case.expected_discharge_date == date(2026, 12, 24)
    assert Message.objects.filter(kind="expected_date").count() == 1
    version = re.search(r'name="version" value="(\d+)"', body).group(1)
    assert int(version) == case.version  # sent again on the new version
    base = re.search(r'name="base" value="([^"]*)"', body).group(1).replace("&quot;", '"')
    again = post(ward, case, "expected", {"version": version, "base": base, **mine_date(mine)})
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.expected_discharge_date == date(2026, 12, 20)


def mine_date(data):
    return {"expected_discharge_date": data["expected_discharge_date"]}


def test_the_care_contact_merges_field_by_field(as_user, world):
    case = notified(world)
    services.name_care_contact(actor(world.pcc_staff), case, name="Eva, dsk", phone="0455-1111 11")
    case.refresh_from_db()
    pcc = as_user(world.pcc_staff)
    opened_form = form_data(pcc, case, "care_contact")
    services.name_care_contact(actor(world.pcc_staff), case, name="Anna, dsk", phone="0455-1111 11")
    response = post(
        pcc, case, "care_contact", {**opened_form, "name": "Eva, dsk", "phone": "0455-2222 22"}
    )
    assert response.status_code == 302  # you changed the number, they the name: both kept
    case.refresh_from_db()
    assert (case.care_contact_name, case.care_contact_phone) == ("Anna, dsk", "0455-2222 22")


def test_adl_items_merge_unless_both_changed_the_same(as_user, world):
    case = notified(world)
    ward = as_user(world.ward_staff)
    opened_form = form_data(ward, case, "adl")
    services.record_adl(
        actor(world.ward_physician), case, items={"bathing": {"level": "dependent", "note": ""}}
    )
    merged = post(ward, case, "adl", {**opened_form, "dressing_level": "partly"})
    assert merged.status_code == 302
    latest = case.adl_statuses.order_by("-id").first().items
    assert latest["bathing"]["level"] == "dependent" and latest["dressing"]["level"] == "partly"
    clash = post(ward, case, "adl", {**opened_form, "bathing_level": "independent"})
    assert clash.status_code == 400
    assert '<th scope="row">Bad/dusch</th><td>Beroende</td><td>Oberoende</td>' in text(clash)
    assert case.adl_statuses.count() == 2


def test_a_form_without_a_base_never_overwrites_silently(as_user, world):
    case = notified(world)
    services.update_expected_discharge(
        actor(world.ward_physician), case, expected_discharge_date=date(2026, 12, 24)
    )
    old = {"version": case.version - 1, "expected_discharge_date": "2026-12-20"}
    response = post(as_user(world.ward_staff), case, "expected", old)
    assert response.status_code == 400 and "Sparat av den andra" in text(response)
