"""Synthetic stays for the demo directory, calibrated on DOMAIN.md §6: most patients go home the
day they are ready or the next, a tail waits long, about one in ten is readmitted within 30
days, and a few admission notices are late or missing. Bulk inserts, for millions of cases."""

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from samverkan.directory.models import Principal, Unit
from samverkan.lib import bulk
from samverkan.lib.identity import parse_identity
from samverkan.lib.testdata import aged_between
from samverkan.patients.demo import FAMILY, NAMED_NUMBERS, _given_name
from samverkan.patients.models import Patient

from .clock import next_check_time
from .models import Case, Delivery, Message, Participant, ReadyPeriod

S = Case.State
ADULT, ELDERLY, OLDEST = 18, 67, 98  # ages today: everyone is 18–100 at each of their stays
DESTINATIONS = [
    ("home", 70),
    ("short_term_housing", 18),
    ("special_housing", 7),
    ("other_hospital", 5),
]


@dataclass
class Stay:
    """One generated hospital stay and its moments (None: not reached yet)."""

    patient: Patient
    ward: Unit
    admitted: datetime
    notice: datetime | None
    ready: datetime | None
    discharged: datetime | None
    closed: datetime | None
    destination: str = ""
    sip_called: datetime | None = None  # set when a SIP was needed (None: not needed or not yet)
    sip_needed: bool = False
    ack_hours: float = 2.0  # how long the recipients took to acknowledge
    recipients: list[Unit] = field(default_factory=list)


def days_ready(rng: random.Random) -> float:
    """~70 % leave the day they are ready, most others within 3 days, a tail up to 30."""
    r = rng.random()
    if r < 0.70:
        return rng.uniform(0, 0.3)
    if r < 0.92:
        return rng.uniform(1, 3.5)
    return min(30.0, 3 + rng.expovariate(1 / 6))


def _moments(rng, admitted, now):
    notice_delay = rng.choice([rng.uniform(0.5, 20)] * 9 + [rng.uniform(25, 60)])  # hours
    notice = None if rng.random() < 0.02 else admitted + timedelta(hours=notice_delay)
    ready = admitted + timedelta(days=rng.lognormvariate(1.2, 0.6)) if notice else None
    if ready and notice and ready < notice:
        ready = notice + timedelta(hours=1)
    end = (ready or admitted + timedelta(days=rng.uniform(2, 8))) + timedelta(days=days_ready(rng))
    closed = end + timedelta(days=rng.uniform(0.5, 3))
    cut = [m if m and m <= now else None for m in (notice, ready, end, closed)]
    return cut[0], cut[1], cut[2], cut[3]


def patient_timeline(rng, patient, wards, start, now, stays: int):
    """Sequential stays of one patient; about one in ten readmitted within 30 days."""
    span = (now - start).total_seconds() / 86400
    mean_gap = max(10.0, span / max(stays, 1) - 6)  # the caller asks for more than it needs
    t = start + timedelta(days=rng.uniform(0, mean_gap))
    for _ in range(stays):
        if t >= now:
            return
        notice, ready, discharged, closed = _moments(rng, t, now)
        stay = Stay(
            patient,
            rng.choice(wards),
            t,
            notice,
            ready,
            discharged,
            closed,
            rng.choices([d for d, _ in DESTINATIONS], [w for _, w in DESTINATIONS])[0],
            ack_hours=rng.choice([rng.uniform(0.2, 4)] * 4 + [rng.uniform(4, 30)]),
        )
        _sip(rng, stay, now)
        yield stay
        if not closed:
            return  # the open stay is the patient's last
        gap = rng.uniform(1, 30) if rng.random() < 0.10 else 30 + rng.expovariate(1 / mean_gap)
        t = discharged + timedelta(days=gap)


def _sip(rng, stay: Stay, now) -> None:
    """About one ready patient in four needs a SIP; most are called within the 3 days."""
    if stay.ready and rng.random() < 0.25:
        stay.sip_needed = True
        called = stay.ready + timedelta(days=rng.choice([rng.uniform(0, 3)] * 4 + [3.5, 5]))
        stay.sip_called = called if called <= now else None


