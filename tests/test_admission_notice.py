"""The admission notice: routed to the municipality's receiving unit and the listed primary care
centre, editable, due within 24 h, each delivery due by the next check time."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from samverkan.cases.models import Delivery
from samverkan.cases.testing import opened
from samverkan.directory.models import Membership, Unit
from samverkan.notifications.models import OutboxItem

from .helpers import events

STOCKHOLM = timezone.get_fixed_timezone(60)  # November: CET


def notice(api, user, case, **over):
    in_a_week = (timezone.localdate() + timedelta(days=7)).isoformat()
    body = {"version": case.version, "expected_discharge_date": in_a_week, **over}
    return api.post(user, f"/cases/{case.public_id}/admission-notice", body)


@time_machine.travel(datetime(2026, 11, 23, 9, 30, tzinfo=STOCKHOLM), tick=False)
def test_notice_goes_to_the_routed_units(api, world):
    case = opened(world)
    response = notice(api, world.ward_staff, case)
    assert response.status_code == 200
    body = response.json()
    sent = body["messages"][0]
    assert sent["kind"] == "admission_notice"
    assert {d["unit"]["hsa_id"] for d in sent["deliveries"]} == {"TEST-a_needs", "TEST-pcc"}
    assert sent["deliveries"][0]["ack_due_at"].startswith("2026-11-23T11:00")  # 12:00 Swedish
    assert body["version"] == 2 and body["expected_discharge_date"] == "2026-11-30"
    assert OutboxItem.objects.count() == 2
    assert events("case.admission_notice", patient=world.patient).get().detail == {
        "recipients": ["TEST-a_needs", "TEST-pcc"]
    }
    assert api.get(world.a_staff, f"/cases/{case.public_id}").status_code == 200
    assert api.get(world.pcc_staff, f"/cases/{case.public_id}").status_code == 200
    assert api.get(world.b_staff, f"/cases/{case.public_id}").status_code == 404


def test_recipients_can_be_edited_before_sending(api, world):
    dialysis = Unit.objects.create(
        principal=world.region, name="Dialys", kind="specialist_clinic", hsa_id="TEST-dialys"
    )
    case = opened(world)
    response = notice(api, world.ward_staff, case, recipients=["TEST-a_needs", "TEST-dialys"])
    units = {d["unit"]["hsa_id"] for d in response.json()["messages"][0]["deliveries"]}
    assert units == {"TEST-a_needs", "TEST-dialys"}
    assert not case.participants.filter(unit=world.pcc).exists()
    assert case.participants.get(unit=dialysis).role == "other"


@pytest.mark.parametrize(
    "recipients,rule",
    [
        ([], "required"),
        (["TEST-ward"], "invalid"),
        (["NOPE"], "unknown_unit"),
        (["TEST-pcc", "TEST-pcc"], "duplicate"),
    ],
)
def test_bad_recipients_are_named(api, world, recipients, rule):
    case = opened(world)
    response = notice(api, world.ward_staff, case, recipients=recipients)
    assert response.status_code == 400 and response.json()["errors"][0]["rule"] == rule
    assert not Delivery.objects.exists()


def test_late_notice_is_marked(api, world):
    case = opened(world, now=timezone.now() - timedelta(hours=30))
    assert case.notice_overdue(timezone.now())
    response = notice(api, world.ward_staff, case)
    assert response.json()["messages"][0]["data"]["late"] is True


def test_stale_version_and_repeat_are_conflicts(api, world):
    case = opened(world)
    assert notice(api, world.ward_staff, case, version=99).status_code == 409
    assert notice(api, world.ward_staff, case).status_code == 200
    response = notice(api, world.ward_staff, case, version=2)
    assert response.status_code == 409 and response.json()["errors"][0]["rule"] == "state"
    assert Delivery.objects.count() == 2


def test_only_the_responsible_ward_may_send(api, world):
    case = opened(world)
    Membership.objects.create(user=world.ed_staff, unit=world.ward, role="reader")
    assert notice(api, world.ward_reader, case).status_code == 403
    assert notice(api, world.a_staff, case).status_code == 404
    assert not Delivery.objects.exists()
