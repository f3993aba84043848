"""Ready for discharge: physician only, after the admission notice; retraction stops the clock;
the SIP call is due 3 days after the notice."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from samverkan.cases.models import ReadyPeriod
from samverkan.cases.testing import notified, opened

from .helpers import events


def ready(api, user, case, **over):
    body = {"version": case.version, "sip_needed": False, **over}
    return api.post(user, f"/cases/{case.public_id}/ready", body)


def test_physician_declares_ready(api, world):
    case = notified(world)
    response = ready(api, world.ward_physician, case)
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "ready" and body["clocks"]["days_ready"] == 0
    assert {d["unit"]["hsa_id"] for d in body["messages"][-1]["deliveries"]} == {
        "TEST-a_needs",
        "TEST-pcc",
    }
    assert ReadyPeriod.objects.get().declared_by == world.ward_physician
    assert events("case.ready", user=world.ward_physician).exists()


def test_staff_may_not_declare_and_outsiders_get_404(api, world):
    case = notified(world)
    assert ready(api, world.ward_staff, case).status_code == 403
    assert ready(api, world.b_staff, case).status_code == 404
    assert not ReadyPeriod.objects.exists()


def test_not_before_the_admission_notice(api, world):
    case = opened(world)
    response = ready(api, world.ward_physician, case)
    assert (
        response.status_code == 409
        and "inskrivningsmeddelandet" in response.json()["errors"][0]["message"]
    )


def test_sip_needs_a_consent_answer(api, world):
    case = notified(world)
    response = ready(api, world.ward_physician, case, sip_needed=True)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "sip_consent"


# a fixed noon: the night the clocks go back has a 25-hour day
@time_machine.travel(datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False)
def test_clock_and_retraction(api, world):
    start = timezone.now() - timedelta(days=4)
    case = notified(world, now=start - timedelta(days=1))
    body = ready(
        api,
        world.ward_physician,
        case,
        sip_needed=True,
        sip_consent=True,
        occurred_at=start.isoformat(),
    ).json()
    assert body["clocks"]["days_ready"] == 4 and body["clocks"]["sip_call_overdue"] is True
    response = api.post(
        world.ward_physician,
        f"/cases/{case.public_id}/ready/retract",
        {"version": body["version"], "reason": "Feber"},
    )
    body = response.json()
    assert body["state"] == "admitted" and body["ready_at"] is None
    assert body["clocks"]["days_ready"] is None
    assert ReadyPeriod.objects.get().end_reason == "retracted"
    assert ready(api, world.ward_physician, case, version=body["version"]).status_code == 200
    assert ReadyPeriod.objects.count() == 2


def test_sip_called_stops_the_sip_clock(api, world):
    case = notified(world)
    body = ready(api, world.ward_physician, case, sip_needed=True, sip_consent=True).json()
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert (
            api.get(world.pcc_staff, f"/cases/{case.public_id}").json()["clocks"][
                "sip_call_overdue"
            ]
            is True
        )
        body = api.post(
            world.pcc_staff, f"/cases/{case.public_id}/sip-called", {"version": body["version"]}
        ).json()
        assert body["clocks"]["sip_call_overdue"] is False and body["sip_called_at"]


def test_future_time_is_refused(api, world):
    case = notified(world)
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    response = ready(api, world.ward_physician, case, occurred_at=future)
    assert response.status_code == 400 and response.json()["errors"][0]["rule"] == "future"