def plausible_numbers(rng, count: int, today, years: float) -> list[str]:
    """Up to `count` test numbers of persons of an age for a stay at any time in the last
    `years`, about 70 % aged 65 or more while the list has them; never the named demo persons
    (the demo makes their stays with the services)."""
    youngest = ADULT + math.ceil(years)
    elderly, adults = (
        [n for n in aged_between(low, high, today) if n not in NAMED_NUMBERS]
        for low, high in ((ELDERLY, OLDEST), (youngest, ELDERLY - 1))
    )
    rng.shuffle(elderly)
    rng.shuffle(adults)
    old = min(len(elderly), round(count * 0.7))
    chosen = elderly[:old] + adults[: count - old]
    return chosen + elderly[old : old + count - len(chosen)]


def ensure_patients(rng, count: int, today, years: float) -> list[Patient]:
    """Persons from Skatteverket's test list only, registered by population weight."""
    existing = {p.identity: p for p in Patient.objects.all()}
    municipalities = list(Principal.objects.filter(kind="municipality"))
    centres = {
        m.pk: list(Unit.objects.filter(kind="primary_care", municipality=m)) for m in municipalities
    }
    numbers = plausible_numbers(rng, count, today, years)
    new = []
    for number in numbers:
        if number in existing:
            continue
        home = rng.choices(municipalities, [m.population or 1 for m in municipalities])[0]
        identity = parse_identity(number)
        new.append(
            Patient(
                identity=number,
                identity_kind=identity.kind,
                birth_date=identity.birth_date,
                given_name=_given_name(rng, number),
                family_name=rng.choice(FAMILY),
                registered_municipality=home,
                listed_primary_care=rng.choice(centres[home.pk]) if centres[home.pk] else None,
            )
        )
    Patient.objects.bulk_create(new, batch_size=5000)
    return list(
        Patient.objects.select_related(
            "registered_municipality__notice_unit", "listed_primary_care"
        ).filter(identity__in=numbers)
    )


