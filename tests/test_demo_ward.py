"""The demo tells the story: right after seed_demo the demo ward has an in-patient in every
state, and the municipality's and primary care's worklists have rows for them too."""

import pytest
from django.core.management import call_command

from samverkan.cases.demo import STORIES
from samverkan.cases.models import Case
from samverkan.cases.worklist import worklist
from samverkan.directory.demo import demo_actor
from samverkan.patients.demo import WALK, WARD


def tasks(username):
    """(patient identity, task kind, overdue, text) for each task on the user's worklist."""
    return [
        (r.case.patient.identity, t.kind, t.overdue, t.text)
        for r in worklist(demo_actor(username))
        for t in r.tasks
    ]


def kinds_of(found, identity):
    return {kind for who, kind, _, _ in found if who == identity}


@pytest.fixture
def demo(db):
    call_command("seed_demo", patients=20, cases=30)


def test_every_ward_person_has_a_story():
    assert set(STORIES) == set(WARD)


def test_the_demo_ward_has_a_patient_in_every_state(demo):
    ward = tasks("avd.sjukskoterska")
    assert {kind for _, kind, _, _ in ward} >= {
        "notice_due",
        "to_acknowledge",
        "care_requests",
        "ready_waiting",
        "rejected",
        "questions",
        "discharge_today",
    }
    late, due = WARD["notice_late"].identity, WARD["notice_due"].identity
    assert [o for who, kind, o, _ in ward if kind == "notice_due" and who in (late, due)] == [
        True,
        False,
    ]
    ready = {who: (o, text) for who, kind, o, text in ward if kind == "ready_waiting"}
    assert ready == {
        WARD["ready_today"].identity: (False, "Kommunen planerar hemgång – utskrivningsklar"),
        WARD["ready_sip_called"].identity: (
            False,
            "Kommunen planerar hemgång – utskrivningsklar i 2 dagar",
        ),
        WARD["ready_sip_late"].identity: (
            True,
            "Kommunen planerar hemgång – utskrivningsklar i 4 dagar",
        ),
    }
    assert kinds_of(ward, WARD["discharge_today"].identity) == {"discharge_today"}
    assert kinds_of(ward, WARD["rejected"].identity) == {"rejected"}
    news = {r.case.patient.identity for r in worklist(demo_actor("avd.sjukskoterska")) if r.news}
    assert WARD["ack_by_all"].identity in news


def test_the_municipality_and_primary_care_have_rows_too(demo):
    needs, pcc = tasks("karlskrona.handlaggare"), tasks("vc.sjukskoterska")
    assert "to_acknowledge" in kinds_of(needs, WARD["ready_today"].identity)
    assert kinds_of(pcc, WARD["ack_by_one"].identity) == {"to_acknowledge"}
    assert not kinds_of(needs, WARD["ack_by_one"].identity)  # acknowledged already
    assert ("sip_call_due", True) in {
        (kind, o) for who, kind, o, _ in pcc if who == WARD["ready_sip_late"].identity
    }
    unread = {r.case.patient.identity for r in worklist(demo_actor("karlskrona.handlaggare"))}
    assert WARD["update_unread"].identity in unread
    assert not kinds_of(needs, WARD["rejected"].identity)  # it went to Karlshamn by mistake


def test_the_walk_patient_waits_at_home_listed_at_wamo(demo):
    from samverkan.patients.models import Patient

    gosta = Patient.objects.select_related("listed_primary_care").get(identity=WALK.identity)
    assert gosta.registered_municipality.name == "Karlskrona kommun"
    assert gosta.listed_primary_care.name == "Vårdcentralen Wämö"
    assert not Case.objects.filter(patient=gosta).exists()
