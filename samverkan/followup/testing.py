"""A small set of stays with hand-computed indicators (tests/followup, browser tests).

November 2026 (Swedish time), municipality A unless said:
  S1 P1 notice in 4 h, ready 5/11 10:00, home the same day; P1 is back on 20/11 (readmitted)
  S2 P2 notice after 26 h (late), ready 6/11, discharged 9/11 (3 days) to short-term housing
  S3 P3 no notice, ready 10/11, discharged 11/11 (1 day)
  S4 P4 ready 7/11, SIP needed and called 9/11, discharged 12/11 (5 days) to special housing
  S5 P5 never ready, discharged 8/11
  S6 P1 again, admitted 20/11, ready and home 22/11 (0 days)
  S7 P7 municipality B, psychiatric ward, ready 12/11, discharged 14/11 (2 days)
  S8 P6 discharged 20/10 (the baseline month, October), not readmitted
Expected for November: 7 stays, 6 with notice (85.7 %), 5 on time (71.4 %), 6 ready, days
0, 3, 1, 5, 0, 2 (mean 1.8, median 1.5), 1 readmitted (14.3 %)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from samverkan.cases.clock import next_check_time
from samverkan.cases.models import Case, Delivery, Message
from samverkan.directory.models import Principal, Unit
from samverkan.lib.identity import parse_identity
from samverkan.lib.testdata import born_between
from samverkan.patients.models import Patient

SE = ZoneInfo("Europe/Stockholm")


def at(day: str, hour: int = 9, minute: int = 0) -> datetime:
    """A Swedish local time on a 2026 day written 'MM-DD'."""
    month, d = (int(p) for p in day.split("-"))
    return datetime(2026, month, d, hour, minute, tzinfo=SE)


def _patient(number: str, municipality) -> Patient:
    identity = parse_identity(number)
    return Patient.objects.create(
        identity=number,
        identity_kind=identity.kind,
        birth_date=identity.birth_date,
        given_name="Test",
        family_name=f"Person{number[-4:]}",
        registered_municipality=municipality,
    )


def _stay(patient, ward, admitted, notice, ready, discharged, **extra) -> Case:
    return Case.objects.create(
        patient=patient,
        ward=ward,
        state=extra.pop("state", Case.State.CLOSED),
        admitted_at=admitted,
        notice_sent_at=notice,
        ready_at=ready,
        discharged_at=discharged,
        destination=extra.pop("destination", Case.Destination.HOME),
        **extra,
    )


def stays(w):
    """The eight stays above in the shared test world; returns {name: case}."""
    Principal.objects.filter(pk=w.muni_a.pk).update(population_65=12000)
    w.psych_ward = Unit.objects.create(
        principal=w.region,
        name="Psykiatrisk avdelning",
        kind=Unit.Kind.WARD_PSYCHIATRIC,
        hsa_id="SE-TEST-PSYK",
    )
    numbers = born_between(1936, 1940)
    p = [_patient(n, w.muni_a) for n in numbers[:6]] + [_patient(numbers[6], w.muni_b)]
    s = {
        "S1": _stay(
            p[0], w.ward, at("11-02", 8), at("11-02", 12), at("11-05", 10), at("11-05", 15)
        ),
        "S2": _stay(
            p[1],
            w.ward,
            at("11-03", 8),
            at("11-04", 10),
            at("11-06"),
            at("11-09", 11),
            destination=Case.Destination.SHORT_TERM,
        ),
        "S3": _stay(p[2], w.ward, at("11-04", 8), None, at("11-10"), at("11-11", 13)),
        "S4": _stay(
            p[3],
            w.ward,
            at("11-05", 8),
            at("11-05", 9),
            at("11-07"),
            at("11-12", 14),
            sip_needed=True,
            sip_called_at=at("11-09", 10),
            destination=Case.Destination.SPECIAL_HOUSING,
        ),
        "S5": _stay(p[4], w.ward, at("11-06", 8), at("11-06", 10), None, at("11-08", 12)),
        "S6": _stay(p[0], w.ward, at("11-20", 8), at("11-20", 9), at("11-22", 8), at("11-22", 14)),
        "S7": _stay(p[6], w.psych_ward, at("11-10", 8), at("11-10", 9), at("11-12"), at("11-14")),
        "S8": _stay(p[5], w.ward, at("10-15", 8), at("10-15", 9), at("10-18"), at("10-20")),
    }
    _deliveries(w, s["S1"])
    return s


def _deliveries(w, case) -> None:
    """The admission notice of S1: municipality A acknowledges in 1.5 h, primary care in 26 h."""
    sent = case.notice_sent_at
    message = Message.objects.create(
        case=case,
        kind=Message.Kind.ADMISSION_NOTICE,
        sender_unit=w.ward,
        sender=w.ward_staff,
        occurred_at=sent,
    )
    for unit, acknowledged in ((w.a_needs, at("11-02", 13, 30)), (w.pcc, at("11-03", 14))):
        Delivery.objects.create(
            message=message,
            unit=unit,
            state=Delivery.State.ACKNOWLEDGED,
            sent_at=sent,
            ack_due_at=next_check_time(sent),
            acknowledged_at=acknowledged,
        )
