"""The person's experience of a SIP, and the effect goals the calls and surveys feed, against
figures computed by hand (a table), each with its own baseline."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from samverkan.audit.models import AuditEvent
from samverkan.cases.testing import actor
from samverkan.experience import surveys
from samverkan.experience.models import CallRecord, SipExperience, TrustResponse, TrustSurvey
from samverkan.followup import goals
from samverkan.followup.indicators import Filters
from samverkan.sip import services as sips
from samverkan.sip.testing import consented, planned, started, with_unit

SE = ZoneInfo("Europe/Stockholm")
NOV = Filters(date(2026, 11, 1), date(2026, 11, 30))
OCT = Filters(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture(autouse=True)
def december_2026(time_machine):
    """The tests' dates are fixed: the consent of a November SIP must still hold."""
    time_machine.move_to(datetime(2026, 12, 2, 12, tzinfo=SE))


def held_sip(world, when: datetime):
    """A SIP started, consented and planned two days before its meeting at `when`, held."""
    with time_machine.travel(when - timedelta(days=2), tick=False):
        sip = planned(world, with_unit(world, consented(world, started(world)), world.a_needs))
        staff = actor(world.pcc_staff)
        meeting = sips.schedule_meeting(staff, sip, starts_at=when, place="Vårdcentralen")
        sip.refresh_from_db()
    later = when + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        sips.record_attendance(staff, sip, meeting=meeting, attended=[], person_attended=True)
    sip.refresh_from_db()
    return sip, meeting


def experience(world, sip, meeting, **answers):
    values = {"answered_by": "person", "took_part": 4, "what_matters": 3, "knows_next": 0}
    return surveys.register_sip_experience(
        actor(world.pcc_staff), sip, meeting=meeting, **{**values, **answers}
    )


def calls(world, month: date, rows):
    for outcome, ctm, knows in rows:
        CallRecord.objects.create(
            pseudonym=f"p{CallRecord.objects.count()}",
            municipality=world.muni_a,
            age_band="80+",
            sex="K",
            month=month,
            outcome=outcome,
            attempts=1,
            ctm_score=ctm,
            knows_contact=knows,
        )


def trust(world, opens: date, closes: date, scores):
    survey = TrustSurvey.objects.create(title=f"{opens}", opens_on=opens, closes_on=closes)
    for source, score in scores:
        TrustResponse.objects.create(
            survey=survey, respondent_principal=source, about_principal=world.region, score=score
        )


@pytest.fixture
def data(world, settings):
    settings.SMALL_CELL_LIMIT = 1  # figures by hand; suppression is tested apart
    settings.EXPERIENCE_BASELINE_MONTHS = 3
    calls(world, date(2026, 1, 1), [("answered", 50.0, "yes"), ("answered", 100.0, "no")])
    calls(world, date(2026, 1, 1), [("declined", None, "")])
    nov = [("answered", 80.0, "yes"), ("answered", 90.0, "yes"), ("not_reached", None, "")]
    calls(world, date(2026, 11, 1), nov)
    trust(world, date(2026, 2, 1), date(2026, 2, 28), [(world.muni_a, 3), (world.muni_a, 4)])
    period = [(world.muni_a, 4), (world.muni_a, 5), (world.muni_b, 5)]
    trust(world, date(2026, 11, 1), date(2026, 11, 20), period)
    sip, meeting = held_sip(world, datetime(2026, 11, 10, 13, tzinfo=SE))
    experience(world, sip, meeting)  # (4, 3, vet ej): mean 3.5 -> 83.3
    return world


def row(table, start):
    found = [r for r in table.rows if r[0].startswith(start)]
    assert len(found) == 1, start
    return found[0]


@pytest.mark.parametrize(
    ("goal", "baseline", "expected"),
    [
        # CTM-4: Jan–Mar mean (50 + 100) / 2; November (80 + 90) / 2
        ("Trygghet efter utskrivning", "2026-01-01–2026-03-31", [75.0, 85.0, 10.0, "Bättre"]),
        # knowing whom to contact: 1 of 2 answered, then 2 of 2
        ("Vet vem de ska kontakta", "2026-01-01–2026-03-31", [50.0, 100.0, 50.0, "Bättre"]),
        # trust: the first survey (3 + 4) / 2; November's (4 + 5 + 5) / 3 = 4.67
        ("Förtroende mellan", "2026-02-01–2026-02-28", [3.5, 4.67, 1.2, "Bättre"]),
        # SIP: the first month with an experience is November itself: the baseline
        ("Delaktighet i SIP", "2026-11-01–2027-01-31", [83.3, 83.3, 0.0, "Oförändrat"]),
    ],
)
def test_effect_goals_against_hand_computed_figures(data, goal, baseline, expected):
    found = row(goals.goals_table(NOV, OCT), goal)
    assert f"(basperiod {baseline})" in found[0]
    assert found[1] == "Öka" and found[2:] == expected


