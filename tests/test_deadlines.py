"""The LOS deadlines agree with themselves: for every case, the Python rule and the query say
the same, so the case list's filter, the worklist, the case page and the indicators agree."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.cases import deadlines
from samverkan.cases.models import Case
from samverkan.cases.testing import opened

from .helpers import text

ZONE = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=ZONE)
H = timedelta(hours=1)

# (state, admitted hours ago, judged hours ago, notice sent, ready hours ago, sip needed, called)
CASES = [
    ("admitted", 25, None, False, None, None, False),  # late notice
    ("admitted", 23, None, False, None, None, False),  # in time
    ("admitted", 30, 10, False, None, None, False),  # the later judgement restarts the 24 h
    ("admitted", 30, 25, False, None, None, False),  # late from the judgement
    ("admitted", 30, None, True, None, None, False),  # sent: not late any more
    ("ready", 200, None, True, 9.4, True, False),  # ready today (09:30 − 9.4 h = 00:06)
    ("ready", 200, None, True, 9.6, True, False),  # ready yesterday 23:54: day 1
    ("ready", 200, None, True, 48 + 9.6, True, False),  # day 3: flagged
    ("ready", 200, None, True, 48 + 9.4, True, False),  # day 2: not yet
    ("ready", 200, None, True, 73, True, False),  # SIP call late
    ("ready", 200, None, True, 73, True, True),  # SIP called
    ("ready", 200, None, True, 73, False, False),  # no SIP needed
]


def _make(world, row):
    state, admitted, judged, sent, ready, sip, called = row
    case = opened(world)
    Case.objects.filter(pk=case.pk).update(
        state=state,
        admitted_at=NOW - admitted * H,
        support_judged_at=NOW - judged * H if judged is not None else None,
        notice_sent_at=NOW - H if sent else None,
        ready_at=NOW - ready * H if ready is not None else None,
        sip_needed=sip,
        sip_called_at=NOW - H if called else None,
    )
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("row", CASES)
def test_python_and_query_agree(world, row):
    case = _make(world, row)
    found = Case.objects.filter(pk=case.pk)
    assert (
        deadlines.notice_overdue(case, NOW)
        == found.filter(deadlines.notice_overdue_q(NOW)).exists()
    )
    assert (case.state == "ready" and deadlines.ready_flagged(case, NOW)) == found.filter(
        deadlines.ready_flagged_q(NOW)
    ).exists()
    late = deadlines.notice_overdue(case, NOW) or deadlines.sip_call_overdue(case, NOW)
    late = late or case.state == "ready" and deadlines.ready_flagged(case, NOW)
    assert late == found.filter(deadlines.overdue_q(NOW)).exists()


def test_days_ready_are_calendar_days():
    case = Case(ready_at=datetime(2026, 11, 24, 23, 59, tzinfo=ZONE))
    assert deadlines.days_ready(case, datetime(2026, 11, 25, 0, 1, tzinfo=ZONE)) == 1
    assert deadlines.ready_flag_at(case) == datetime(2026, 11, 27, 0, 0, tzinfo=ZONE)


def test_the_case_list_filter_counts_the_later_judgement(as_user, world):
    case = opened(world)
    Case.objects.filter(pk=case.pk).update(
        admitted_at=case.admitted_at - 30 * H, support_judged_at=case.admitted_at - 2 * H
    )
    client = as_user(world.ward_staff)
    page = text(client.get(reverse("case_list"), {"overdue": "on"}))
    assert "Astrid Testsson" not in page  # judged 2 h ago: the notice is not yet late
    Case.objects.filter(pk=case.pk).update(support_judged_at=case.admitted_at - 25 * H)
    assert "Astrid Testsson" in text(client.get(reverse("case_list"), {"overdue": "on"}))


@pytest.mark.parametrize(
    "days,doubt", [(-1, "före inskrivningsdagen"), (0, ""), (90, ""), (91, "mer än 90 dagar fram")]
)
def test_implausible_expected_dates_are_flagged_in_lists(as_user, world, days, doubt):
    case = opened(world)
    expected = timezone.localdate(case.admitted_at) + timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(expected_discharge_date=expected)
    assert Case.objects.get(pk=case.pk).expected_date_doubt == doubt
    page = text(as_user(world.ward_staff).get(reverse("case_list")))
    assert (f"Kontrollera: {doubt}" in page) == bool(doubt)
