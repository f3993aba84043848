"""The standard battery for every SIP write through the API: it works and the database shows
it; the audit event is written once; a repeated request is replayed; a stale version is a
conflict; a wrong method is refused; an outsider gets 404, a reader 403 and a unit whose
consent was revoked 404. The page's actions get the outsider, reader and method checks."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from samverkan.cases.testing import actor
from samverkan.sip import services
from samverkan.sip.actions import ACTIONS
from samverkan.sip.models import Sip
from samverkan.sip.testing import consented, planned, started, with_unit
from tests.helpers import events

pytestmark = pytest.mark.django_db
LATER = timedelta(days=1, minutes=5)  # after a meeting called for tomorrow


def base(world):
    """Primary care started it; municipality A's needs assessment and the ward take part,
    covered by the person's consent for the region and municipality A."""
    return with_unit(
        world, consented(world, with_unit(world, started(world), world.a_needs)), world.ward
    )


def future(days=30) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def kin(world, sip):
    services.add_participant(actor(world.pcc_staff), sip, kind="next_of_kin", name="Karl")
    return sip.participants.get(kind="next_of_kin")


def meeting(world, sip):
    return services.schedule_meeting(
        actor(world.pcc_staff), sip, starts_at=timezone.now() + timedelta(days=1), place="Hemma"
    )


def owner(world, sip):
    return sip.participants.get(unit=world.pcc).public_id


# path (after /sips/{id}), body, acting user, audit action, database check; each a function
# of (world, sip) after `prepare`.
WRITES = {
    "consent": (
        lambda w, s: (
            "/consents",
            {"given_by": "person", "principals": ["10"], "valid_until": future()},
        ),
        "pcc_staff",
        "sip.consent",
        lambda w, s: s.consents.count() == 2,
    ),
    "revoke": (
        lambda w, s: (f"/consents/{s.consents.get().public_id}/revoke", {}),
        "pcc_staff",
        "sip.consent_revoke",
        lambda w, s: s.consents.get().revoked_at is not None,
    ),
    "harm": (
        lambda w, s: (
            "/harm-assessments",
            {"principal": "1082", "may_share": False, "reason": "Men för personen, OSL 26 kap."},
        ),
        "pcc_staff",
        "sip.harm_assessment",
        lambda w, s: s.harm_assessments.get().principal == w.muni_b,
    ),
    "participant": (
        lambda w, s: ("/participants", {"kind": "outside", "organisation": "Försäkringskassan"}),
        "a_staff",
        "sip.participant_add",
        lambda w, s: s.participants.filter(organisation="Försäkringskassan").exists(),
    ),
    "remove": (
        lambda w, s: (f"/participants/{kin(w, s).public_id}/remove", {}),
        "a_staff",
        "sip.participant_remove",
        lambda w, s: not s.participants.get(kind="next_of_kin").active,
    ),
    "meeting": (
        lambda w, s: (
            "/meetings",
            {"starts_at": f"{future(3)}T10:00:00+01:00", "place": "Vårdcentralen"},
        ),
        "a_staff",
        "sip.meeting",
        lambda w, s: s.meetings.get().invitations.count() == 4,  # three units and the person
    ),
    "attendance": (
        lambda w, s: (
            f"/meetings/{meeting(w, s).public_id}/attendance",
            {
                "attended": [str(s.participants.get(kind="person").public_id)],
                "person_attended": True,
            },
        ),
        "pcc_staff",
        "sip.attendance",
        lambda w, s: s.meetings.get().person_attended is True,
    ),
    "plan": (
        lambda w, s: (
            "/plan",
            {
                "needs": "Stöd med läkemedel.",
                "goals": "Bo kvar hemma.",
                "lead_principal": "10",
                "follow_up_date": future(),
                "actions": [{"text": "Dosett", "participant": str(owner(w, s)), "person": "Eva"}],
            },
        ),
        "a_staff",
        "sip.plan",
        lambda w, s: s.plans.count() == 1 and s.plans.get().unit == w.a_needs,
    ),
    "follow_up": (
        lambda w, s: (
            "/follow-ups",
            {"held_on": timezone.localdate().isoformat(), "notes": "Bra."},
        ),
        "pcc_staff",
        "sip.follow_up",
        lambda w, s: s.follow_ups.count() == 1,
    ),
    "close": (
        lambda w, s: ("/close", {"reason": "Målen är nådda."}),
        "pcc_staff",
        "sip.close",
        lambda w, s: s.state == Sip.State.CLOSED and s.quality_score is not None,
    ),
}
NEEDS_PLAN = {"follow_up", "close"}


def prepared(world, verb):
    sip = base(world)
    if verb in NEEDS_PLAN:
        sip = planned(world, sip)
    return sip


def traveling(verb):
    """Attendance is recorded after the meeting started."""
    if verb == "attendance":
        return time_machine.travel(timezone.now() + LATER, tick=True)
    return time_machine.travel(timezone.now(), tick=True)


