"""Back-entry after a downtime: the true times reach clocks, receipts and payment days; entries
in any order give the same case; what waits, what is refused; a phoned notice and the record
system's message for the same stay are one event."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.audit.models import AuditEvent
from samverkan.cases import services
from samverkan.cases.models import Case, Delivery, Message
from samverkan.cases.testing import actor
from samverkan.downtime.backentry import register_back_entry
from samverkan.downtime.models import BackEntry
from samverkan.followup.models import Agreement
from samverkan.followup.payment import facts
from samverkan.followup.payment.rules import liability
from samverkan.followup.payment.testing import at, payment_world

NOW = at(3, 16)  # Monday 3 March 2025, 16:00: Samverkan is back
CHECKLIST = {"medication_list": True, "care_report": "Epikris på papper"}
K = Message.Kind


@pytest.fixture
def w(world):
    payment_world(world)
    Agreement.objects.filter(region=world.region).update(cutoff_hour=12)
    with time_machine.travel(NOW, tick=False):
        yield world


def admitted(w) -> Case:
    return services.open_case(actor(w.ward_staff), w.patient, admitted_at=at(1, 8), now=NOW)


def enter(user, case, kind, when, *, source="telefon", unit=None, **values):
    people = {k: values.pop(k) for k in list(values) if k.startswith(("caller", "callee"))}
    form_number = values.pop("form_number", "")
    return register_back_entry(
        actor(user, unit),
        case,
        kind=kind,
        occurred_at=when,
        source=source,
        form_number=form_number,
        values=values,
        now=NOW,
        **people,
    )


def notice(w, case, when, **extra):
    return enter(w.ward_staff, case, "admission_notice", when, expected_discharge_date="2025-03-10")


def ready(w, case, when):
    return enter(w.ward_physician, case, "ready", when, sip_needed=False)


def days(case) -> int:
    (stay,) = facts.load(Case.objects.filter(pk=case.pk))
    terms = facts.agreements()[case.ward.principal_id]
    return liability(stay.facts, terms, facts.amounts(), date(2025, 3, 31)).liable_days


def discharge_live(w, case):
    case.refresh_from_db()
    services.discharge(
        actor(w.ward_staff), case, destination="home", checklist=CHECKLIST, now=at(10, 10)
    )


# --- the true time ------------------------------------------------------------------------


def test_a_ready_notice_phoned_at_1150_entered_at_1600_is_day_0_before_the_cutoff(w):
    case = admitted(w)
    notice(w, case, at(1, 9))
    entry = ready(w, case, at(3, 11, 50))
    case.refresh_from_db()
    assert entry.applied and case.ready_at == at(3, 11, 50) and case.state == Case.State.READY
    message = entry.message
    assert message.kind == K.READY and message.occurred_at == at(3, 11, 50)
    assert message.recorded_at == NOW and entry.entered_at == NOW
    assert case.ready_periods.get().declared_at == at(3, 11, 50)
    to_muni = message.deliveries.get(unit=w.a_needs)
    assert to_muni.sent_at == at(3, 11, 50) and to_muni.ack_due_at == at(3, 12)
    with time_machine.travel(at(10, 10), tick=False):
        discharge_live(w, case)
    # day 0 Mon 3 (11:50 is before 12:00), free Tue–Thu, liable Fri, Sat, Sun
    assert days(case) == 3


def test_the_same_notice_registered_live_at_1600_starts_the_next_day(w):
    case = admitted(w)
    notice(w, case, at(1, 9))
    case.refresh_from_db()
    services.declare_ready(actor(w.ward_physician), case, sip_needed=False, now=NOW)
    with time_machine.travel(at(10, 10), tick=False):
        discharge_live(w, case)
    assert days(case) == 2  # after the cut-off: day 0 is Tue 4, liable Sat, Sun


def test_source_and_who_phoned_whom_are_kept_and_audited(w):
    case = admitted(w)
    entry = enter(
        w.ward_staff,
        case,
        "admission_notice",
        at(1, 9),
        source="pappersblankett",
        form_number="IM-0042",
        expected_discharge_date="2025-03-10",
        caller_name="Sjuksköterska Berg",
        caller_unit="Avd 12",
        callee_name="Handläggare Ek",
        callee_unit="Kommun A biståndsenhet",
    )
    assert entry.source_text == "pappersblankett nr IM-0042"
    assert entry.call_text == "Sjuksköterska Berg, Avd 12 → Handläggare Ek, Kommun A biståndsenhet"
    event = AuditEvent.objects.get(action="case.back_entry")
    assert event.patient == w.patient and event.detail["applied"] is True


def test_the_municipality_backenters_its_phoned_receipt_at_its_true_time(w):
    case = admitted(w)
    notice(w, case, at(1, 9))
    entry = enter(w.a_staff, case, "acknowledgement", at(1, 9, 20), acknowledges="admission_notice")
    delivery = Delivery.objects.get(message__case=case, unit=w.a_needs)
    assert entry.applied and entry.delivery == delivery
    assert delivery.state == Delivery.State.ACKNOWLEDGED and delivery.acknowledged_at == at(
        1, 9, 20
    )


def test_discharge_information_given_on_paper_is_at_its_time_not_late(w):
    case = admitted(w)
    notice(w, case, at(1, 9))
    ready(w, case, at(2, 9))
    entry = enter(
        w.ward_staff,
        case,
        "discharge",
        at(3, 10),
        source="pappersblankett",
        form_number="U-7",
        destination="home",
        checklist=CHECKLIST,
    )
    case.refresh_from_db()
    assert case.discharged_at == at(3, 10) and entry.message.occurred_at == at(3, 10)
    assert entry.message.data["late"] is False


# --- order ----------------------------------------------------------------------------------


def test_a_ready_entered_before_its_notice_waits_then_applies(w):
    case = admitted(w)
    early = ready(w, case, at(3, 11, 50))
    assert not early.applied and "inskrivningsmeddelandet" in early.waiting
    notice(w, case, at(1, 9))
    early.refresh_from_db()
    case.refresh_from_db()
    assert early.applied and early.waiting == "" and case.ready_at == at(3, 11, 50)
    kinds = list(case.messages.values_list("kind", flat=True))
    assert kinds == [K.ADMISSION_NOTICE, K.READY]


def test_an_earlier_entry_after_later_ones_is_applied_before_them(w):
    case = admitted(w)
    notice(w, case, at(1, 9))
    ready(w, case, at(3, 9))
    enter(w.ward_staff, case, "discharge", at(3, 15), destination="home", checklist=CHECKLIST)
    retracted = enter(w.ward_physician, case, "ready_retracted", at(3, 11), reason="Feber")
    again = ready(w, case, at(3, 13))
    case.refresh_from_db()
    assert retracted.applied and again.applied
    periods = [(p.declared_at, p.ended_at, p.end_reason) for p in case.ready_periods.all()]
    assert periods == [
        (at(3, 9), at(3, 11), "retracted"),
        (at(3, 13), at(3, 15), "discharged"),
    ]
    assert case.state == Case.State.DISCHARGED and case.discharged_at == at(3, 15)
    assert list(case.messages.values_list("kind", flat=True)) == [
        K.ADMISSION_NOTICE,
        K.READY,
        K.READY_RETRACTED,
        K.READY,
        K.DISCHARGE,
    ]


def test_an_entry_before_a_live_event_it_would_undo_is_refused(w):
    case = admitted(w)
    notice(w, case, at(1, 9))
    ready(w, case, at(3, 11))
    case.refresh_from_db()
    services.retract_ready(actor(w.ward_physician), case, now=NOW)  # live, after the downtime
    with pytest.raises(ValidationError) as error:
        enter(w.a_staff, case, "acknowledgement", at(1, 9, 30), acknowledges="admission_notice")
    assert error.value.error_dict["occurred_at"][0].code == "order"
    assert not BackEntry.objects.filter(kind="acknowledgement").exists()


# --- refusals: nothing written ---------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field, rule",
    [
        ({"source": "brevduva"}, "source", "choice"),
        ({"source": "pappersblankett"}, "form_number", "required"),
        ({"form_number": "x" * 41}, "form_number", "max_length"),
        ({"caller_name": "x" * 121}, "caller_name", "max_length"),
        ({"occurred_at": at(3, 17)}, "occurred_at", "future"),
        ({"occurred_at": None}, "occurred_at", "required"),
        ({"values": {}}, "expected_discharge_date", "required"),
        ({"kind": "sip"}, "kind", "choice"),
    ],
)
def test_a_wrong_entry_is_refused_and_writes_nothing(w, change, field, rule):
    case = admitted(w)
    arguments = {
        "kind": "admission_notice",
        "occurred_at": at(1, 9),
        "source": "telefon",
        "values": {"expected_discharge_date": "2025-03-10"},
        "now": NOW,
        **change,
    }
    with pytest.raises(ValidationError) as error:
        register_back_entry(actor(w.ward_staff), case, **arguments)
    assert error.value.error_dict[field][0].code == rule
    assert not BackEntry.objects.exists() and not case.messages.exists()


def test_a_ready_notice_is_backentered_by_a_physician_only(w):
    case = admitted(w)
    notice(w, case, at(1, 9))
    with pytest.raises(PermissionDenied):
        enter(w.ward_staff, case, "ready", at(3, 9), sip_needed=False)
    assert BackEntry.objects.count() == 1


def test_a_readonly_role_may_not_backenter(w):
    case = admitted(w)
    with pytest.raises(PermissionDenied):
        notice_by(w.ward_reader, case)


def notice_by(user, case):
    return enter(user, case, "admission_notice", at(1, 9), expected_discharge_date="2025-03-10")


# --- property: any order, the same case -------------------------------------------------------

EVENTS = [  # (who, kind, time, values) of one downtime day, in the order they happened
    ("ward_staff", "admission_notice", at(1, 9), {"expected_discharge_date": "2025-03-10"}),
    ("a_staff", "acknowledgement", at(1, 9, 20), {"acknowledges": "admission_notice"}),
    ("ward_physician", "ready", at(3, 9), {"sip_needed": True, "sip_consent": True}),
    ("ward_physician", "ready_retracted", at(3, 10, 30), {"reason": "Feber"}),
    ("ward_physician", "ready", at(3, 11, 50), {"sip_needed": False}),
    ("pcc_staff", "acknowledgement", at(3, 12, 5), {"acknowledges": "ready"}),
    ("a_staff", "acknowledgement", at(3, 12, 10), {"acknowledges": "ready"}),
]


def final(case: Case) -> tuple:
    """Everything the order could change: the case, its clocks, messages, receipts, days."""
    case.refresh_from_db()
    fields = [getattr(case, f) for f in Case.CLOCK_FIELDS] + [case.destination, case.checklist]
    periods = list(case.ready_periods.values_list("declared_at", "ended_at", "end_reason"))
    messages = list(case.messages.values_list("kind", "occurred_at", "data"))
    deliveries = sorted(
        Delivery.objects.filter(message__case=case).values_list(
            "message__kind",
            "message__occurred_at",
            "unit_id",
            "state",
            "sent_at",
            "ack_due_at",
            "acknowledged_at",
        )
    )
    waiting = list(case.back_entries.filter(applied=False).values_list("kind", flat=True))
    clocks = (case.notice_due_at(), case.days_ready(NOW), case.sip_call_due_at())
    return fields[1:], periods, messages, deliveries, waiting, clocks, days(case)


def run(w, order) -> tuple:
    case = admitted(w)
    for i in order:
        who, kind, when, values = EVENTS[i]
        enter(getattr(w, who), case, kind, when, **values)
    return final(case)


class Rollback(Exception):
    pass


def isolated(w, order) -> tuple:
    try:
        with transaction.atomic():
            result = run(w, order)
            raise Rollback
    except Rollback:
        return result


def test_in_time_order_everything_applies(w):
    fields, periods, messages, deliveries, waiting, clocks, liable = isolated(w, range(len(EVENTS)))
    assert waiting == [] and len(messages) == 4 and len(periods) == 2
    assert fields[0] == Case.State.READY and fields[4] == at(3, 11, 50)
    assert liable == 24  # day 0 Mon 3 March (before 12:00), free Tue–Thu, liable 7–30 March


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(range(len(EVENTS))))
def test_any_entry_order_gives_the_same_case_clocks_and_payment_days(w, order):
    assert isolated(w, order) == isolated(w, range(len(EVENTS)))


def test_a_receipt_already_given_is_refused(w):
    case = admitted(w)
    notice(w, case, at(1, 9))
    enter(w.a_staff, case, "acknowledgement", at(1, 9, 20), acknowledges="admission_notice")
    with pytest.raises(ValidationError) as error:
        enter(w.a_staff, case, "acknowledgement", at(1, 9, 25), acknowledges="admission_notice")
    assert error.value.error_dict["acknowledges"][0].code == "duplicate"
    assert BackEntry.objects.filter(kind="acknowledgement").count() == 1
