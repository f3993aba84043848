"""FHIR R4 messaging from the record system: the examples in docs/fhir/examples, one per event,
reliable messaging (resend, reused id), validation paths, sender and physician checks."""

import copy
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.accounts.models import HsaIdentity
from samverkan.audit.models import AuditEvent
from samverkan.cases.models import Case, Message
from samverkan.fhir.models import ReceivedMessage
from samverkan.fhir.profile import CHECKLIST, SIP_CONSENT

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "fhir" / "examples"
NOW = datetime(2026, 3, 12, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
STAY = [
    "01-admission",
    "02-support-judgement",
    "03-expected-date-change",
    "04-ready-for-discharge",
    "05-ready-retracted",
    "06-discharge",
]


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


@pytest.fixture
def fhir(client, api, world):
    HsaIdentity.objects.create(user=world.ward_physician, hsa_id="TEST-ward-physician")
    token = api.token(world.ward_staff)

    def post(body, token=token):
        raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
        response = client.post(
            "/fhir/R4/$process-message",
            raw,
            content_type="application/fhir+json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response["Content-Type"] == "application/fhir+json"
        return response

    with time_machine.travel(NOW, tick=False):
        yield post


def ack(response) -> tuple[str, list]:
    bundle = response.json()
    header, outcome = (e["resource"] for e in bundle["entry"])
    assert bundle["type"] == "message" and outcome["resourceType"] == "OperationOutcome"
    return header["response"]["code"], [i["expression"][0] for i in outcome["issue"]]


def send(fhir, *names):
    for name in names:
        response = fhir(example(name))
        assert response.status_code == 200, response.json()
        assert ack(response)[0] == "ok"


def stay(world) -> Case:
    return Case.objects.get(patient=world.patient)


def test_admission_opens_the_case_without_a_notice(fhir, world):
    response = fhir(example("01-admission"))
    assert response.status_code == 200 and ack(response) == ("ok", ["Bundle"])
    header = response.json()["entry"][0]["resource"]
    assert header["response"]["identifier"] == example("01-admission")["entry"][0]["resource"]["id"]
    case = stay(world)
    assert case.state == Case.State.ADMITTED and case.notice_sent_at is None
    assert case.admitted_at == datetime(2026, 3, 9, 8, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    received = ReceivedMessage.objects.get()
    assert received.occurred_at == case.admitted_at and received.sent_at > received.occurred_at
    assert received.received_at == NOW and received.case == case
    assert not Message.objects.filter(case=case, kind=Message.Kind.ADMISSION_NOTICE).exists()


def test_support_judgement_sends_the_notice_with_the_expected_date(fhir, world):
    send(fhir, *STAY[:2])
    case = stay(world)
    assert str(case.expected_discharge_date) == "2026-03-13"
    assert case.notice_sent_at == datetime.fromisoformat("2026-03-09T10:00:00+01:00")
    assert case.messages.filter(kind=Message.Kind.ADMISSION_NOTICE).count() == 1


def test_expected_date_change(fhir, world):
    send(fhir, *STAY[:3])
    assert str(stay(world).expected_discharge_date) == "2026-03-14"


def test_ready_for_discharge_by_the_wards_physician(fhir, world):
    send(fhir, *STAY[:4])
    case = stay(world)
    assert case.state == Case.State.READY and case.ready_at == datetime.fromisoformat(
        "2026-03-11T09:00:00+01:00"
    )
    ready = AuditEvent.objects.filter(action="case.ready").get()
    assert ready.user == world.ward_physician


def test_ready_retracted(fhir, world):
    send(fhir, *STAY[:5])
    case = stay(world)
    assert case.state == Case.State.ADMITTED and case.ready_at is None


def test_discharge_with_destination_and_checklist(fhir, world):
    send(fhir, *STAY)
    case = stay(world)
    assert case.state == Case.State.DISCHARGED and case.destination == "home"
    assert case.checklist["medication_list"] is True and case.checklist["transport"]


@pytest.mark.parametrize("name", ["07-death", "08-transfer"])
def test_death_and_transfer_close_the_case(fhir, world, name):
    send(fhir, "01-admission", name)
    case = stay(world)
    assert case.state == Case.State.CLOSED
    assert case.closed_at.isoformat().startswith("2026-03-10")


def test_a_resend_returns_the_same_acknowledgement_and_changes_nothing(fhir, world):
    first = fhir(example("01-admission"))
    counts = (Case.objects.count(), AuditEvent.objects.count(), ReceivedMessage.objects.count())
    again = fhir(example("01-admission"))
    assert again.status_code == 200 and again.json() == first.json()
    assert (
        Case.objects.count(),
        AuditEvent.objects.count(),
        ReceivedMessage.objects.count(),
    ) == counts


@pytest.mark.parametrize("keep", ["bundle", "header"])
def test_a_reused_id_with_other_content_is_a_fatal_error(fhir, world, keep):
    send(fhir, "01-admission")
    other = example("02-support-judgement")
    first = example("01-admission")
    if keep == "bundle":
        other["id"] = first["id"]
    else:
        other["entry"][0]["resource"]["id"] = first["entry"][0]["resource"]["id"]
    response = fhir(other)
    assert response.status_code == 422 and ack(response) == ("fatal-error", ["Bundle.id"])
    assert stay(world).notice_sent_at is None


def nothing_written():
    return not Case.objects.exists() and not ReceivedMessage.objects.exists()


def test_invalid_structure_names_the_element(fhir, world):
    body = example("01-admission")
    body["entry"][1]["resource"]["period"]["start"] = "igår"
    body["entry"][2]["resource"]["hobby"] = "schack"
    response = fhir(body)
    code, paths = ack(response)
    assert response.status_code == 422 and code == "fatal-error"
    assert paths == ["Bundle.entry[1].resource.period.start", "Bundle.entry[2].resource.hobby"]
    assert nothing_written()


def test_an_invalid_identity_number_names_the_identifier(fhir, world):
    body = example("01-admission")
    body["entry"][2]["resource"]["identifier"][0]["value"] = "19400104-2384"  # check digit
    response = fhir(body)
    assert ack(response) == ("fatal-error", ["Bundle.entry[2].resource.identifier[0].value"])
    assert "Kontrollsiffran" in response.json()["entry"][1]["resource"]["issue"][0]["diagnostics"]
    assert nothing_written() and not AuditEvent.objects.filter(action="patient.lookup").exists()
    assert b"2384" not in response.content  # the acknowledgement carries no personal data


@pytest.mark.parametrize(
    "change, path",
    [
        (lambda b: b.update(type="collection"), "Bundle.type"),
        (lambda b: b.update(timestamp="2026-03-09"), "Bundle.timestamp"),
        (lambda b: b.pop("id"), "Bundle.id"),
        (
            lambda b: b["entry"][0]["resource"]["eventCoding"].update(code="lunch"),
            "Bundle.entry[0].resource.eventCoding.code",
        ),
        (
            lambda b: b["entry"][0]["resource"]["extension"][0].update(
                valueDateTime="2026-03-09T09:00:00+01:00"
            ),
            "Bundle.entry[0].resource.extension[0].valueDateTime",
        ),
    ],
)
def test_our_rules_name_the_element_and_write_nothing(fhir, world, change, path):
    body = example("01-admission")
    change(body)
    response = fhir(body)
    assert response.status_code == 422 and ack(response) == ("fatal-error", [path])
    assert nothing_written()


def test_a_service_refusal_points_at_the_message_and_writes_nothing(fhir, world):
    send(fhir, *STAY[:2])
    body = example("04-ready-for-discharge")
    encounter = body["entry"][1]["resource"]
    encounter["extension"][0]["valueBoolean"] = True
    response = fhir(body)  # SIP needed, consent not stated
    path = f"Bundle.entry[1].resource.extension('{SIP_CONSENT}')"
    assert ack(response) == ("fatal-error", [path])
    assert stay(world).state == Case.State.ADMITTED and ReceivedMessage.objects.count() == 2


def test_a_sender_of_another_unit_is_403(fhir, world, api):
    response = fhir(example("01-admission"), token=api.token(world.other_ward_staff))
    assert response.status_code == 403
    assert ack(response) == ("fatal-error", ["Bundle.entry[0].resource.sender.identifier.value"])
    assert nothing_written()


def test_ready_from_a_nurse_is_refused(fhir, world):
    send(fhir, *STAY[:2])
    HsaIdentity.objects.create(user=world.ward_staff, hsa_id="TEST-ward-nurse")
    body = example("04-ready-for-discharge")
    body["entry"][3]["resource"]["identifier"][0]["value"] = "TEST-ward-nurse"
    response = fhir(body)
    assert response.status_code == 403
    assert ack(response) == ("fatal-error", ["Bundle.entry[3].resource.identifier"])
    assert stay(world).state == Case.State.ADMITTED


def test_without_a_token_401_and_metadata_is_a_capability_statement(client, world):
    response = client.post("/fhir/R4/$process-message", "{}", content_type="application/fhir+json")
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"
    statement = client.get("/fhir/R4/metadata").json()
    assert (
        statement["resourceType"] == "CapabilityStatement" and statement["fhirVersion"] == "4.0.1"
    )
    events = {
        m["definition"].rsplit("/", 1)[1] for m in statement["messaging"][0]["supportedMessage"]
    }
    assert {"admission", "discharge", "ready-for-discharge"} <= events


def test_an_unknown_event_writes_nothing(fhir, world):
    body = copy.deepcopy(example("01-admission"))
    body["entry"][0]["resource"]["eventCoding"]["code"] = "lunch-break"
    assert fhir(body).status_code == 422 and nothing_written()


def test_an_extension_without_its_value_type_names_it(fhir, world):
    send(fhir, "01-admission")
    body = example("02-support-judgement")
    extension = body["entry"][1]["resource"]["extension"][0]
    extension["valueString"] = extension.pop("valueDate")
    response = fhir(body)
    path = "Bundle.entry[1].resource.extension[0].valueDate"
    assert response.status_code == 422 and ack(response) == ("fatal-error", [path])
    assert stay(world).notice_sent_at is None


def test_discharge_without_the_care_report_is_refused_at_the_checklist(fhir, world):
    send(fhir, *STAY[:2])
    body = example("06-discharge")
    checklist = body["entry"][1]["resource"]["extension"][0]["extension"]
    body["entry"][1]["resource"]["extension"][0]["extension"] = checklist[:2]
    response = fhir(body)
    path = f"Bundle.entry[1].resource.extension('{CHECKLIST}')"
    assert ack(response) == ("fatal-error", [path])
    assert stay(world).state == Case.State.ADMITTED


@pytest.mark.parametrize(
    "raw",
    [
        b"{inte json",
        b"\xff\xfe",
        b"[]",
        b'{"resourceType": "Patient"}',
        b'{"resourceType": "Bundle"}',
    ],
)
def test_a_body_that_is_no_message_bundle_is_a_fatal_error(fhir, world, raw):
    response = fhir(raw)
    assert response.status_code == 422 and ack(response)[0] == "fatal-error"
    assert nothing_written()


# --- leave and return (permission) ---------------------------------------------------------


def test_leave_and_return_are_recorded_and_leave_the_clocks_alone(fhir, world):
    send(fhir, *STAY[:3], "09-leave")
    case = stay(world)
    assert case.on_leave_since == datetime.fromisoformat("2026-03-10T13:00:00+01:00")
    assert case.state == Case.State.ADMITTED and case.messages.filter(kind="leave").get().text
    send(fhir, "10-return", "04-ready-for-discharge")
    case = stay(world)
    assert case.on_leave_since is None and case.state == Case.State.READY
    back = case.messages.get(kind=Message.Kind.LEAVE_ENDED)
    assert back.occurred_at == datetime.fromisoformat("2026-03-10T18:00:00+01:00")
    assert back.data["since"].startswith("2026-03-10T")
    assert AuditEvent.objects.filter(action__in=["case.leave", "case.leave_end"]).count() == 2


def test_a_return_before_its_leave_is_held_then_applied_after_it(fhir, world):
    send(fhir, *STAY[:2])
    response = fhir(example("10-return"))
    assert response.status_code == 200 and ack(response) == ("ok", ["Bundle"])
    note = response.json()["entry"][1]["resource"]["issue"][0]["diagnostics"]
    assert "väntar" in note and "permission" in note
    held = ReceivedMessage.objects.get(event="return")
    assert held.state == "held" and held.body and held.case is None
    assert not stay(world).messages.filter(kind=Message.Kind.LEAVE_ENDED).exists()
    assert fhir(example("10-return")).json() == response.json()  # a resend: the same answer
    send(fhir, "09-leave")
    held.refresh_from_db()
    assert held.state == "applied" and held.body and held.case == stay(world)
    kinds = list(stay(world).messages.order_by("occurred_at").values_list("kind", flat=True))
    assert kinds[-2:] == ["leave", "leave_ended"] and stay(world).on_leave_since is None


def test_a_leave_with_an_event_time_before_the_admission_names_the_event_time(fhir, world):
    send(fhir, "01-admission")
    body = example("09-leave")
    body["entry"][0]["resource"]["extension"][0]["valueDateTime"] = "2026-03-08T13:00:00+01:00"
    response = fhir(body)
    path = "Bundle.entry[0].resource.extension('https://samverkan.example/fhir/StructureDefinition/event-time')"
    assert ack(response) == ("fatal-error", [path]) and stay(world).on_leave_since is None


def test_discharge_during_a_leave_ends_it(fhir, world):
    send(fhir, *STAY[:2], "09-leave", "06-discharge")
    case = stay(world)
    assert case.state == Case.State.DISCHARGED and case.on_leave_since is None


# --- cancellation and correction -----------------------------------------------------------


def header_id(name: str) -> str:
    return example(name)["entry"][0]["resource"]["id"]


def cancelling(name: str, *, by_bundle=False, physician=False) -> dict:
    """Example 11 aimed at another example's MessageHeader id (or its Bundle id)."""
    body = example("11-cancellation")
    entity = body["entry"][3]["resource"]["entity"][0]
    entity["what"]["identifier"]["value"] = example(name)["id"] if by_bundle else header_id(name)
    if physician:
        body["entry"].append(example("04-ready-for-discharge")["entry"][3])
    return body


def received(name: str) -> ReceivedMessage:
    return ReceivedMessage.objects.get(header_id=header_id(name))


def test_cancelling_a_date_change_restores_the_previous_date(fhir, world):
    send(fhir, *STAY[:3])
    send(fhir, "11-cancellation")
    assert str(stay(world).expected_discharge_date) == "2026-03-13"
    assert received("03-expected-date-change").state == "cancelled"


def test_a_correction_replaces_the_date_and_the_corrected_cannot_be_cancelled(fhir, world):
    send(fhir, *STAY[:3], "12-correction")
    assert str(stay(world).expected_discharge_date) == "2026-03-15"
    assert received("03-expected-date-change").state == "corrected"
    response = fhir(cancelling("03-expected-date-change"))
    path = "Bundle.entry[3].resource.entity[0].what.identifier.value"
    assert ack(response) == ("fatal-error", [path])
    assert str(stay(world).expected_discharge_date) == "2026-03-15"


def test_cancelling_an_admission_with_nothing_after_it_closes_the_case(fhir, world):
    send(fhir, "01-admission")
    response = fhir(cancelling("01-admission", by_bundle=True))
    assert ack(response)[0] == "ok"
    case = stay(world)
    assert case.state == Case.State.CLOSED and case.close_reason == "Felskickat"


def test_an_admission_with_later_events_cannot_be_cancelled_and_nothing_is_written(fhir, world):
    send(fhir, *STAY[:2])
    response = fhir(cancelling("01-admission"))
    path = "Bundle.entry[3].resource.entity[0].what.identifier.value"
    assert response.status_code == 422 and ack(response) == ("fatal-error", [path])
    assert "fler händelser" in response.json()["entry"][1]["resource"]["issue"][0]["diagnostics"]
    assert stay(world).state == Case.State.ADMITTED and ReceivedMessage.objects.count() == 2


def test_cancelling_ready_leaves_a_period_of_no_days(fhir, world):
    send(fhir, *STAY[:4])
    send_body = cancelling("04-ready-for-discharge", physician=True)
    send_body["entry"][0]["resource"]["extension"][0]["valueDateTime"] = "2026-03-11T10:00:00+01:00"
    send_body["timestamp"] = "2026-03-11T10:01:00+01:00"
    assert ack(fhir(send_body))[0] == "ok"
    case = stay(world)
    assert case.state == Case.State.ADMITTED and case.ready_at is None
    period = case.ready_periods.get()
    assert period.ended_at == period.declared_at and period.end_reason == "retracted"


def test_cancelling_a_leave_ends_it_at_its_start(fhir, world):
    send(fhir, *STAY[:2], "09-leave")
    body = cancelling("09-leave")
    body["entry"][0]["resource"]["extension"][0]["valueDateTime"] = "2026-03-10T14:00:00+01:00"
    body["timestamp"] = "2026-03-10T14:01:00+01:00"
    send_one = fhir(body)
    assert ack(send_one)[0] == "ok" and stay(world).on_leave_since is None
    back = stay(world).messages.get(kind=Message.Kind.LEAVE_ENDED)
    assert back.occurred_at == datetime.fromisoformat("2026-03-10T13:00:00+01:00")


def test_a_discharge_cannot_be_cancelled_by_message(fhir, world):
    send(fhir, *STAY)
    response = fhir(cancelling("06-discharge"))
    assert ack(response)[0] == "fatal-error" and stay(world).state == Case.State.DISCHARGED


def test_a_cancellation_that_arrives_before_its_message_waits_for_it(fhir, world):
    send(fhir, *STAY[:2])
    assert ack(fhir(example("11-cancellation")))[0] == "ok"
    assert received("11-cancellation").state == "held"
    send(fhir, "03-expected-date-change")
    assert received("11-cancellation").state == "applied"
    assert received("03-expected-date-change").state == "cancelled"
    assert str(stay(world).expected_discharge_date) == "2026-03-13"


def test_a_cancellation_of_another_persons_message_is_refused(fhir, world):
    send(fhir, *STAY[:3])
    body = cancelling("03-expected-date-change")
    body["entry"][2]["resource"]["identifier"][0]["value"] = "201401012396"
    response = fhir(body)
    path = "Bundle.entry[3].resource.entity[0].what.identifier.value"
    assert ack(response) == ("fatal-error", [path])
    assert str(stay(world).expected_discharge_date) == "2026-03-14"


@pytest.mark.parametrize(
    "change, path",
    [
        (lambda b: b["entry"].pop(3), "Bundle.entry"),
        (
            lambda b: b["entry"][3]["resource"]["entity"][0].update(role="source"),
            "Bundle.entry[3].resource.entity",
        ),
        (
            lambda b: b["entry"][3]["resource"]["entity"][0]["what"]["identifier"].update(
                value="x" * 65
            ),
            "Bundle.entry[3].resource.entity[0].what.identifier.value",
        ),
        (
            lambda b: b["entry"][3]["resource"].pop("recorded"),
            "Bundle.entry[3].resource.recorded",
        ),
    ],
)
def test_an_invalid_cancellation_names_the_element_and_writes_nothing(fhir, world, change, path):
    send(fhir, *STAY[:3])
    body = example("11-cancellation")
    change(body)
    response = fhir(body)
    assert response.status_code == 422 and ack(response) == ("fatal-error", [path])
    assert ReceivedMessage.objects.count() == 3
    assert str(stay(world).expected_discharge_date) == "2026-03-14"


def test_an_invalid_leave_names_the_element_and_writes_nothing(fhir, world):
    send(fhir, *STAY[:2])
    body = example("09-leave")
    body["entry"][0]["resource"]["extension"][1]["valueString"] = 5
    response = fhir(body)
    code, paths = ack(response)
    assert code == "fatal-error" and paths == ["Bundle.entry[0].resource.extension[1].valueString"]
    assert stay(world).on_leave_since is None and ReceivedMessage.objects.count() == 2


# --- out of order ------------------------------------------------------------------------


def test_messages_before_their_admission_are_held_and_applied_in_clinical_order(fhir, world):
    send(fhir, "04-ready-for-discharge", "02-support-judgement", "03-expected-date-change")
    assert set(ReceivedMessage.objects.values_list("state", flat=True)) == {"held"}
    assert not Case.objects.exists()
    send(fhir, "01-admission")
    case = stay(world)
    assert case.state == Case.State.READY and str(case.expected_discharge_date) == "2026-03-14"
    assert set(ReceivedMessage.objects.values_list("state", flat=True)) == {"applied"}
    assert not ReceivedMessage.objects.filter(body=None).exists()  # kept FHIR_HOLD_HOURS
    received_times = dict(ReceivedMessage.objects.values_list("event", "received_at"))
    assert case.ready_at == datetime.fromisoformat("2026-03-11T09:00:00+01:00")
    assert received_times["ready-for-discharge"] == NOW  # clinical and received times apart


def test_an_older_expected_date_arriving_late_does_not_replace_a_newer_one(fhir, world):
    send(fhir, "01-admission", "03-expected-date-change", "02-support-judgement")
    case = stay(world)
    assert str(case.expected_discharge_date) == "2026-03-14" and case.notice_sent_at


def test_a_held_message_fails_after_the_hold_time(fhir, world, settings):
    from samverkan.fhir.ordering import fail_overdue

    first = fhir(example("02-support-judgement"))
    assert ack(first)[0] == "ok" and fail_overdue(NOW) == 0
    later = datetime(2026, 3, 14, 13, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert fail_overdue(later) == 1
    row = received("02-support-judgement")
    assert row.state == "failed" and row.body is None
    again = fhir(example("02-support-judgement"))
    assert again.status_code == 422 and ack(again)[0] == "fatal-error"


# --- property: the arrival order does not matter -------------------------------------------

WHOLE_STAY = [  # clinical order
    "01-admission",
    "02-support-judgement",
    "03-expected-date-change",
    "09-leave",
    "10-return",
    "04-ready-for-discharge",
    "05-ready-retracted",
    "06-discharge",
]


def final_case(world) -> tuple:
    """What the arrival order must not change: state, dates, clocks and payment days."""
    from samverkan.followup.payment.facts import amounts, load
    from samverkan.followup.payment.rules import liability

    case = stay(world)
    facts = load(Case.objects.filter(pk=case.pk))[0].facts
    outcome = liability(facts, [], amounts(), NOW.date())
    periods = case.ready_periods.values_list("declared_at", "ended_at", "end_reason")
    return (
        case.state,
        case.admitted_at,
        case.notice_sent_at,
        case.expected_discharge_date,
        case.ready_at,
        case.on_leave_since,
        case.discharged_at,
        case.destination,
        list(periods),
        sorted(case.messages.values_list("kind", "occurred_at")),
        [(d.date, d.kind, d.counted) for d in outcome.days],
        case.notice_due_at(),
        case.sip_call_due_at(),
        sorted(ReceivedMessage.objects.values_list("event", "state", "occurred_at", "sent_at")),
    )


def arrive(fhir, world, bodies) -> tuple:
    """The final case after these arrivals (names of examples or bodies), rolled back after."""
    with transaction.atomic():
        for body in bodies:
            response = fhir(example(body) if isinstance(body, str) else body)
            assert response.status_code == 200 and ack(response)[0] == "ok", response.json()
        result = final_case(world)
        transaction.set_rollback(True)
    return result


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=st.permutations(WHOLE_STAY), discharged=st.booleans())
def test_any_arrival_order_of_a_stay_gives_the_same_case(fhir, world, order, discharged):
    """Any order, the discharge included: an older message after it rewinds the case."""
    kept = [name for name in order if discharged or name != "06-discharge"]
    in_order = arrive(fhir, world, [name for name in WHOLE_STAY if name in kept])
    assert arrive(fhir, world, kept) == in_order
    assert in_order[0] == (Case.State.DISCHARGED if discharged else Case.State.ADMITTED)


def earlier(name: str) -> dict:
    """The example four days earlier (not the discharge): the ready period then has payment
    days (three free days) before the discharge."""
    text = (EXAMPLES / f"{name}.json").read_text()
    moved = text.replace("2026-03-09T", "2026-03-05T").replace("2026-03-11T", "2026-03-06T")
    return json.loads(moved)


def early_ready() -> dict:
    return earlier("04-ready-for-discharge")


def test_a_ready_notice_arriving_after_the_discharge_gives_its_payment_days(fhir, world):
    first = [earlier("01-admission"), earlier("02-support-judgement")]
    in_order = arrive(fhir, world, [*first, early_ready(), "06-discharge"])
    late = arrive(fhir, world, [*first, "06-discharge", early_ready()])
    assert late == in_order and late[0] == Case.State.DISCHARGED
    assert [counted for _, _, counted in late[10] if counted], "payment days expected"
    assert {state for _, state, _, _ in late[-1]} == {"applied"}


def test_a_late_message_after_a_persons_action_is_not_rewound_over_it(fhir, world):
    """The municipality acknowledged the discharge by hand: the rewind would undo a person's
    act, so the late ready notice is held as before (and fails after the hold time)."""
    from samverkan.cases import receipts
    from samverkan.cases.models import Delivery
    from samverkan.cases.testing import actor

    send(fhir, "01-admission", "02-support-judgement", "06-discharge")
    delivery = Delivery.objects.get(message__kind=Message.Kind.DISCHARGE, unit=world.a_needs)
    receipts.acknowledge(actor(world.a_staff), delivery, now=NOW)
    response = fhir(example("04-ready-for-discharge"))
    assert ack(response)[0] == "ok" and "väntar" in str(response.json())
    assert received_event("ready-for-discharge").state == "held"
    assert stay(world).state == Case.State.DISCHARGED and not stay(world).ready_periods.exists()


def test_applied_messages_forget_their_body_after_the_hold_time(fhir, world):
    from samverkan.fhir.ordering import fail_overdue

    send(fhir, "01-admission", "02-support-judgement", "06-discharge")
    assert not ReceivedMessage.objects.filter(body=None).exists()
    later = datetime(2026, 3, 14, 13, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert fail_overdue(later) == 3
    assert not ReceivedMessage.objects.exclude(body=None, before=None).exists()
    fhir(example("04-ready-for-discharge"))  # nothing left to rewind: held as before
    assert received_event("ready-for-discharge").state == "held"


def received_event(event: str) -> ReceivedMessage:
    return ReceivedMessage.objects.get(event=event)


# --- "från journalen" --------------------------------------------------------------------


def page(as_user, world) -> str:
    """The case page's words, without markup."""
    import html
    import re

    from django.urls import reverse

    response = as_user(world.ward_staff).get(reverse("case_detail", args=[stay(world).public_id]))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_case_page_marks_what_came_from_the_record_with_the_messages_time(fhir, world, as_user):
    send(fhir, *STAY[:4])
    body = page(as_user, world)
    assert "Från journalen" in body and "från journalen" in body
    for shown in (
        "Beräknat utskrivningsdatum 2026-03-14 från journalen meddelande 2026-03-10 09:01",
        "Inskriven 2026-03-09 08:00 från journalen meddelande 2026-03-09 08:01",
        "Utskrivningsklar 2026-03-11 09:00 från journalen meddelande 2026-03-11 09:05",
    ):
        assert shown in body


def test_a_hand_change_of_the_records_date_needs_a_reason_on_the_page(fhir, world, as_user):
    from django.urls import reverse

    send(fhir, *STAY[:3])
    case, client = stay(world), as_user(world.ward_staff)
    url = reverse("case_action", args=[case.public_id, "expected"])
    data = {"version": case.version, "expected_discharge_date": "2026-03-20"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "ange varför du ändrar den för hand" in refused.text
    assert str(stay(world).expected_discharge_date) == "2026-03-14"
    done = client.post(url, {**data, "reason": "Anhöriga reser bort, ny plan"})
    assert done.status_code == 302
    case = stay(world)
    assert str(case.expected_discharge_date) == "2026-03-20"
    assert "expected_discharge_date" not in case.from_record and "admitted_at" in case.from_record
    audit = AuditEvent.objects.filter(action="case.expected_date").order_by("-id").first()
    assert audit.detail["reason"] == "Anhöriga reser bort, ny plan"
    body = page(as_user, world)
    assert "Ändrat för hand (beräknat utskrivningsdatum kom från journalen)" in body
    assert "Anledning: Anhöriga reser bort, ny plan" in body


def test_the_api_asks_for_the_reason_with_a_bound_and_a_rule(fhir, world, api):
    send(fhir, *STAY[:4])
    path = f"/cases/{stay(world).public_id}"
    body = {"version": stay(world).version, "expected_discharge_date": "2026-03-20"}
    missing = api.post(world.ward_staff, f"{path}/expected-discharge", body)
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "reason"
    assert missing.json()["errors"][0]["rule"] == "required"
    long_reason = {**body, "reason": "x" * 301}
    too_long = api.post(world.ward_staff, f"{path}/expected-discharge", long_reason)
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["field"] == "reason"
    retract = api.post(world.ward_physician, f"{path}/ready/retract", {"version": body["version"]})
    assert retract.status_code == 400 and retract.json()["errors"][0]["field"] == "reason"
    assert stay(world).state == Case.State.READY
    assert str(stay(world).expected_discharge_date) == "2026-03-14"


def test_a_hand_date_is_not_marked_and_needs_no_reason(fhir, world, api):
    send(fhir, "01-admission")
    path = f"/cases/{stay(world).public_id}/expected-discharge"
    body = {"version": stay(world).version, "expected_discharge_date": "2026-03-20"}
    assert api.post(world.ward_staff, path, body).status_code == 200
    assert "expected_discharge_date" not in stay(world).from_record


def test_the_ward_registers_a_leave_by_hand_on_the_page_and_in_the_api(fhir, world, as_user, api):
    from django.urls import reverse

    send(fhir, *STAY[:2])
    case, client = stay(world), as_user(world.ward_staff)
    assert "Registrera permission" in page(as_user, world)
    url = reverse("case_action", args=[case.public_id, "leave"])
    assert client.post(url, {"version": case.version, "text": "t" * 301}).status_code == 400
    assert client.post(url, {"version": case.version, "text": "Hem över natten"}).status_code == 302
    body = page(as_user, world)
    assert "På permission sedan 2026-03-12 12:00" in body and "Åter från permission" in body
    path = f"/cases/{case.public_id}/leave/end"
    assert api.post(world.a_staff, path, {"version": stay(world).version}).status_code == 403
    assert api.post(world.ward_staff, path, {"version": stay(world).version}).status_code == 200
    assert stay(world).on_leave_since is None
