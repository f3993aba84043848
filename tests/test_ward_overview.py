"""The ward overview (Inneliggande): every in-patient of the ward with the notice's receipts,
clocks and plan; only the ward's own; sortable; a fixed number of queries; each row audited."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.cases import services
from samverkan.cases.models import Case
from samverkan.cases.overview import COLUMNS, headers, ward_overview
from samverkan.cases.testing import (
    acknowledge_all,
    actor,
    in_patients,
    notified,
    opened,
    ready,
)

from .helpers import events, text

URL = reverse("ward_overview")


def admit(world, patient, hours_ago=2, user=None):
    staff = actor(user or world.ward_staff)
    when = timezone.now() - timedelta(hours=hours_ago)
    return services.open_case(staff, patient, now=when, admitted_at=when)


def names(body):
    return re.findall(r'<a href="/arenden/[^"]+/">([^<]+)</a>', body)


def test_a_row_shows_receipts_clocks_and_the_plan(as_user, world):
    case = ready(world, sip_needed=True)
    acknowledge_all(case, world, "admission_notice")
    pcc = actor(world.pcc_staff)
    services.name_care_contact(pcc, case, name="Eva Läkare")
    services.record_adl(actor(world.ward_staff), case, items={"bathing": {"level": "partly"}})
    Case.objects.filter(pk=case.pk).update(expected_discharge_date=timezone.localdate())
    body = text(as_user(world.ward_staff).get(URL))
    assert "Astrid Testsson" in body and "19400104-2383" in body
    assert 'A Needs: <span class="state-acknowledged">Kvitterat</span>' in body
    assert 'Pcc: <span class="state-acknowledged">Kvitterat</span>' in body
    assert "0 dagar" in body and "Behövs, ej kallad" in body
    assert "Pcc, Eva Läkare" in body and "Ej registrerad" not in body
    assert '<span class="badge receiver">Ja</span>' in body  # skrivs ut i dag
    assert 'data-label="Kvitterat av"' in body  # reflows to cards on a tablet


def test_open_receipts_late_notices_and_impossible_dates_are_flagged(as_user, world):
    late = opened(world, now=timezone.now() - timedelta(hours=30))
    Case.objects.filter(pk=late.pk).update(
        expected_discharge_date=timezone.localdate() + timedelta(days=200)
    )
    two_days_ago = timezone.now() - timedelta(days=2)
    unanswered = admit(world, world.child, hours_ago=50)
    services.send_admission_notice(
        actor(world.ward_staff),
        unanswered,
        expected_discharge_date=date.today(),
        now=two_days_ago,
        occurred_at=two_days_ago,
    )
    body = text(as_user(world.ward_staff).get(URL))
    assert "Försenat</span> skulle skickats senast" in body
    assert "Kontrollera: mer än 90 dagar fram" in body
    assert "Ej registrerad" in body and "Ej utsedd" in body
    overdue = 'A Needs: <span class="state-sent">Skickat</span> <span class="badge late">Försenad'
    assert body.count(overdue) == 1  # the child's notice, to the municipality only


def test_the_receipt_state_of_each_recipient(as_user, world):
    case = notified(world)
    acknowledge_all(case, world, "admission_notice")
    body = text(as_user(world.ward_staff).get(URL))
    assert body.count("Kvitterat</span>") == 2
    admit(world, world.child)
    body = text(as_user(world.ward_staff).get(URL))
    assert body.count("Kvitterat</span>") == 2 and "2 patienter" in body


def test_expected_date_rule():
    """The overview flags what the case list flags (cases.clock.expected_date_doubt)."""
    case = Case(admitted_at=timezone.now() - timedelta(days=3))
    admitted = timezone.localdate(case.admitted_at)
    for days, flagged in ((-1, True), (0, False), (90, False), (91, True)):
        case.expected_discharge_date = admitted + timedelta(days=days)
        assert bool(case.expected_date_doubt) is flagged, days
    case.expected_discharge_date = None
    assert not case.expected_date_doubt


def test_only_the_wards_own_in_patients(as_user, world):
    ready(world)
    admit(world, world.child, user=world.other_ward_staff)
    discharged = admit(world, world.protected)
    Case.objects.filter(pk=discharged.pk).update(state="discharged")
    mine = text(as_user(world.ward_staff).get(URL))
    assert "Astrid Testsson" in mine and "Elsa" not in mine and "Skyddad" not in mine
    theirs = text(as_user(world.other_ward_staff).get(URL))
    assert "Elsa Testsson" in theirs and "Astrid" not in theirs


def test_units_without_in_patients_get_404_and_no_link(as_user, world):
    ready(world)
    for outsider in (world.a_staff, world.pcc_staff, world.ed_staff, world.analyst):
        client = as_user(outsider)
        assert client.get(URL).status_code == 404  # before any role check
        assert 'href="/inneliggande/"' not in text(client.get(reverse("start")))
    client = as_user(world.ward_reader)
    assert client.get(URL).status_code == 200
    assert 'href="/inneliggande/"' in text(client.get(reverse("start")))
    assert as_user(world.ward_staff).post(URL).status_code == 405


def test_sorted_by_a_whitelisted_column_either_way(as_user, world):
    cases = in_patients(world, 3)  # admitted 2, 3 and 4 hours ago
    client = as_user(world.ward_staff)
    by_admission = names(text(client.get(URL + "?sort=inskriven")))
    assert by_admission == ["Test Efternamn2", "Test Efternamn1", "Test Efternamn0"]
    body = text(client.get(URL + "?sort=-inskriven"))
    assert names(body) == by_admission[::-1]
    assert 'aria-sort="descending"><a class="sort" href="?sort=inskriven"' in body
    services.send_admission_notice(
        actor(world.ward_staff), cases[2], expected_discharge_date=date.today()
    )
    services.declare_ready(actor(world.ward_physician), cases[2], sip_needed=False)
    ready_first = names(text(client.get(URL + "?sort=klar")))
    assert ready_first[0] == "Test Efternamn2"  # the others, not ready, last either way
    assert names(text(client.get(URL + "?sort=-klar")))[0] == "Test Efternamn2"
    for junk in ("drop table", "-", "--patient", "__class__"):
        response = client.get(URL, {"sort": junk})
        assert response.status_code == 200
        assert names(text(response)) == ["Test Efternamn0", "Test Efternamn1", "Test Efternamn2"]


def test_headers_link_each_column_and_mark_the_current_one():
    shown = headers("-adl")
    assert [h.key for h in shown] == list(COLUMNS)
    assert [h.aria_sort for h in shown if h.aria_sort] == ["descending"]
    assert next(h for h in shown if h.key == "adl").href == "?sort=adl"
    assert next(h for h in shown if h.key == "sip").href == "?sort=sip"
    assert next(h for h in headers(None) if h.key == "patient").href == "?sort=-patient"


@pytest.mark.parametrize("count", [1, 6])
def test_a_fixed_number_of_queries(world, django_assert_num_queries, count):
    for case in in_patients(world, count):
        services.send_admission_notice(
            actor(world.ward_staff), case, expected_discharge_date=date.today()
        )
    staff, now = actor(world.ward_staff), timezone.now()
    with django_assert_num_queries(2):
        rows = ward_overview(staff, now, "kvittens")
        assert len(rows) == count and all(len(r.receipts) == 2 for r in rows)
        assert all(r.days_ready is None and r.adl_updated_at is None for r in rows)


def test_every_patient_shown_is_audited(as_user, world):
    ready(world)
    admit(world, world.child)
    admit(world, world.protected, user=world.other_ward_staff)
    as_user(world.ward_staff).get(URL)
    shown = events("case.list", user=world.ward_staff)
    assert set(shown.values_list("patient", flat=True)) == {world.patient.pk, world.child.pk}


@pytest.mark.parametrize(
    "value,filters,shown",
    [  # 09:05 UTC is 10:05 in Stockholm in winter, 11:05 in summer
        ("2026-11-29T09:05:00+00:00", "stamp", '<span class="nowrap">2026-11-29</span> 10:05'),
        ("2026-07-01T09:05:00+00:00", "stamp", '<span class="nowrap">2026-07-01</span> 11:05'),
        ("2026-11-29T23:30:00+00:00", "day", "2026-11-30"),
        ("2026-11-29T23:30:00+00:00", "clock", "00:30"),
        (None, "stamp", ""),
        ("", "day", ""),  # what is no date shows nothing, as with `date`
    ],
)
def test_the_table_dates_are_local_and_match_the_date_filter(value, filters, shown):
    from datetime import datetime

    from django.template import Context, Template

    at = datetime.fromisoformat(value) if value else value
    mine = Template("{% load when %}{{ at|" + filters + " }}").render(Context({"at": at}))
    django = {"stamp": '<span class="nowrap">{{ at|date:"Y-m-d" }}</span> {{ at|date:"H:i" }}'}
    django |= {"day": '{{ at|date:"Y-m-d" }}', "clock": '{{ at|date:"H:i" }}'}
    same = Template(django[filters]).render(Context({"at": at})) if at else ""
    assert mine == shown == same
