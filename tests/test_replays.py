"""Idempotent replays are new requests in all but effect: the credentials and the access are
checked again, the read is audited, and the store keeps no personal data and expires."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from samverkan.api.idempotency import expire
from samverkan.api.models import ApiToken, IdempotencyRecord
from samverkan.cases import services
from samverkan.cases.testing import actor, notified
from samverkan.sip import services as sips
from samverkan.sip.testing import consented, planned, started, with_unit

from .helpers import events


def _question(api, world, case, user, key="same-key"):
    case.refresh_from_db()
    body = {"version": case.version, "text": "Hur går det med förflyttningen?"}
    return api.post(user, f"/cases/{case.public_id}/questions", body, key=key)


def test_a_replay_reads_the_case_again_and_is_audited(api, world):
    case = notified(world)
    first = _question(api, world, case, world.a_staff)
    again = api.post(
        world.a_staff,
        f"/cases/{case.public_id}/questions",
        {"version": case.version, "text": "Hur går det med förflyttningen?"},
        key="same-key",
    )
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == str(case.public_id)
    assert case.messages.filter(kind="question").count() == 1
    assert events("api.replay", user=world.a_staff).count() == 1
    assert events("case.read", user=world.a_staff, patient=world.patient).count() == 1


def _replay_of_first(api, world, case, user):
    case.refresh_from_db()
    version = case.version
    first = api.post(
        user, f"/cases/{case.public_id}/questions", {"version": version, "text": "?"}, key="k"
    )
    assert first.status_code == 200

    def again():
        return api.post(
            user, f"/cases/{case.public_id}/questions", {"version": version, "text": "?"}, key="k"
        )

    return again


def test_a_removed_unit_gets_404_on_replay(api, world):
    case = notified(world)
    again = _replay_of_first(api, world, case, world.a_staff)
    services.interrupt(actor(world.ward_staff), case, reason="misdirected", unit=world.a_needs)
    response = again()
    assert response.status_code == 404 and "Astrid" not in response.content.decode()


def test_a_revoked_token_gets_401_on_replay(api, world):
    case = notified(world)
    again = _replay_of_first(api, world, case, world.a_staff)
    ApiToken.objects.update(revoked_at=timezone.now())
    response = again()
    assert response.status_code == 401 and "Astrid" not in response.content.decode()


def test_a_revoked_consent_hides_the_plan_on_replay(api, world):
    sip = planned(world, with_unit(world, consented(world, started(world)), world.a_needs))
    path = f"/sips/{sip.public_id}/plan/acknowledge"
    first = api.post(world.a_staff, path, {"number": sip.plan_number}, key="ack")
    assert first.status_code == 200 and "Astrid" in first.content.decode()
    sips.revoke_consent(actor(world.pcc_staff), sip, sip.consents.get())
    again = api.post(world.a_staff, path, {"number": sip.plan_number}, key="ack")
    assert again.status_code == 404 and "Astrid" not in again.content.decode()


def test_the_store_keeps_no_personal_data_and_expires(api, world, settings):
    case = notified(world)
    _question(api, world, case, world.a_staff)
    stored = IdempotencyRecord.objects.get()
    assert stored.resource == f"/api/v1/cases/{case.public_id}" and stored.status == 200
    assert {f.name for f in IdempotencyRecord._meta.fields}.isdisjoint({"body", "content_type"})
    assert world.patient.identity not in str(stored.__dict__)
    settings.IDEMPOTENCY_DAYS = 7
    assert expire(timezone.now() + timedelta(days=6)) == 0
    assert (
        expire(timezone.now() + timedelta(days=8)) == 1 and not IdempotencyRecord.objects.exists()
    )


def test_an_expired_key_counts_as_new(api, world):
    case = notified(world)
    assert _question(api, world, case, world.a_staff, key="old").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        again = _question(api, world, case, world.a_staff, key="old")
    assert again.status_code == 200 and "Idempotent-Replayed" not in again
    assert case.messages.filter(kind="question").count() == 2
