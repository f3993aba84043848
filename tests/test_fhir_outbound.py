"""Messages back to the record system: queued once in the event's transaction, sent once by the
worker to a real local HTTP server, retried with the same ids, given up and shown to the ward,
sent again by a person; a receiver that times out costs one timeout and blocks nothing."""

import json
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from fhir.resources.R4B.bundle import Bundle

from samverkan import worker
from samverkan.audit.models import AuditEvent
from samverkan.cases import receipts, services
from samverkan.cases.models import Delivery, Message
from samverkan.cases.testing import actor
from samverkan.fhir import profile as p
from samverkan.fhir.models import OutboundMessage
from samverkan.fhir.outbound import send_outbound
from samverkan.notifications.delivery import deliver_outbox
from samverkan.notifications.models import Notification

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "fhir" / "examples"
NOW = datetime(2026, 3, 12, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
S = OutboundMessage.State


class Receiver:
    """A record system on 127.0.0.1: answers each POST as `mode` says (ok, 500, slow, fatal)."""

    def __init__(self):
        self.mode, self.received = "ok", []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.received.append((dict(self.headers), body))
                if receiver.mode == "slow":
                    time.sleep(1.5)
                status, code = {"500": (500, "transient-error"), "fatal": (422, "fatal-error")}.get(
                    receiver.mode, (200, "ok")
                )
                answer = {"entry": [{"resource": {"response": {"code": code}}}]}
                raw = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", p.FHIR_JSON)
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/fhir/R4/$process-message"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def header_ids(self) -> list[str]:
        return [body["entry"][0]["resource"]["id"] for _h, body in self.received]


@pytest.fixture
def receiver(settings):
    server = Receiver()
    settings.FHIR_OUTBOUND_URL = server.url
    settings.FHIR_OUTBOUND_TOKEN = "mottagarens-nyckel"
    settings.FHIR_OUTBOUND_TIMEOUT = 0.5
    settings.FHIR_OUTBOUND_ATTEMPTS = 3
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def from_record(client, api, world):
    """A stay the record system opened and judged (the admission notice went out)."""
    token = api.token(world.ward_staff)
    with time_machine.travel(NOW, tick=False):
        for name in ("01-admission", "02-support-judgement"):
            body = (EXAMPLES / f"{name}.json").read_text()
            response = client.post(
                "/fhir/R4/$process-message",
                body,
                content_type=p.FHIR_JSON,
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            assert response.status_code == 200, response.json()
    return world.patient.cases.get()


def notice_to(case, unit) -> Delivery:
    return Delivery.objects.get(
        message__case=case, message__kind=Message.Kind.ADMISSION_NOTICE, unit=unit
    )


def acknowledge(world, case):
    receipts.acknowledge(actor(world.a_staff), notice_to(case, world.a_needs), now=NOW)


def test_an_acknowledgement_is_queued_once_and_sent_once(receiver, from_record, world):
    acknowledge(world, from_record)
    row = OutboundMessage.objects.get()
    assert row.event == "notice-acknowledged" and row.state == S.PENDING
    assert row.ward == world.ward and row.case == from_record
    Bundle.model_validate(row.bundle)  # a valid R4 message Bundle
    header, patient, communication = (e["resource"] for e in row.bundle["entry"])
    assert header["resourceType"] == "MessageHeader" and header["id"] == str(row.header_id)
    assert header["eventCoding"] == {"system": p.EVENT_SYSTEM, "code": "notice-acknowledged"}
    assert header["sender"]["identifier"]["value"] == world.a_needs.hsa_id
    assert header["destination"][0]["receiver"]["identifier"]["value"] == world.ward.hsa_id
    assert patient["identifier"] == [{"system": p.PERSONNUMMER, "value": world.patient.identity}]
    assert communication["category"][0]["coding"][0]["code"] == "admission_notice"
    assert communication["identifier"][0]["value"] == from_record.short_id

    assert send_outbound(NOW) == 1
    assert send_outbound(NOW + timedelta(hours=1)) == 0  # sent once
    ((headers, body),) = receiver.received
    assert body == row.bundle
    assert headers["Authorization"] == "Bearer mottagarens-nyckel"
    assert headers["Content-Type"] == p.FHIR_JSON
    row.refresh_from_db()
    assert row.state == S.SENT and row.sent_at == NOW and row.attempts == 0


def test_the_same_source_event_is_queued_only_once(receiver, from_record, world):
    from samverkan.fhir import outbound

    acknowledge(world, from_record)
    delivery = notice_to(from_record, world.a_needs)
    outbound.acknowledged(actor(world.a_staff), delivery, NOW)  # e.g. a retried transaction
    assert OutboundMessage.objects.count() == 1


def test_nothing_is_queued_without_a_receiver_or_for_a_stay_typed_by_hand(
    settings, receiver, from_record, world
):
    settings.FHIR_OUTBOUND_URL = ""
    acknowledge(world, from_record)
    assert not OutboundMessage.objects.exists() and send_outbound(NOW) == 0

    settings.FHIR_OUTBOUND_URL = receiver.url
    staff = actor(world.ward_staff)
    by_hand = services.open_case(staff, world.child, admitted_at=NOW, confirm_date=True)
    services.send_admission_notice(staff, by_hand, expected_discharge_date=NOW.date())
    receipts.acknowledge(actor(world.a_staff), notice_to(by_hand, world.a_needs), now=NOW)
    assert not OutboundMessage.objects.exists()


def test_the_wards_own_acknowledgement_is_not_sent_back(receiver, from_record, world):
    question = services.ask(actor(world.a_staff), from_record, text="Har hen hemtjänst?")
    delivery = Delivery.objects.get(message=question, unit=world.ward)
    receipts.mark_read(actor(world.ward_staff), delivery, now=NOW)
    services.answer(actor(world.ward_staff), from_record, question, text="Ja.")
    assert not OutboundMessage.objects.exists()


def test_an_answer_to_the_wards_question(receiver, from_record, world):
    question = services.ask(actor(world.ward_staff), from_record, text="Finns trygghetslarm?")
    services.answer(actor(world.a_staff), from_record, question, text="Ja, sedan 2024.")
    row = OutboundMessage.objects.get()
    assert row.event == "answer"
    Bundle.model_validate(row.bundle)
    communication = row.bundle["entry"][2]["resource"]
    assert communication["payload"] == [{"contentString": "Ja, sedan 2024."}]
    assert communication["category"][0]["coding"][0]["code"] == "question"


def test_retried_with_the_same_ids_then_failed_and_shown(receiver, from_record, world):
    acknowledge(world, from_record)
    row = OutboundMessage.objects.get()
    receiver.mode = "500"
    assert send_outbound(NOW) == 0
    row.refresh_from_db()
    assert row.state == S.PENDING and row.attempts == 1 and "500" in row.last_error
    assert send_outbound(NOW + timedelta(seconds=30)) == 0  # backoff: not due yet
    assert len(receiver.received) == 1
    send_outbound(NOW + timedelta(minutes=1))
    send_outbound(NOW + timedelta(minutes=4))
    row.refresh_from_db()
    assert row.state == S.FAILED and row.attempts == 3
    assert receiver.header_ids() == [str(row.header_id)] * 3
    assert len({body["id"] for _h, body in receiver.received}) == 1  # the same Bundle id too
    assert send_outbound(NOW + timedelta(days=1)) == 0  # given up: no more attempts
    deliver_outbox(NOW)
    told = Notification.objects.get(unit=world.ward, kind="fhir_outbound_failed")
    assert from_record.short_id in told.text and world.patient.family_name not in told.text


def test_a_fatal_error_is_given_up_at_once(receiver, from_record, world):
    acknowledge(world, from_record)
    receiver.mode = "fatal"
    send_outbound(NOW)
    assert OutboundMessage.objects.get().state == S.FAILED


def test_a_receiver_that_times_out_costs_one_timeout_and_blocks_nothing(
    receiver, from_record, world
):
    acknowledge(world, from_record)
    question = services.ask(actor(world.ward_staff), from_record, text="Finns trygghetslarm?")
    services.answer(actor(world.a_staff), from_record, question, text="Ja.")
    receiver.mode = "slow"
    started = time.monotonic()
    counts = worker.run_once(NOW)
    assert time.monotonic() - started < 1.4  # one call of 0.5 s, not the receiver's 1.5 s each
    assert counts["record system messages"] == 0 and "notifications" in counts
    first, second = OutboundMessage.objects.order_by("id")
    assert first.attempts == 1 and "Timeout" in first.last_error
    assert second.attempts == 0 and second.claimed_by == "" and second.state == S.PENDING
    receiver.mode = "ok"
    assert send_outbound(NOW + timedelta(minutes=1)) == 2


def test_the_failed_page_and_send_again(client, receiver, from_record, world):
    acknowledge(world, from_record)
    receiver.mode = "fatal"
    send_outbound(NOW)
    row = OutboundMessage.objects.get()
    url = f"/journalmeddelanden/{row.public_id}/skicka-igen/"

    client.force_login(world.a_staff)  # the municipality sees none of the ward's messages
    assert from_record.short_id not in client.get("/journalmeddelanden/").content.decode()
    assert client.post(url).status_code == 404
    client.force_login(world.ward_reader)
    assert client.post(url).status_code == 403
    client.force_login(world.sysadmin)
    assert from_record.short_id in client.get("/journalmeddelanden/").content.decode()

    client.force_login(world.ward_staff)
    page = client.get("/journalmeddelanden/").content.decode()
    assert "Kvittens" in page and from_record.short_id in page and "Skicka igen" in page
    assert client.post(url).status_code == 302
    row.refresh_from_db()
    assert row.state == S.PENDING and row.attempts == 0
    resent = AuditEvent.objects.get(action="fhir.outbound_resend")
    assert resent.user == world.ward_staff and resent.patient == world.patient
    receiver.mode = "ok"
    assert send_outbound(NOW) == 1
    assert receiver.header_ids() == [str(row.header_id)] * 2
    assert "Inga misslyckade meddelanden" in client.get("/journalmeddelanden/").content.decode()


OUTBOUND_EXAMPLES = EXAMPLES.parent / "outbound"


def _shape(value):
    """A message's structure with its ids and times left out (they differ on every run)."""
    if isinstance(value, dict):
        skip = {"id", "fullUrl", "reference", "timestamp", "sent", "valueDateTime", "endpoint"}
        return {k: _shape(v) for k, v in value.items() if k not in skip}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return value


@pytest.mark.parametrize("event", ["notice-acknowledged", "answer"])
def test_the_documented_examples_are_what_is_sent(receiver, from_record, world, event):
    if event == "answer":
        question = services.ask(actor(world.ward_staff), from_record, text="Finns trygghetslarm?")
        services.answer(actor(world.a_staff), from_record, question, text="Ja, sedan 2024.")
    else:
        acknowledge(world, from_record)
    row = OutboundMessage.objects.get()
    example = json.loads((OUTBOUND_EXAMPLES / f"{event}.json").read_text())
    Bundle.model_validate(example)
    for message in (row.bundle, example):
        ids = {e["fullUrl"] for e in message["entry"]}
        references = {message["entry"][0]["resource"]["focus"][0]["reference"]}
        references.add(message["entry"][2]["resource"]["subject"]["reference"])
        assert references <= ids  # the references resolve inside the Bundle
    sent, documented = _shape(row.bundle), _shape(example)
    for shape in (sent, documented):  # the case's short id differs on every run
        shape["entry"][2]["resource"]["identifier"][0]["value"] = "…"
    assert sent == documented
