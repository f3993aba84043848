"""During the stay: expected date, ADL status with history, planned support, questions and
answers, the care contact, adding a unit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.cases.models import AdlStatus, Delivery, Message
from samverkan.cases.testing import notified
from samverkan.directory.models import Unit

from .helpers import events


def post(api, user, case, verb, **body):
    case.refresh_from_db()
    return api.post(user, f"/cases/{case.public_id}/{verb}", {"version": case.version, **body})


@pytest.fixture
def case(world):
    return notified(world)


def test_expected_date_update_is_notified(api, world, case):
    new_date = (timezone.localdate() + timedelta(days=22)).isoformat()
    response = post(
        api, world.ward_staff, case, "expected-discharge", expected_discharge_date=new_date
    )
    assert response.status_code == 200
    message = response.json()["messages"][-1]
    assert message["kind"] == "expected_date" and message["data"]["to"] == new_date
    assert len(message["deliveries"]) == 2
    assert (
        post(
            api, world.a_staff, case, "expected-discharge", expected_discharge_date=new_date
        ).status_code
        == 403
    )


def test_adl_with_history_and_changes(api, world, case):
    first = {
        "bathing": {"level": "dependent", "note": "Duschstol"},
        "transfer": {"level": "partly"},
    }
    post(api, world.ward_staff, case, "adl", items=first)
    response = post(
        api,
        world.ward_staff,
        case,
        "adl",
        items={"transfer": {"level": "independent", "note": "Går med rollator"}},
    )
    body = response.json()
    assert len(body["adl_history"]) == 2
    latest = body["adl_history"][-1]["items"]
    assert (
        latest["bathing"]["level"] == "dependent" and latest["transfer"]["level"] == "independent"
    )
    assert body["messages"][-1]["data"]["changed"] == ["transfer"]
    assert events("case.adl").count() == 2


@pytest.mark.parametrize(
    "items,field",
    [
        ({"flying": {"level": "partly"}}, "items.flying"),
        ({"bathing": {"level": "lite"}}, "items.bathing.level"),
        ({}, "items"),
    ],
)
def test_bad_adl_is_named(api, world, case, items, field):
    response = post(api, world.ward_staff, case, "adl", items=items)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
    assert not AdlStatus.objects.exists()


def test_planned_support_is_the_municipalitys(api, world, case):
    response = post(api, world.a_staff, case, "planned-support", text="Hemtjänst 4 ggr/dag")
    assert response.status_code == 200
    assert response.json()["messages"][-1]["text"] == "Hemtjänst 4 ggr/dag"
    assert post(api, world.ward_staff, case, "planned-support", text="x").status_code == 403
    assert post(api, world.a_staff, case, "planned-support", text=" ").status_code == 400


def test_question_and_answer(api, world, case):
    asked = post(api, world.a_staff, case, "questions", text="Behövs hemtjänst från dag 1?")
    question = asked.json()["messages"][-1]
    assert {d["unit"]["hsa_id"] for d in question["deliveries"]} == {"TEST-ward", "TEST-pcc"}
    assert api.get(world.ward_staff, "/worklist").json()["counts"]["questions"] == 1
    response = post(api, world.ward_staff, case, "answers", question=question["id"], text="Ja")
    assert response.status_code == 200
    assert Message.objects.get(public_id=question["id"]).answered_at
    assert api.get(world.ward_staff, "/worklist").json()["counts"]["questions"] == 0
    assert Delivery.objects.filter(message__kind="answer").get().unit == world.a_needs


def test_care_contact_is_named_by_primary_care(api, world, case):
    response = post(api, world.pcc_staff, case, "care-contact", name="Ulla Strand, dsk")
    assert (
        response.status_code == 200 and response.json()["care_contact_name"] == "Ulla Strand, dsk"
    )
    assert response.json()["care_contact_unit"]["hsa_id"] == "TEST-pcc"
    assert post(api, world.ward_staff, case, "care-contact", name="X").status_code == 403
    assert post(api, world.pcc_staff, case, "care-contact", name="").status_code == 400


def test_adding_a_dialysis_clinic(api, world, case):
    Unit.objects.create(
        principal=world.region, name="Dialys", kind="specialist_clinic", hsa_id="TEST-dialys"
    )
    response = post(api, world.ward_staff, case, "participants", unit="TEST-dialys")
    assert response.status_code == 200
    assert "TEST-dialys" in {p["unit"]["hsa_id"] for p in response.json()["participants"]}
    assert post(api, world.ward_staff, case, "participants", unit="TEST-dialys").status_code == 409