def test_a_configured_baseline(data, settings):
    settings.EXPERIENCE_BASELINE = "2026-11-01:2026-11-30"
    found = row(goals.goals_table(NOV, OCT), "Trygghet efter utskrivning")
    assert "(basperiod 2026-11-01–2026-11-30)" in found[0] and found[2:4] == [85.0, 85.0]


def test_the_goals_follow_the_municipality_filter(data, world):
    only_b = Filters(date(2026, 11, 1), date(2026, 11, 30), municipality=world.muni_b.pk)
    assert row(goals.goals_table(only_b, OCT), "Trygghet efter")[3] == "–"  # no calls in B
    assert row(goals.goals_table(only_b, OCT), "Förtroende mellan")[3] == 5.0


def test_small_cells_hide_the_goal_figures(data, settings):
    settings.SMALL_CELL_LIMIT = 5
    table = goals.goals_table(NOV, OCT)
    for start in ("Trygghet efter", "Vet vem", "Förtroende mellan", "Delaktighet i SIP"):
        assert row(table, start)[3] == "dolt", start


def test_the_trend_by_month(data):
    series = goals.experience_trend(NOV, OCT)
    assert series["Trygghet, CTM-4 (0–100)"] == [None, 85.0]  # October, November
    assert series["Förtroende (1–5) × 20"] == [None, 93.4]  # 4.67 × 20
    assert series["Delaktighet i SIP (0–100)"] == [None, 83.3]


# --- the SIP experience form ---------------------------------------------------------------


def test_staff_register_the_experience_after_a_held_meeting(world, as_user):
    sip, meeting = held_sip(world, datetime(2026, 11, 10, 13, tzinfo=SE))
    client = as_user(world.pcc_staff)
    url = f"/enkater/sip/{sip.public_id}/"
    assert "Jag fick vara med och påverka min plan" in client.get(url).content.decode()
    form = {"meeting": str(meeting.public_id), "answered_by": "next_of_kin"}
    answers = {"took_part": "3", "what_matters": "4", "knows_next": "2"}
    assert client.post(url, {**form, **answers, "took_part": "5"}).status_code == 400
    assert client.post(url, {**form, **answers}).status_code == 302
    found = SipExperience.objects.get()
    assert (found.answered_by, found.took_part, found.month) == (
        "next_of_kin",
        3,
        date(2026, 11, 1),
    )
    assert AuditEvent.objects.filter(action="sip.experience", patient=sip.patient).exists()
    assert client.post(url, {**form, **answers}).status_code == 400  # the meeting is done
    assert SipExperience.objects.count() == 1


def test_a_meeting_not_held_takes_no_experience(world):
    sip = planned(world, with_unit(world, consented(world, started(world)), world.a_needs))
    from django.utils import timezone

    meeting = sips.schedule_meeting(
        actor(world.pcc_staff), sip, starts_at=timezone.now() + timedelta(days=1), place="VC"
    )
    sip.refresh_from_db()
    assert not surveys.unrated_meetings(sip).exists()
    with pytest.raises(ValidationError, match="har hållits"):
        experience(world, sip, meeting)


@pytest.mark.parametrize("outsider", ["b_staff", "analyst", "other_ward_staff"])
def test_outsiders_get_404(world, as_user, outsider):
    sip, meeting = held_sip(world, datetime(2026, 11, 10, 13, tzinfo=SE))
    client = as_user(getattr(world, outsider))
    assert client.get(f"/enkater/sip/{sip.public_id}/").status_code == 404
    body = {"meeting": str(meeting.public_id), "answered_by": "person", "took_part": "3"}
    assert client.post(f"/enkater/sip/{sip.public_id}/", body).status_code == 404
    assert SipExperience.objects.count() == 0