@pytest.mark.parametrize("verb", WRITES)
def test_battery(world, api, verb):
    make, who, action, check = WRITES[verb]
    sip = prepared(world, verb)
    path, body = make(world, sip)
    sip.refresh_from_db()
    url = f"/sips/{sip.public_id}{path}"
    user = getattr(world, who)
    data = {"version": sip.version, **body}
    before = events(action).count()  # the set-up may have written the same kind
    with traveling(verb):
        assert api.post(world.b_staff, url, data).status_code == 404  # not taking part
        assert api.post(world.other_ward_staff, url, data).status_code == 404
        assert api.post(world.ward_reader, url, data).status_code == 403  # reads, not writes
        assert api.get(world.ward_reader, f"/sips/{sip.public_id}").status_code == 200
        assert api.get(user, url).status_code == 405
        stale = api.post(user, url, {**data, "version": sip.version - 1})
        assert stale.status_code == 409 and stale.json()["errors"][0]["rule"] == "conflict"
        assert events(action).count() == before
        first = api.post(user, url, data, key=f"sip-{verb}")
        assert first.status_code == 200, first.json()
        again = api.post(user, url, data, key=f"sip-{verb}")
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert events(action).count() == before + 1
    assert events(action, user=user, patient=world.patient).exists()
    sip.refresh_from_db()
    assert check(world, sip) and sip.version == data["version"] + 1


@pytest.mark.parametrize("verb", WRITES)
def test_a_unit_whose_consent_was_revoked_gets_404(world, api, verb):
    make, _, action, _ = WRITES[verb]
    sip = prepared(world, verb)
    path, body = make(world, sip)
    consent = sip.consents.filter(revoked_at=None).first()
    services.revoke_consent(actor(world.pcc_staff), sip, consent)
    sip.refresh_from_db()
    with traveling(verb):
        response = api.post(
            world.a_staff, f"/sips/{sip.public_id}{path}", {"version": sip.version, **body}
        )
    assert response.status_code == 404
    assert not events(action, unit=world.a_needs).exists()


def test_acknowledge_battery(world, api):
    """A unit acknowledges the version it read; a newer one written since is a conflict."""
    sip = planned(world, base(world))
    url = f"/sips/{sip.public_id}/plan/acknowledge"
    assert api.post(world.b_staff, url, {"number": 1}).status_code == 404
    assert api.post(world.ward_reader, url, {"number": 1}).status_code == 403
    assert api.get(world.a_staff, url).status_code == 405
    planned(world, sip, needs="Ändrade behov.")  # version 2 while municipality A read 1
    stale = api.post(world.a_staff, url, {"number": 1})
    assert stale.status_code == 409 and not events("sip.plan_ack").exists()
    first = api.post(world.a_staff, url, {"number": 2}, key="ack-1")
    again = api.post(world.a_staff, url, {"number": 2}, key="ack-1")
    assert first.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert events("sip.plan_ack", user=world.a_staff, patient=world.patient).count() == 1
    ack = sip.plans.get(number=2).acks.get(unit=world.a_needs)
    assert ack.acknowledged_by == world.a_staff
    done = api.post(world.a_staff, url, {"number": 2})
    assert done.status_code == 409 and done.json()["errors"][0]["rule"] == "state"
    services.revoke_consent(actor(world.pcc_staff), sip, sip.consents.get())
    assert api.post(world.ward_staff, url, {"number": 2}).status_code == 404


def test_the_page_acknowledges_the_version_shown(world, as_user):
    sip = planned(world, base(world))
    client = as_user(world.a_staff)
    page = client.get(reverse("sip_detail", args=[sip.public_id])).content.decode()
    assert 'name="number" value="1"' in page
    planned(world, sip, needs="Ändrade behov.")
    url = reverse("sip_action", args=[sip.public_id, "ack"])
    stale = client.post(url, {"number": 1})
    assert stale.status_code == 400 and "har ändrats av någon annan" in stale.content.decode()
    assert client.post(url, {"number": 2}).status_code == 302
    assert sip.plans.get(number=2).acks.get(unit=world.a_needs).acknowledged_at


def test_start_battery(world, api):
    body = {
        "kind": "preventive",
        "target_group": "addiction",
        "need_seen_by": "Socialsekreterare",
        "need": "Samordning av beroendevård och boendestöd.",
        "identity": world.patient.identity,
        "preventive_signs": ["mental_health_addiction"],
    }
    assert api.post(world.ward_reader, "/sips", body).status_code == 403
    assert api.post(world.analyst, "/sips", body).status_code == 403
    assert api.post(world.a_staff, "/sips", body, method="PUT").status_code == 405
    bad = api.post(world.a_staff, "/sips", {**body, "preventive_signs": []})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "preventive_signs"
    assert not Sip.objects.exists() and not events("sip.start").exists()
    first = api.post(world.a_staff, "/sips", body, key="start-1")
    again = api.post(world.a_staff, "/sips", body, key="start-1")
    assert first.status_code == 201 and again["Idempotent-Replayed"] == "true"
    sip = Sip.objects.get()
    assert sip.initiating_unit == world.a_needs and sip.target_group == "addiction"
    assert events("sip.start", user=world.a_staff, patient=world.patient).count() == 1
    assert api.get(world.b_staff, f"/sips/{sip.public_id}").status_code == 404
    assert api.get(world.pcc_staff, f"/sips/{sip.public_id}").status_code == 404  # no consent


@pytest.mark.parametrize("key", sorted(ACTIONS))
def test_page_actions_refuse_outsiders_readers_and_wrong_methods(world, as_user, key):
    sip = base(world)
    version, before = sip.version, events(f"sip.{key}").count()
    url = reverse("sip_action", args=[sip.public_id, key])
    assert as_user(world.b_staff).post(url, {"version": sip.version}).status_code == 404
    assert as_user(world.ward_reader).post(url, {"version": sip.version}).status_code == 403
    assert as_user(world.pcc_staff).get(url).status_code == 405
    sip.refresh_from_db()
    assert sip.version == version and events(f"sip.{key}").count() == before
