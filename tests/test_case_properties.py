"""Property: any sequence of actions, allowed or refused, leaves the case in a possible state,
and a refused action changes nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.cases import receipts, services
from samverkan.cases.models import Case, Delivery, Message
from samverkan.cases.testing import actor

S = Case.State


def actions(w):
    ward, doctor = actor(w.ward_staff), actor(w.ward_physician)
    muni, pcc = actor(w.a_staff), actor(w.pcc_staff)
    return {
        "notice": lambda c: services.send_admission_notice(
            ward, c, expected_discharge_date=date(2026, 12, 1)
        ),
        "expected": lambda c: services.update_expected_discharge(
            ward, c, expected_discharge_date=date(2026, 12, 2)
        ),
        "adl": lambda c: services.record_adl(ward, c, items={"feeding": {"level": "partly"}}),
        "ready": lambda c: services.declare_ready(doctor, c, sip_needed=True, sip_consent=True),
        "ready_by_nurse": lambda c: services.declare_ready(ward, c, sip_needed=False),
        "retract": lambda c: services.retract_ready(doctor, c),
        "sip_called": lambda c: services.record_sip_called(pcc, c),
        "contact": lambda c: services.name_care_contact(pcc, c, name="Ulla"),
        "support": lambda c: services.add_planned_support(muni, c, text="Hemtjänst"),
        "ask": lambda c: services.ask(muni, c, text="Fråga?"),
        "discharge": lambda c: services.discharge(
            ward, c, destination="home", checklist={"medication_list": True, "care_report": "x"}
        ),
        "ack_all": lambda c: [
            receipts.acknowledge(
                actor(
                    {w.a_needs.pk: w.a_staff, w.pcc.pk: w.pcc_staff, w.ward.pk: w.ward_staff}[
                        d.unit_id
                    ]
                ),
                d,
            )
            for d in Delivery.objects.filter(message__case=c, state="sent")
        ],
        "close": lambda c: services.close_case(ward, c),
        "remove_muni": lambda c: services.interrupt(ward, c, reason="declined", unit=w.a_needs),
        "died": lambda c: services.interrupt(ward, c, reason="died"),
    }


STEPS = [
    "notice",
    "expected",
    "adl",
    "ready",
    "ready_by_nurse",
    "retract",
    "sip_called",
    "contact",
    "support",
    "ask",
    "discharge",
    "ack_all",
    "close",
    "remove_muni",
    "died",
]


def check_invariants(case: Case) -> None:
    open_periods = case.ready_periods.filter(ended_at__isnull=True).count()
    assert case.state in S.values
    assert (case.state == S.READY) == (open_periods == 1) and open_periods <= 1
    if case.state in (S.REQUESTED, S.ADMITTED):
        assert case.ready_at is None  # a retracted notice stops the clock
    if case.state == S.READY:
        assert case.ready_at is not None  # it stays after discharge: the last notice
    assert (case.state == S.CLOSED) == (case.closed_at is not None)
    if case.state == S.CLOSED:
        assert not case.participants.filter(active=True).exists()
    else:
        assert case.participants.filter(unit=case.ward, active=True, role="responsible").exists()
    if case.state in (S.DISCHARGED, S.CLOSED) and case.discharged_at:
        assert case.checklist["medication_list"]
    notices = case.messages.filter(kind=Message.Kind.ADMISSION_NOTICE).count()
    assert notices == (1 if case.notice_sent_at else 0)
    if case.state == S.READY:
        assert case.notice_sent_at is not None


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.sampled_from(STEPS), max_size=14))
def test_random_sequences_keep_the_case_possible(world, steps):
    with transaction.atomic():
        ward = actor(world.ward_staff)
        case = services.open_case(ward, world.patient)
        todo = actions(world)
        for step in steps:
            before = (case.version, Message.objects.count())
            try:
                todo[step](case)
            except (ValidationError, PermissionDenied):
                case.refresh_from_db()
                assert (case.version, Message.objects.count()) == before, step
            case.refresh_from_db()
            check_invariants(case)
        transaction.set_rollback(True)
