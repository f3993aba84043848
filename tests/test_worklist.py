"""Each unit's worklist: one row per patient saying whose move it is, binding notices to
acknowledge and updates shown as new, overdue flagged, in a fixed number of queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from samverkan.cases import receipts, services
from samverkan.cases.models import Delivery
from samverkan.cases.testing import actor, notified, opened, ready
from samverkan.cases.worklist import worklist
from samverkan.patients.models import Patient
from samverkan.testing import PNR_NEW, PNR_PROTECTED

from .helpers import text

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def rows_for(user, case, now=None):
    return [r for r in worklist(actor(user), now) if r.case.pk == case.pk]


def kinds(row):
    return [t.kind for t in row.tasks]


def test_ward_sees_overdue_notice_in_words(world):
    opened(world, now=timezone.now() - timedelta(hours=25))
    (row,) = worklist(actor(world.ward_staff))
    assert kinds(row) == ["notice_due"] and row.overdue
    assert row.tasks[0].text == "Skicka inskrivningsmeddelande"
    assert row.tasks[0].when.startswith("försenat sedan ")


# a fixed noon: the night the clocks go back has a 25-hour day
@time_machine.travel(NOON, tick=False)
def test_municipality_sees_the_notice_then_plans_the_way_home(world, api):
    case = notified(world, now=timezone.now() - timedelta(days=4))
    body = api.get(world.a_staff, "/worklist").json()
    (row,) = body["rows"]
    assert body["counts"]["to_acknowledge"] == 1 and row["to_acknowledge"] == 1
    assert row["tasks"][0]["text"] == "Kvittera inskrivningsmeddelande"
    assert row["senders"] == [world.ward.name]
    services.declare_ready(
        actor(world.ward_physician),
        case,
        sip_needed=False,
        occurred_at=timezone.now() - timedelta(days=4),
    )
    (row,) = rows_for(world.a_staff, case)
    ready_task = next(t for t in row.tasks if t.kind == "ready_waiting")
    assert ready_task.text == "Planera hemgång – utskrivningsklar i 4 dagar" and ready_task.overdue
    (ward_row,) = rows_for(world.ward_staff, case)
    assert ward_row.tasks[0].text == "Kommunen planerar hemgång – utskrivningsklar i 4 dagar"
    assert worklist(actor(world.b_staff)) == []


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("days,words", [(1, "i 1 dag"), (2, "i 2 dagar")])
def test_days_ready_in_swedish_and_flagged_from_the_third_day(world, days, words):
    case = ready(world, now=timezone.now() - timedelta(days=days))
    task = next(t for t in rows_for(world.a_staff, case)[0].tasks if t.kind == "ready_waiting")
    assert task.text.endswith(words) and not task.overdue


def test_one_ordinary_stay_leaves_each_receiving_unit_one_row(world):
    """Notice, planned support, care contact, ADL, a changed date, ready, SIP called and
    discharge: the receiving units each have one row, with what is new, and one click."""
    case = notified(world)
    ward, muni, pcc = actor(world.ward_staff), actor(world.a_staff), actor(world.pcc_staff)
    steps = [
        lambda: services.add_planned_support(muni, case, text="Hemtjänst morgon och kväll"),
        lambda: services.name_care_contact(pcc, case, name="Ulla Vårdsson"),
        lambda: services.record_adl(ward, case, items={"bathing": {"level": "partly"}}),
        lambda: services.update_expected_discharge(
            ward, case, expected_discharge_date=timezone.localdate() + timedelta(days=3)
        ),
        lambda: services.declare_ready(
            actor(world.ward_physician), case, sip_needed=True, sip_consent=True
        ),
        lambda: services.record_sip_called(pcc, case),
    ]
    for step in steps:
        step()
        for user in (world.a_staff, world.pcc_staff):
            assert len(rows_for(user, case)) == 1
    (row,) = rows_for(world.a_staff, case)
    assert row.to_acknowledge == 2  # the admission notice and the ready notice
    assert {"ADL-status", "Fast vårdkontakt utsedd", "Kallelse till SIP"} <= set(row.news)
    assert receipts.acknowledge_all(muni, case) == 2  # one click
    (row,) = rows_for(world.a_staff, case)
    assert row.to_acknowledge == 0 and not row.news
    assert kinds(row) == ["ready_waiting"]  # whose move: the municipality's


def test_updates_are_read_by_opening_the_case_not_acknowledged(as_user, world):
    case = notified(world)
    services.record_adl(actor(world.ward_staff), case, items={"feeding": {"level": "dependent"}})
    update = Delivery.objects.get(unit=world.a_needs, message__kind="adl")
    assert not update.needs_ack and not update.is_overdue(timezone.now() + timedelta(days=9))
    assert rows_for(world.a_staff, case)[0].news == ["ADL-status"]
    as_user(world.a_staff).get(reverse("case_detail", args=[case.public_id]))
    assert not rows_for(world.a_staff, case)[0].news
    assert Delivery.objects.get(pk=update.pk).state == "read"


def test_acknowledge_all_in_one_click_from_the_page(as_user, world):
    case = ready(world)
    client = as_user(world.a_staff)
    response = client.post(reverse("case_acknowledge_all", args=[case.public_id]))
    assert response.status_code == 302
    open_ = Delivery.objects.filter(unit=world.a_needs, state__in=Delivery.OPEN_STATES)
    assert not open_.filter(needs_ack=True).exists()
    url = reverse("case_acknowledge_all", args=[case.public_id])
    assert as_user(world.b_staff).post(url).status_code == 404  # outsiders first
    assert as_user(world.ward_reader).post(url).status_code == 403


def test_acknowledge_all_over_the_api(api, world):
    case = ready(world)
    response = api.post(world.pcc_staff, f"/cases/{case.public_id}/acknowledge-all", {})
    assert response.status_code == 200
    assert not Delivery.objects.filter(unit=world.pcc, state="sent", needs_ack=True).exists()
    assert (
        api.post(world.b_staff, f"/cases/{case.public_id}/acknowledge-all", {}).status_code == 404
    )


def test_a_question_is_due_at_the_next_check_time(world):
    case = notified(world)
    asked = timezone.now()
    services.ask(actor(world.a_staff), case, text="Har patienten trygghetslarm?")
    task = next(t for t in rows_for(world.ward_staff, case)[0].tasks if t.kind == "questions")
    assert task.due_at > asked and task.due_at.minute == 0
    assert task.text == "Besvara frågan: Har patienten trygghetslarm?"


def test_a_rejection_comes_back_to_the_ward_with_its_reason(as_user, world):
    case = notified(world)
    delivery = Delivery.objects.get(unit=world.a_needs, message__kind="admission_notice")
    receipts.reject(actor(world.a_staff), delivery, reason="not_registered")
    task = next(t for t in rows_for(world.ward_staff, case)[0].tasks if t.kind == "rejected")
    assert task.text == (
        f"Avvisat av {world.a_needs.name}: personen är inte folkbokförd här"
        " – skicka till rätt enhet"
    )
    assert task.href.endswith(f"/skicka-om/formular/?delivery={delivery.public_id}")
    ward = as_user(world.ward_staff)
    assert "skicka till rätt enhet" in text(ward.get(reverse("start")))
    assert "Skicka till rätt enhet" in text(ward.get(task.href))  # one click to the form
    Delivery.objects.filter(pk=delivery.pk).update(settled_at=timezone.now())
    assert rows_for(world.ward_staff, case) == []  # settled: nothing left to do


def test_discharge_today_and_sip_due(world):
    case = ready(world, sip_needed=True)
    services.name_care_contact(actor(world.pcc_staff), case, name="Ulla")
    services.update_expected_discharge(
        actor(world.ward_staff), case, expected_discharge_date=timezone.localdate()
    )
    assert "discharge_today" in kinds(rows_for(world.a_staff, case)[0])
    later = timezone.now() + timedelta(days=4)
    (row,) = rows_for(world.pcc_staff, case, later)
    sip = next(t for t in row.tasks if t.kind == "sip_call_due")
    assert sip.overdue and row.tasks[0].overdue  # overdue tasks head the row


def test_worklist_query_count_does_not_grow_with_cases(world, django_assert_max_num_queries):
    notified(world)
    other = Patient.objects.get(identity=PNR_PROTECTED)
    second = services.open_case(actor(world.ward_staff), other)
    services.send_admission_notice(
        actor(world.ward_staff), second, expected_discharge_date=timezone.localdate()
    )
    unit_staff = actor(world.a_staff)
    with django_assert_max_num_queries(2):  # the stays with what rows show, what deliveries ask
        rows = worklist(unit_staff)
        assert len(rows) == 2 and all(r.case.patient.full_name for r in rows)


def test_read_only_roles_and_analysts(api, world):
    assert api.get(world.ward_reader, "/worklist").status_code == 200
    assert api.get(world.analyst, "/worklist").status_code == 403


def test_a_question_is_a_task_not_news(world):
    case = notified(world)
    services.ask(actor(world.a_staff), case, text="Har patienten trygghetslarm?")
    (row,) = rows_for(world.ward_staff, case)
    assert "questions" in kinds(row) and row.news == []


def test_answering_a_care_request_is_also_its_receipt(api, world):
    from samverkan.cases import intake
    from samverkan.cases.models import Message

    from .test_care_request import REQUEST

    case = opened(world)
    assert api.post(world.a_staff, "/care-requests", REQUEST).status_code == 201
    sent = Message.objects.get(case=case, kind="care_request")
    care = Delivery.objects.get(message=sent, unit=world.ward)
    assert care.needs_ack and "care_requests" in kinds(rows_for(world.ward_staff, case)[0])
    intake.answer_care_request(actor(world.ward_staff), case, sent, text="Mottagen")
    care.refresh_from_db()
    assert care.state == "acknowledged" and care.acknowledged_by == world.ward_staff
    (row,) = rows_for(world.ward_staff, case)
    assert kinds(row) == ["notice_due"] and row.to_acknowledge == 0  # the request is done


@pytest.mark.parametrize("in_list_max", [0, 500])  # a large unit's subquery, a list otherwise
def test_the_stays_are_read_once_whatever_their_number(world, monkeypatch, in_list_max):
    """Every source looks among the unit's stays read once: the queries do not grow with them,
    and a large unit (a subquery) gets the same rows as a small one (a list)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samverkan.core import worklists

    monkeypatch.setattr(worklists, "IN_LIST_MAX", in_list_max)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            worklist(actor(world.a_staff), timezone.now())
        return len(captured)

    case = ready(world)
    one = queries()
    (row,) = rows_for(world.a_staff, case)
    assert row.to_acknowledge == 2 and "ready_waiting" in kinds(row)
    first = world.patient
    world.patient = Patient.objects.create(
        identity=PNR_NEW,
        identity_kind="personnummer",
        birth_date="1940-01-16",
        given_name="Berit",
        family_name="Testsson",
        registered_municipality=world.muni_a,
        listed_primary_care=world.pcc,
    )
    notified(world)
    assert queries() == one
    assert {r.case.patient for r in worklist(actor(world.a_staff))} == {first, world.patient}


