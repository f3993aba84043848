"""Each unit's worklist: what to do now, overdue flagged, in a fixed number of queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from samverkan.cases import services
from samverkan.cases.testing import actor, notified, opened, ready
from samverkan.cases.worklist import worklist
from samverkan.patients.models import Patient
from samverkan.testing import PNR_PROTECTED


def test_ward_sees_overdue_notice(world):
    opened(world, now=timezone.now() - timedelta(hours=25))
    items = worklist(actor(world.ward_staff))["notice_due"]
    assert len(items) == 1 and items[0].overdue


# a fixed noon: the night the clocks go back has a 25-hour day
@time_machine.travel(datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False)
def test_municipality_sees_new_notices_then_ready_patients(world, api):
    case = notified(world, now=timezone.now() - timedelta(days=4))
    body = api.get(world.a_staff, "/worklist").json()
    assert body["counts"]["to_acknowledge"] == 1 and body["items"][0]["delivery"]
    services.declare_ready(
        actor(world.ward_physician),
        case,
        sip_needed=False,
        occurred_at=timezone.now() - timedelta(days=3),
    )
    sections = worklist(actor(world.a_staff))
    assert len(sections["ready_waiting"]) == 1 and sections["ready_waiting"][0].overdue
    assert worklist(actor(world.b_staff)) == {k: [] for k in sections}


def test_discharge_today_and_sip_due(world):
    case = ready(world, sip_needed=True)
    services.name_care_contact(actor(world.pcc_staff), case, name="Ulla")
    services.update_expected_discharge(
        actor(world.ward_staff), case, expected_discharge_date=timezone.localdate()
    )
    assert len(worklist(actor(world.a_staff))["discharge_today"]) == 1
    later = timezone.now() + timedelta(days=4)
    due = worklist(actor(world.pcc_staff), later)["sip_call_due"]
    assert len(due) == 1 and due[0].overdue


def test_worklist_query_count_does_not_grow_with_cases(world, django_assert_max_num_queries):
    notified(world)
    other = Patient.objects.get(identity=PNR_PROTECTED)
    second = services.open_case(actor(world.ward_staff), other)
    services.send_admission_notice(
        actor(world.ward_staff), second, expected_discharge_date=timezone.localdate()
    )
    unit_staff = actor(world.a_staff)
    with django_assert_max_num_queries(7):
        sections = worklist(unit_staff)
        assert len(sections["to_acknowledge"]) == 2
        assert [i.case.patient.full_name for i in sections["to_acknowledge"]]


def test_read_only_roles_and_analysts(api, world):
    assert api.get(world.ward_reader, "/worklist").status_code == 200
    assert api.get(world.analyst, "/worklist").status_code == 403
