"""Confirmation before irreversible steps (interrupt, close, reject, remove a participant, revoke
consent): the step says what will happen, and a POST without the confirmation changes nothing
and shows it again — one mechanism (samverkan.core.confirm) for all."""

from django.urls import reverse

from samverkan.cases.models import Case, Delivery, Message
from samverkan.cases.testing import acknowledge_all, discharged, notified
from samverkan.sip.testing import consented, started, with_unit

from .helpers import events, text

CONFIRM_ERROR = "Bekräfta att du förstår vad som händer"


def case_post(client, case, key, data):
    return client.post(reverse("case_action", args=[case.public_id, key]), data)


def test_interrupting_asks_first_and_changes_nothing_without(as_user, world):
    case = notified(world)
    client = as_user(world.ward_staff)
    form = text(client.get(reverse("case_action_form", args=[case.public_id, "interrupt"])))
    assert "Jag förstår att processen avbryts" in form and 'name="confirm"' in form
    data = {"version": case.version, "reason": "died"}
    refused = case_post(client, case, "interrupt", data)
    assert refused.status_code == 400 and CONFIRM_ERROR in text(refused)
    assert "Jag förstår att processen avbryts" in text(refused)  # shown again, still open
    case.refresh_from_db()
    assert case.state == "admitted" and not Message.objects.filter(kind="interruption").exists()
    assert not events("case.interrupt").exists()
    assert case_post(client, case, "interrupt", {**data, "confirm": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED


def test_closing_asks_first(as_user, world):
    case = discharged(world)
    acknowledge_all(case, world, "discharge")
    client = as_user(world.ward_staff)
    refused = case_post(client, case, "close", {"version": case.version})
    assert refused.status_code == 400 and "Jag förstår att ärendet avslutas" in text(refused)
    case.refresh_from_db()
    assert case.state == "discharged"
    done = case_post(client, case, "close", {"version": case.version, "confirm": "on"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == "closed"


def test_rejecting_asks_first(as_user, world):
    notified(world)
    delivery = Delivery.objects.get(unit=world.a_needs)
    client = as_user(world.a_staff)
    url = reverse("delivery_action", args=[delivery.public_id, "reject"])
    page = text(client.get(reverse("case_detail", args=[delivery.message.case.public_id])))
    assert "Jag förstår att meddelandet avvisas" in page
    response = client.post(url, {"reason": "not_known"}, follow=True)
    assert CONFIRM_ERROR in text(response)
    delivery.refresh_from_db()
    assert delivery.state == "read" and not events("delivery.reject").exists()
    client.post(url, {"reason": "not_known", "confirm": "on"})
    delivery.refresh_from_db()
    assert delivery.state == "rejected"


def test_revoking_consent_and_removing_a_participant_ask_first(as_user, world):
    sip = with_unit(world, consented(world, started(world)), world.a_needs)
    client = as_user(world.pcc_staff)
    page = text(client.get(reverse("sip_detail", args=[sip.public_id])))
    assert "Jag förstår att samtycket återkallas" in page
    assert "Jag förstår att deltagaren tas bort" in page
    consent = sip.consents.get()
    revoke = reverse("sip_action", args=[sip.public_id, "revoke"])
    data = {"version": sip.version, "consent": consent.public_id}
    refused = client.post(revoke, data)
    assert refused.status_code == 400 and CONFIRM_ERROR in text(refused)
    consent.refresh_from_db()
    assert consent.revoked_at is None
    participant = sip.participants.get(unit=world.a_needs)
    remove = reverse("sip_action", args=[sip.public_id, "remove"])
    refused = client.post(remove, {"version": sip.version, "participant": participant.public_id})
    assert refused.status_code == 400
    participant.refresh_from_db()
    assert participant.active
    done = client.post(
        remove, {"version": sip.version, "participant": participant.public_id, "confirm": "on"}
    )
    assert done.status_code == 302
    participant.refresh_from_db()
    assert not participant.active