def generate(
    cases: int,
    seed: int = 1,
    years: float | None = None,
    batch: int = 2000,
    now=None,
    progress=None,
) -> int:
    """Create about `cases` stays; returns how many were made."""
    rng = random.Random(seed)
    now = now or timezone.now()
    years = years or max(1.0, cases / 150_000)
    start = now - timedelta(days=365 * years)
    patients = ensure_patients(rng, max(cases // 3, 200), timezone.localdate(now), years)
    wards = list(Unit.objects.filter(kind__in=["ward_somatic", "ward_psychiatric"]))
    sender, _ = User.objects.get_or_create(
        username="syntetiska.data",
        defaults={"is_active": False, "first_name": "Syntetisk", "last_name": "testdata"},
    )
    busy = set(Case.objects.exclude(state=S.CLOSED).values_list("patient_id", flat=True))
    patients = [p for p in patients if p.pk not in busy]  # one open case per person
    per_patient = math.ceil(1.3 * cases / len(patients))  # timelines may end early, at now
    made, pending = 0, []
    for patient in patients:
        for stay in patient_timeline(rng, patient, wards, start, now, per_patient):
            pending.append(stay)
            if len(pending) >= batch:
                made += write(pending, sender, now)
                pending = []
                if progress:
                    progress(made)
            if made + len(pending) >= cases:
                break
        if made + len(pending) >= cases:
            break
    return made + write(pending, sender, now)


def _state(s: Stay) -> str:
    if s.closed:
        return S.CLOSED
    if s.discharged:
        return S.DISCHARGED
    return S.READY if s.ready else S.ADMITTED


def _routing(s: Stay) -> list[tuple[Unit, str]]:
    """The routed recipients with their participant roles."""
    p = s.patient
    muni = p.registered_municipality.notice_unit if p.registered_municipality else None
    pairs = [(muni, "municipality"), (p.listed_primary_care, "primary_care")]
    return [(u, role) for u, role in pairs if u]


CASE_COLUMNS = [
    "id",
    "public_id",
    "patient_id",
    "ward_id",
    "state",
    "admitted_at",
    "expected_discharge_date",
    "notice_sent_at",
    "ready_at",
    "sip_needed",
    "sip_called_at",
    "care_contact_name",
    "discharged_at",
    "destination",
    "checklist",
    "closed_at",
    "close_reason",
    "version",
    "created_at",
    "updated_at",
]
PARTICIPANT_COLUMNS = ["id", "case_id", "unit_id", "role", "active", "added_at", "removed_reason"]
MESSAGE_COLUMNS = [
    "id",
    "public_id",
    "case_id",
    "kind",
    "sender_unit_id",
    "sender_id",
    "occurred_at",
    "recorded_at",
    "text",
    "data",
]
DELIVERY_COLUMNS = [
    "id",
    "public_id",
    "message_id",
    "unit_id",
    "state",
    "sent_at",
    "ack_due_at",
    "read_at",
    "acknowledged_at",
    "reject_reason",
    "needs_ack",
]
PERIOD_COLUMNS = ["id", "case_id", "declared_at", "declared_by_id", "ended_at", "end_reason"]
CHECKLIST = {"medication_list": True, "care_report": "Syntetisk"}


def _case_row(pk, s: Stay):
    return (
        pk,
        uuid.uuid4(),
        s.patient.pk,
        s.ward.pk,
        _state(s),
        s.admitted,
        (s.admitted + timedelta(days=5)).date(),
        s.notice,
        s.ready,
        s.sip_needed,
        s.sip_called,
        "",
        s.discharged,
        s.destination if s.discharged else "",
        CHECKLIST if s.discharged else {},
        s.closed,
        "Avslutat" if s.closed else "",
        1,
        s.admitted,
        s.closed or s.admitted,
    )


@transaction.atomic
def write(stays: list[Stay], sender, now) -> int:
    """One batch: cases, participants, messages with deliveries, ready periods."""
    if not stays:
        return 0
    bulk.fast_commit()
    first = bulk.reserve_ids(Case, len(stays))
    bulk.insert(Case, CASE_COLUMNS, [_case_row(first + i, s) for i, s in enumerate(stays)])
    participants, messages, deliveries, periods = [], [], [], []
    for i, s in enumerate(stays):
        case_id, active = first + i, not s.closed
        routed = _routing(s) if s.notice else []
        s.recipients = [u for u, _ in routed]
        for unit, role in [(s.ward, "responsible"), *routed]:
            participants.append((case_id, unit.pk, role, active, s.admitted, ""))
        for kind, when in (
            ("admission_notice", s.notice),
            ("ready", s.ready),
            ("sip_called", s.sip_called),
            ("discharge", s.discharged),
        ):
            if when:
                messages.append(
                    (uuid.uuid4(), case_id, kind, s.ward.pk, sender.pk, when, when, "", {})
                )
                deliveries += [
                    (len(messages) - 1, *_delivery(u, kind, when, s, now)) for u in s.recipients
                ]
        if s.ready:
            periods.append(
                (case_id, s.ready, sender.pk, s.discharged, "discharged" if s.discharged else "")
            )
    _insert_with_ids(Participant, PARTICIPANT_COLUMNS, participants)
    _insert_with_ids(ReadyPeriod, PERIOD_COLUMNS, periods)
    message_first = _insert_with_ids(Message, MESSAGE_COLUMNS, messages)
    _insert_with_ids(
        Delivery,
        DELIVERY_COLUMNS,
        [(uuid.uuid4(), message_first + m, *rest) for m, *rest in deliveries],
    )
    return len(stays)


def _insert_with_ids(model, columns, rows) -> int:
    first = bulk.reserve_ids(model, len(rows)) if rows else 0
    bulk.insert(model, columns, [(first + i, *row) for i, row in enumerate(rows)])
    return first


def _delivery(unit, kind, when, stay: Stay, now):
    """A notice is acknowledged after the stay's hours; an update (SIP called) is read then."""
    seen = when + timedelta(hours=stay.ack_hours)
    seen = seen if stay.closed is not None or seen <= now else None
    binding = kind in Message.ACKNOWLEDGED_KINDS
    state = ("acknowledged" if binding else "read") if seen else "sent"
    return (
        unit.pk,
        state,
        when,
        next_check_time(when),
        seen,
        seen if binding else None,
        "",
        binding,
    )
