"""A phoned notice back-entered and the record system's FHIR message for the same stay are one
event, whichever comes first, kept at the earlier time; two live notices are still refused."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError

from samverkan.cases import services
from samverkan.cases.models import Message
from samverkan.cases.testing import actor
from samverkan.downtime.backentry import register_back_entry

from .test_fhir_messaging import NOW, send, stay
from .test_fhir_messaging import fhir as fhir_fixture

fhir = fhir_fixture  # the fixture, under its name

K = Message.Kind
PHONED_NOTICE = datetime.fromisoformat("2026-03-09T09:30:00+01:00")  # FHIR example: 10:00
PHONED_READY = datetime.fromisoformat("2026-03-11T08:40:00+01:00")  # FHIR example: 09:00


def phoned(world, kind, when, user=None, **values):
    return register_back_entry(
        actor(user or world.ward_staff),
        stay(world),
        kind=kind,
        occurred_at=when,
        source="telefon",
        values=values,
        now=NOW,
    )


def notice(world):
    return phoned(world, "admission_notice", PHONED_NOTICE, expected_discharge_date="2026-03-13")


def ready(world):
    return phoned(world, "ready", PHONED_READY, world.ward_physician, sip_needed=False)


def one(world, kind):
    (message,) = stay(world).messages.filter(kind=kind)
    return message


def test_phoned_notice_first_then_the_record_system(fhir, world):
    send(fhir, "01-admission")
    entry = notice(world)
    send(fhir, "02-support-judgement")
    message = one(world, K.ADMISSION_NOTICE)
    assert entry.message == message and message.back_entries.get() == entry
    assert stay(world).notice_sent_at == PHONED_NOTICE
    assert message.deliveries.count() == 2  # the municipality and the primary care centre


def test_record_system_first_then_the_phoned_notice(fhir, world):
    send(fhir, "01-admission", "02-support-judgement")
    entry = notice(world)
    message = one(world, K.ADMISSION_NOTICE)
    assert entry.applied and entry.message == message
    assert message.occurred_at == PHONED_NOTICE  # the earlier of the two
    assert stay(world).notice_sent_at == PHONED_NOTICE
    assert {d.sent_at for d in message.deliveries.all()} == {PHONED_NOTICE}


def test_phoned_ready_first_then_the_record_system(fhir, world):
    send(fhir, "01-admission", "02-support-judgement")
    entry = ready(world)
    send(fhir, "04-ready-for-discharge")
    case = stay(world)
    assert entry.message == one(world, K.READY) and case.ready_at == PHONED_READY
    assert case.ready_periods.get().declared_at == PHONED_READY


def test_record_system_first_then_the_phoned_ready(fhir, world):
    send(fhir, "01-admission", "02-support-judgement", "04-ready-for-discharge")
    entry = ready(world)
    case = stay(world)
    assert entry.message == one(world, K.READY) and case.ready_at == PHONED_READY
    assert case.ready_periods.get().declared_at == PHONED_READY


def test_two_live_notices_are_still_refused(fhir, world):
    send(fhir, "01-admission", "02-support-judgement")
    with pytest.raises(ValidationError, match="redan skickat"):
        services.send_admission_notice(
            actor(world.ward_staff),
            stay(world),
            expected_discharge_date=stay(world).expected_discharge_date,
        )
    assert stay(world).messages.filter(kind=K.ADMISSION_NOTICE).count() == 1


def test_a_second_phoned_notice_is_refused(fhir, world):
    send(fhir, "01-admission")
    notice(world)
    with pytest.raises(ValidationError, match="redan efterregistrerat"):
        phoned(
            world,
            "admission_notice",
            PHONED_NOTICE.replace(hour=11),
            expected_discharge_date="2026-03-13",
        )


def test_a_back_entered_receipt_after_the_record_messages_is_not_rewound(fhir, world):
    """A late FHIR ready notice older than the discharge would rewind the case; a receipt
    back-entered after the discharge is a person's act, so the notice waits instead."""
    send(fhir, "01-admission", "02-support-judgement", "06-discharge")
    entry = phoned(world, "acknowledgement", NOW, world.a_staff, acknowledges=K.DISCHARGE)
    assert entry.applied  # the discharge information is sent when the message is received
    send(fhir, "04-ready-for-discharge")
    case = stay(world)
    assert case.state == case.State.DISCHARGED and not case.ready_periods.exists()
    assert case.messages.get(kind=K.DISCHARGE).deliveries.get(unit=world.a_needs).acknowledged_at
