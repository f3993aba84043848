"""Messages back to the record system: a unit's acknowledgement of the ward's notice and an
answer to the ward's question, as FHIR message Bundles. Queued in the transaction of the event
(unique per source event, so exactly once), sent by the worker (send_outbound) with the same
Bundle and MessageHeader id on every attempt, given up after FHIR_OUTBOUND_ATTEMPTS and then
shown to the ward and the system admin (views.outbound_failed), who can send it again."""

import logging
import uuid

import requests
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.core.leases import claim, release, worker_id
from samverkan.core.mailing import backoff
from samverkan.notifications.notify import notify

from . import profile as p
from .models import OutboundMessage, ReceivedMessage

log = logging.getLogger(__name__)
BATCH = 100
ACKNOWLEDGED = "notice-acknowledged"  # events in profile.EVENT_SYSTEM, sent by us
ANSWERED = "answer"
OUTBOUND_EVENTS = {ACKNOWLEDGED: "Kvittens", ANSWERED: "Svar"}
S = OutboundMessage.State


# --- queueing (called in the service's transaction) ----------------------------------------


def enabled() -> bool:
    return bool(settings.FHIR_OUTBOUND_URL)


def _from_the_record(case, actor) -> bool:
    """Only stays the record system sent, and only what another unit says to the ward."""
    return (
        enabled()
        and actor.unit.pk != case.ward_id
        and ReceivedMessage.objects.filter(case=case).exists()
    )


def acknowledged(actor, delivery, now) -> None:
    """A unit acknowledged (kvitterade) one of the ward's messages."""
    message = delivery.message
    if message.sender_unit_id != message.case.ward_id or not _from_the_record(message.case, actor):
        return
    text = f"Kvitterat: {message.get_kind_display()}"
    _queue(actor, message.case, ACKNOWLEDGED, f"delivery:{delivery.public_id}", message, text, now)


def answered(actor, original, answer, now) -> None:
    """A unit answered the ward's question or request."""
    if original.sender_unit_id != original.case.ward_id or not _from_the_record(
        original.case, actor
    ):
        return
    _queue(actor, original.case, ANSWERED, f"answer:{answer.public_id}", original, answer.text, now)


def _queue(actor, case, event, source, about, text, now) -> None:
    row = OutboundMessage(source=source, event=event, case=case, ward=case.ward, created_at=now)
    row.bundle = bundle(row, actor.unit, about, text, now)
    with transaction.atomic():  # a repeated source is already queued: exactly once
        OutboundMessage.objects.bulk_create([row], ignore_conflicts=True)


def _hsa(unit) -> dict:
    return {"identifier": {"system": p.HSA_SYSTEMS[0], "value": unit.hsa_id}, "display": unit.name}


def bundle(row: OutboundMessage, sender, about, text: str, now) -> dict:
    """The message: MessageHeader (focus: the Communication), the Patient, the Communication."""
    case, patient = row.case, row.case.patient
    patient_id, communication_id = str(uuid.uuid4()), str(uuid.uuid4())
    kind = {v: k for k, v in p.IDENTITY_SYSTEMS.items()}.get(patient.identity_kind)
    header = {
        "resourceType": "MessageHeader",
        "id": str(row.header_id),
        "extension": [{"url": p.EVENT_TIME, "valueDateTime": now.isoformat()}],
        "eventCoding": {"system": p.EVENT_SYSTEM, "code": row.event},
        "destination": [{"endpoint": settings.FHIR_OUTBOUND_URL, "receiver": _hsa(case.ward)}],
        "sender": _hsa(sender),
        "source": {"name": "Samverkan", "endpoint": p.SOURCE_ENDPOINT},
        "focus": [{"reference": f"urn:uuid:{communication_id}"}],
    }
    communication = {
        "resourceType": "Communication",
        "id": communication_id,
        "identifier": [{"system": p.CASE_SYSTEM, "value": case.short_id}],
        "status": "completed",
        "category": [{"coding": [{"system": p.MESSAGE_KIND_SYSTEM, "code": about.kind}]}],
        "subject": {"reference": f"urn:uuid:{patient_id}"},
        "sent": now.isoformat(),
        "recipient": [_hsa(case.ward)],
        "sender": _hsa(sender),
        "payload": [{"contentString": text}],
    }
    person = {"resourceType": "Patient", "id": patient_id}
    if kind:
        person["identifier"] = [{"system": kind, "value": patient.identity}]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "message",
        "timestamp": now.isoformat(),
        "entry": [
            {"fullUrl": f"urn:uuid:{r['id']}", "resource": r}
            for r in (header, person, communication)
        ],
    }


