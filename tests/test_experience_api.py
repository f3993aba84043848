"""The follow-up call and survey API: the conventions of the LOS case (404 for outsiders,
structured and bounded errors that write nothing, the list audited)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.experience import services
from samverkan.experience.models import CallAttempt, FollowUpCall, TrustResponse, TrustSurvey
from samverkan.experience.testing import persons, rule_for, stay

ANSWERS = {
    "answered_by": "next_of_kin",
    "ctm_1": 3,
    "ctm_2": 3,
    "ctm_3": 4,
    "ctm_4": 0,
    "knows_contact": "unsure",
    "comment": "Osäker på vem som ringer.",
}


@pytest.fixture
def call(world):
    rule_for(world)
    stay(world, persons(world, 1)[0], timezone.now() - timedelta(days=4))
    services.draw_calls()
    return FollowUpCall.objects.get()


def test_list_read_and_attempt(world, api, call):
    listing = api.get(world.pcc_staff, "/followup-calls").json()
    assert [i["id"] for i in listing["items"]] == [str(call.public_id)]
    assert AuditEvent.objects.filter(action="followup_call.list", patient=call.case.patient)
    assert api.get(world.pcc_staff, f"/followup-calls/{call.public_id}").status_code == 200
    url = f"/followup-calls/{call.public_id}/attempts"
    assert api.post(world.pcc_staff, url, {"outcome": "not_reached"}).status_code == 200
    body = {
        "outcome": "reached",
        "answers": {
            **ANSWERS,
            "needs_action": True,
            "action_text": "Ring upp.",
            "action_unit": world.pcc.hsa_id,
        },
    }
    found = api.post(world.pcc_staff, url, body).json()
    assert found["state"] == "answered" and len(found["attempts"]) == 2
    assert found["answers"]["action_unit"] == world.pcc.hsa_id


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"outcome": "reached"}, None, "required"),
        ({"outcome": "reached", "answers": {**ANSWERS, "ctm_1": 5}}, "answers.ctm_1", None),
        (
            {"outcome": "reached", "answers": {**ANSWERS, "comment": "x" * 501}},
            "answers.comment",
            None,
        ),
        ({"outcome": "perhaps"}, "outcome", None),
        (
            {
                "outcome": "reached",
                "answers": {
                    **ANSWERS,
                    "needs_action": True,
                    "action_text": "X",
                    "action_unit": "TEST-b_needs",
                },
            },
            "action_unit",
            "not_participant",
        ),
    ],
)
def test_bad_input_is_a_structured_error_and_writes_nothing(world, api, call, body, field, rule):
    response = api.post(world.pcc_staff, f"/followup-calls/{call.public_id}/attempts", body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert field is None or error["field"] == field
    assert rule is None or error["rule"] == rule
    assert CallAttempt.objects.count() == 0


@pytest.mark.parametrize("outsider", ["b_staff", "a_staff", "analyst"])
def test_outsiders_get_404(world, api, call, outsider):
    user = getattr(world, outsider)
    assert api.get(user, f"/followup-calls/{call.public_id}").status_code == 404
    body = {"outcome": "declined", "answers": {**ANSWERS, "action_unit": "TEST-x"}}
    response = api.post(user, f"/followup-calls/{call.public_id}/attempts", body)
    assert response.status_code == 404 and CallAttempt.objects.count() == 0


def test_statistics_and_the_trust_survey(world, api, call):
    stats = api.get(world.analyst, "/followup-calls/statistics", fran="2026-01").json()
    assert set(stats["tables"]) == {"municipality", "age", "sex"}
    assert api.get(world.analyst, "/followup-calls/statistics", fran="x").status_code == 400
    today = timezone.localdate()
    TrustSurvey.objects.create(title="T", opens_on=today, closes_on=today)
    body = {"scores": [{"principal": world.region.code, "score": 4}]}
    assert api.post(world.a_staff, "/trust-survey/answers", body).status_code == 200
    again = api.post(world.a_staff, "/trust-survey/answers", body)
    assert again.status_code == 400 and again.json()["errors"][0]["rule"] == "answered"
    assert TrustResponse.objects.count() == 1
    assert api.get(world.a_staff, "/trust-survey/results").status_code == 400  # none closed
    TrustSurvey.objects.update(opens_on=today - timedelta(9), closes_on=today - timedelta(1))
    results = api.get(world.a_staff, "/trust-survey/results").json()
    kommun_a = next(r for r in results["rows"] if r[0] == world.muni_a.name)
    assert None in kommun_a  # one answer: <5


def test_a_sip_experience(world, api, time_machine):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from samverkan.experience.models import SipExperience

    from .test_experience_goals import held_sip

    time_machine.move_to(datetime(2026, 12, 2, 12, tzinfo=ZoneInfo("Europe/Stockholm")))
    sip, meeting = held_sip(world, datetime(2026, 11, 10, 13, tzinfo=ZoneInfo("Europe/Stockholm")))
    url = f"/sips/{sip.public_id}/experiences"
    body = {
        "meeting": str(meeting.public_id),
        "answered_by": "person",
        "took_part": 4,
        "what_matters": 4,
        "knows_next": 3,
    }
    bad = api.post(world.pcc_staff, url, {**body, "knows_next": 9})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "knows_next"
    assert api.post(world.b_staff, url, body).status_code == 404
    assert SipExperience.objects.count() == 0
    found = api.post(world.pcc_staff, url, body).json()
    assert found["month"] == "2026-11-01" and SipExperience.objects.count() == 1
    again = api.post(world.pcc_staff, url, body)
    assert again.status_code == 400 and again.json()["errors"][0]["rule"] == "registered"