def test_a_question_is_not_crowded_out_by_updates(world, monkeypatch):
    """One query reads what the deliveries ask, capped: questions and rejections come first."""
    from samverkan.cases import worklist as module

    monkeypatch.setattr(module, "LIMIT", 1)  # at most 8 deliveries read
    case = notified(world)
    for days in range(1, 10):
        when = timezone.localdate() + timedelta(days=days)
        services.update_expected_discharge(
            actor(world.ward_staff), case, expected_discharge_date=when
        )
    services.ask(actor(world.ward_staff), case, text="Har patienten trygghetslarm?")
    (row,) = rows_for(world.a_staff, case)
    assert "questions" in kinds(row) and row.to_acknowledge == 1


def test_notices_are_not_crowded_out_by_questions(world, monkeypatch):
    """Each kind has a cap of its own: many questions leave the notice to acknowledge."""
    from samverkan.cases import worklist as module

    monkeypatch.setattr(module, "LIMIT", 1)  # at most 4 deliveries of each kind read
    case = notified(world)
    for n in range(9):
        services.ask(actor(world.ward_staff), case, text=f"Fråga {n + 1}")
    (row,) = rows_for(world.a_staff, case)
    assert row.to_acknowledge == 1 and row.senders == [world.ward.name]
    assert "questions" in kinds(row)


