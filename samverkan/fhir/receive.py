"""Receiving one message reliably (as MedCom): a resend with the same Bundle id and
MessageHeader id gets the first acknowledgement and changes nothing; an id reused with other
content is refused; a refused message writes nothing; one that waits for an earlier one is
held (samverkan.fhir.ordering)."""

import contextlib

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from .dispatch import apply
from .message import Message
from .models import ReceivedMessage
from .ordering import held_ack, in_order, release, stay_key
from .outcome import MessageError, Waiting, acknowledgement, refuse


def receive(actor, msg: Message) -> tuple[int, dict]:
    """(HTTP status, acknowledgement Bundle) for a parsed message from the actor's unit."""
    if msg.sender_hsa != actor.unit.hsa_id:
        raise refuse(
            f"{msg.header.path}.sender.identifier.value",
            "forbidden",
            "Avsändarens HSA-id är inte integrationskontots enhet.",
            403,
        )
    earlier = _earlier(actor, msg)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            return 200, _apply_or_hold(actor, msg)
    except IntegrityError:  # the same message at the same moment: answer as its resend
        earlier = _earlier(actor, msg)
        if earlier is None:
            raise
        return earlier
    except OperationalError:
        issue = ("Bundle", "transient", "Tillfälligt fel: skicka meddelandet igen senare.")
        return 503, acknowledgement(msg.header.data["id"], "transient-error", [issue])


def _apply_or_hold(actor, msg: Message) -> dict:
    """Apply the message and then what of its stay waited for it; or hold it."""
    header_id, key = msg.header.data["id"], stay_key(actor.unit, msg)
    try:
        case, before = in_order(actor, msg, key, apply)
    except Waiting as waiting:
        ack = held_ack(header_id, waiting)
        state = ReceivedMessage.State.HELD
        _record(actor, msg, None, ack, key, state=state, body=msg.body, note=str(waiting)[:300])
        return ack
    ack = acknowledgement(header_id, "ok")
    _record(actor, msg, case, ack, key, applied_at=timezone.now(), body=msg.body, before=before)
    release(actor, key)
    return ack


def _earlier(actor, msg: Message) -> tuple[int, dict] | None:
    header_id = msg.header.data["id"]
    found = ReceivedMessage.objects.filter(
        Q(bundle_id=msg.bundle_id) | Q(header_id=header_id), sender=actor.unit
    ).first()
    if found is None:
        return None
    if (found.bundle_id, found.header_id, found.fingerprint) != (
        msg.bundle_id,
        header_id,
        msg.fingerprint(),
    ):
        raise refuse(
            "Bundle.id",
            "duplicate",
            "Bundle-id eller MessageHeader-id är redan använt för ett annat meddelande.",
        )
    return found.status, found.response


def _record(actor, msg: Message, case, ack: dict, key: str, **fields) -> None:
    ReceivedMessage.objects.create(
        stay_key=key,
        **fields,
        sender=actor.unit,
        bundle_id=msg.bundle_id,
        header_id=msg.header.data["id"],
        fingerprint=msg.fingerprint(),
        event=msg.event,
        case=case,
        occurred_at=msg.occurred_at,
        sent_at=msg.sent_at,
        status=200,
        response=ack,
    )


def refused(body: dict | None, error: MessageError) -> tuple[int, dict]:
    """The fatal-error acknowledgement for a refused message (its header id if it has one)."""
    header_id = ""
    with contextlib.suppress(KeyError, IndexError, TypeError):
        header_id = body["entry"][0]["resource"]["id"]
    return error.status, acknowledgement(str(header_id)[:64], "fatal-error", error.issues)
