"""Discharge with its checklist, closing once all acknowledge, automatic closing, interruption."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from samverkan.cases.models import Case, Delivery
from samverkan.cases.testing import acknowledge_all, discharged, notified, ready
from samverkan.notifications.models import Notification

from .helpers import events

CHECKLIST = {
    "medication_list": True,
    "medicines_three_days": True,
    "care_report": "Se bilaga",
    "transport": "Sjukresa 14:00",
}


def post(api, user, case, verb, **body):
    case.refresh_from_db()
    return api.post(user, f"/cases/{case.public_id}/{verb}", {"version": case.version, **body})


def test_discharge_sends_the_information(api, world):
    case = ready(world)
    response = post(
        api, world.ward_staff, case, "discharge", destination="home", checklist=CHECKLIST
    )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "discharged" and body["checklist"]["transport"] == "Sjukresa 14:00"
    info = body["messages"][-1]
    assert info["kind"] == "discharge" and info["data"]["late"] is False
    assert len(info["deliveries"]) == 2 and events("case.discharge").exists()


def test_discharge_needs_medication_list_and_report(api, world):
    case = ready(world)
    response = post(
        api,
        world.ward_staff,
        case,
        "discharge",
        destination="home",
        checklist={"transport": "taxi"},
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "checklist"
    response = post(
        api, world.ward_staff, case, "discharge", destination="månen", checklist=CHECKLIST
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "destination"
    case.refresh_from_db()
    assert case.state == "ready"


def test_information_entered_after_the_day_is_marked_late(api, world):
    case = ready(world, now=timezone.now() - timedelta(days=3))
    response = post(
        api,
        world.ward_staff,
        case,
        "discharge",
        destination="home",
        checklist=CHECKLIST,
        occurred_at=(timezone.now() - timedelta(days=2)).isoformat(),
    )
    assert response.json()["messages"][-1]["data"]["late"] is True


def test_close_only_when_all_acknowledged(api, world):
    case = discharged(world)
    response = post(api, world.ward_staff, case, "close")
    assert response.status_code == 409 and "kvitterat" in response.json()["errors"][0]["message"]
    acknowledge_all(case, world, "discharge")
    response = post(api, world.ward_staff, case, "close")
    assert response.status_code == 200 and response.json()["state"] == "closed"
    case.refresh_from_db()
    assert case.closed_by == world.ward_staff and events("case.close").exists()
    assert not case.participants.filter(active=True).exists()
    assert post(api, world.ward_staff, case, "close").status_code == 409


def test_worker_delivers_notifications_digests_and_closes_old_cases(world, settings):
    case = discharged(world)
    call_command("run_worker", "--once")
    assert Notification.objects.filter(unit=world.a_needs).count() == 3  # notice, ready, disch.
    assert mail.outbox == []  # the digest waits DIGEST_MINUTES
    later = timezone.now() + timedelta(days=settings.CASE_AUTO_CLOSE_DAYS, minutes=1)
    from samverkan.worker import run_once

    done = run_once(later)
    assert done["closed"] == 1 and done["e-mails"] == 2
    digest = next(m for m in mail.outbox if m.to == ["a_needs@test.invalid"])
    assert "1 × Inskrivningsmeddelande" in digest.body and "1 × Utskrivningsklar" in digest.body
    assert world.patient.family_name not in digest.body  # no personal data by e-mail
    case.refresh_from_db()
    assert case.state == "closed" and case.closed_by is None
    assert run_once(later) == {
        "notifications": 0,
        "e-mails": 0,
        "closed": 0,
        "invitations": 0,
        "idempotency keys expired": 0,
        "indicator months": 0,
        "held FHIR messages": 0,
        "record system messages": 0,
        "forum mail": 0,
        "follow-up calls": 0,
        "downtime snapshots": 0,  # this check time's snapshots were taken by the first pass
    }


def test_interruption_closes_and_tells_everyone(api, world):
    case = ready(world)
    response = post(api, world.ward_staff, case, "interruption", reason="died")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "closed" and body["close_reason"] == "Patienten har avlidit"
    assert len(body["messages"][-1]["deliveries"]) == 2
    assert case.ready_periods.get().end_reason == "closed"


def test_interruption_for_one_unit(api, world):
    case = notified(world)
    response = post(
        api, world.ward_staff, case, "interruption", reason="declined", unit="TEST-a_needs"
    )
    assert response.status_code == 200 and response.json()["state"] == "admitted"
    assert api.get(world.a_staff, f"/cases/{case.public_id}").status_code == 404
    assert Delivery.objects.filter(unit=world.a_needs, message__kind="interruption").exists()


def test_interruption_needs_a_reason_and_the_ward(api, world):
    case = notified(world)
    assert post(api, world.ward_staff, case, "interruption", reason="trött").status_code == 400
    assert post(api, world.a_staff, case, "interruption", reason="died").status_code == 403
    case.refresh_from_db()
    assert case.state == Case.State.ADMITTED


def test_attach_the_discharge_summary_and_read_it_back(api, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = ready(world)
    pdf = b"%PDF-1.4\n% synthetic epikris\n"
    upload = SimpleUploadedFile("epikris.pdf", pdf, content_type="application/pdf")
    response = api.client.post(
        f"/api/v1/cases/{case.public_id}/attachments",
        {"version": case.version, "file": upload},
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.ward_staff)}",
        HTTP_IDEMPOTENCY_KEY="att-1",
    )
    assert response.status_code == 200
    attachment = response.json()["attachments"][0]
    assert attachment["name"] == "epikris.pdf" and attachment["size"] == len(pdf)
    url = f"/cases/{case.public_id}/attachments/{attachment['id']}"
    download = api.get(world.a_staff, url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    assert events("case.attachment_read", user=world.a_staff).exists()
    assert api.get(world.b_staff, url).status_code == 404


def test_attachment_type_is_checked(api, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = ready(world)
    upload = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = api.client.post(
        f"/api/v1/cases/{case.public_id}/attachments",
        {"version": case.version, "file": upload},
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.ward_staff)}",
        HTTP_IDEMPOTENCY_KEY="att-2",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "file"
    assert not case.attachments.exists()


def test_notifications_are_listed_and_marked_read(api, world):
    notified(world)
    call_command("run_worker", "--once")
    listed = api.get(world.a_staff, "/notifications").json()
    item = listed["items"][0]
    assert listed["count"] == 1 and item["person"] == "Astrid Testsson"
    assert "Astrid" not in item["text"] and "Inskrivningsmeddelande" in item["text"]
    first = listed["items"][0]["id"]
    assert api.post(world.b_staff, f"/notifications/{first}/read").status_code == 404
    assert api.post(world.a_staff, f"/notifications/{first}/read").json()["read_at"]
    assert Notification.objects.get(pk=first).read_by == world.a_staff