def test_patients_due_at_the_same_time_come_by_name(world):
    when = timezone.now() - timedelta(hours=1)
    first = opened(world, now=when)
    other = Patient.objects.get(identity=PNR_PROTECTED)
    other.family_name = "Östberg"
    other.save()
    services.open_case(actor(world.ward_staff), other, now=when, admitted_at=when)
    rows = worklist(actor(world.ward_staff))
    assert [r.case.patient.family_name for r in rows] == [first.patient.family_name, "Östberg"]
    assert rows[0].due_at == rows[1].due_at


def test_a_stay_joined_between_the_reads_waits_for_the_next_load(world, monkeypatch):
    """A large unit's stays are a subquery in the second read: a stay it joined in between
    has deliveries but was not read with the others. It comes with the next load."""
    from samverkan.cases import worklist as module
    from samverkan.core import worklists

    monkeypatch.setattr(worklists, "IN_LIST_MAX", 0)
    first, real = notified(world), module.open_deliveries

    def meanwhile(unit_staff, ids):
        other = Patient.objects.get(identity=PNR_PROTECTED)
        ward_staff = actor(world.ward_staff)
        second = services.open_case(ward_staff, other)
        when = timezone.localdate()
        services.send_admission_notice(ward_staff, second, expected_discharge_date=when)
        return real(unit_staff, ids)

    monkeypatch.setattr(module, "open_deliveries", meanwhile)
    assert [r.case.pk for r in worklist(actor(world.a_staff))] == [first.pk]
    monkeypatch.setattr(module, "open_deliveries", real)
    assert len(worklist(actor(world.a_staff))) == 2


def test_names_in_swedish_alphabetical_order():
    from samverkan.lib.swedish import sort_key

    names = ["Östberg", "åberg", "Ärlig", "Zetterberg", "Édith", "eklund", "Müller", "Mäkelä"]
    assert sorted(names, key=sort_key) == [
        *("Édith", "eklund", "Müller", "Mäkelä", "Zetterberg", "åberg", "Ärlig", "Östberg"),
    ]