# --- sending (the worker job) ---------------------------------------------------------------


class ReceiverDown(Exception):
    """The receiver did not take the message (network, timeout, 5xx): the pass stops here."""


class Refused(Exception):
    """The receiver refused this message for good (fatal-error, 4xx): retrying will not help."""


def send_outbound(now=None) -> int:
    """A worker job: send due messages oldest first; a receiver that is down ends the pass
    (one timeout per pass, the other jobs go on) and the rest stay due."""
    if not enabled():
        return 0
    now = now or timezone.now()
    due = OutboundMessage.objects.filter(state=S.PENDING).exclude(next_attempt_at__gt=now)
    rows, sent = claim(due, worker_id(), now, BATCH), 0
    for i, row in enumerate(rows):
        try:
            post(row.bundle)
        except ReceiverDown as error:
            _attempt_failed(row, str(error), now, final=False)
            for rest in rows[i + 1 :]:
                release(rest)
            break
        except Refused as error:
            _attempt_failed(row, str(error), now, final=True)
            continue
        OutboundMessage.objects.filter(pk=row.pk).update(
            state=S.SENT, sent_at=now, last_error="", claimed_by="", claimed_at=None
        )
        sent += 1
    return sent


def post(message: dict) -> None:
    """One attempt, with a timeout; raises ReceiverDown or Refused unless the receiver took it."""
    headers = {"Content-Type": p.FHIR_JSON, "Accept": p.FHIR_JSON}
    if settings.FHIR_OUTBOUND_TOKEN:
        headers["Authorization"] = f"Bearer {settings.FHIR_OUTBOUND_TOKEN}"
    try:
        response = requests.post(
            settings.FHIR_OUTBOUND_URL,
            json=message,
            headers=headers,
            timeout=settings.FHIR_OUTBOUND_TIMEOUT,
        )
    except requests.RequestException as error:
        raise ReceiverDown(f"Ingen kontakt med mottagaren ({type(error).__name__}).") from None
    code = _response_code(response)
    status = response.status_code
    if status >= 500 or status in (408, 429) or code == "transient-error":
        raise ReceiverDown(f"Mottagaren svarade {status} {code}".strip() + ".")
    if status >= 400 or code == "fatal-error":
        raise Refused(f"Mottagaren avvisade meddelandet ({status} {code}).")


def _response_code(response) -> str:
    """MessageHeader.response.code of an acknowledgement, if the receiver sent one."""
    try:
        header = response.json()["entry"][0]["resource"]
        return str(header["response"]["code"])[:20]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


def _attempt_failed(row: OutboundMessage, error: str, now, *, final: bool) -> None:
    log.warning("FHIR outbound %s failed: %s", row.header_id, error)
    attempts = row.attempts + 1
    given_up = final or attempts >= settings.FHIR_OUTBOUND_ATTEMPTS
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=row.pk).update(
            attempts=attempts,
            next_attempt_at=now + backoff(attempts),
            last_error=error[:300],
            state=S.FAILED if given_up else S.PENDING,
            failed_at=now if given_up else None,
            claimed_by="",
            claimed_at=None,
        )
        if given_up:
            notify(
                [row.ward],
                "fhir_outbound_failed",
                f"{OUTBOUND_EVENTS[row.event]} kunde inte skickas till journalsystemet "
                f"({row.case.short_id})",
                case=row.case,
                link=reverse("fhir_outbound_failed"),
            )


# --- a person sends it again ----------------------------------------------------------------


def send_again(actor, row: OutboundMessage, now=None) -> OutboundMessage:
    """A failed message goes back in the queue, with the same ids (the receiver can tell)."""
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(pk=row.pk, state=S.FAILED).update(
            state=S.PENDING, attempts=0, next_attempt_at=None, failed_at=None
        )
        record(
            actor,
            "fhir.outbound_resend",
            patient=row.case.patient,
            obj=row,
            detail={"header_id": str(row.header_id), "requeued": bool(updated)},
        )
    row.refresh_from_db()
    return row
