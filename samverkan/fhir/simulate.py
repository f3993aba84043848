"""A hospital record system for the demo: stays of test persons (Skatteverket's list only) as a
stream of FHIR messages over HTTP, several stays at a time, each event a few minutes after the
one before it. Used by `manage.py simulate_record_system` and by bench/fhir_bench.py."""

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests
from django.utils import timezone

from . import profile as p

TRANSIENT = (408, 429, 500, 502, 503, 504)
RESEND_PAUSES = (1, 2, 4)  # seconds; a resend keeps the Bundle id and MessageHeader id
SOURCE = {"name": "Journalsystemet (simulerat)", "endpoint": "https://journal.example/fhir"}
ENCOUNTER_SYSTEM = "https://journal.example/fhir/NamingSystem/vardtillfalle"
CHECKLIST = {  # the discharge checklist the ward fills in the record
    "medication_list": True,
    "medicines_three_days": True,
    "care_report": "Omvårdnadsepikris i journalen.",
    "transport": "Sjukresa",
}
DESTINATIONS = ("home", "home", "home", "short_term_housing", "special_housing")


@dataclass
class Person:
    number: str  # from samverkan.lib.testdata (Skatteverket's test personnummer)
    given: str
    family: str


@dataclass
class Stay:
    """One stay's plan: its events in order, sent one at a time."""

    person: Person
    encounter: str
    events: list[str]
    admitted_at: datetime | None = None
    expected: datetime | None = None
    sent: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.sent >= len(self.events)


def plan(rng: random.Random, person: Person) -> Stay:
    """A plausible stay: admission, the judgement with an expected date, perhaps a new date,
    ready (sometimes retracted and given again), and discharge, or death or transfer."""
    events = ["admission", "support-judgement"]
    if rng.random() < 0.4:
        events.append("expected-date-change")
    ending = rng.choices(["discharge", "transfer", "death"], [90, 7, 3])[0]
    if ending == "discharge":
        events.append("ready-for-discharge")
        if rng.random() < 0.08:
            events += ["ready-retracted", "ready-for-discharge"]
    events.append(ending)
    stay = Stay(person=person, encounter=f"VT-{uuid.uuid4().hex[:10].upper()}", events=events)
    stay.extra = {
        "days": rng.randint(2, 6),
        "sip": rng.random() < 0.2,
        "destination": rng.choice(DESTINATIONS),
    }
    return stay


def next_message(stay: Stay, ward_hsa: str, physician_hsa: str, now: datetime) -> dict:
    """The stay's next event as a message Bundle; its clinical time a moment before now."""
    event = stay.events[stay.sent]
    occurred = now - timedelta(minutes=1)
    if event == "admission":
        stay.admitted_at = occurred
    if event in ("support-judgement", "expected-date-change"):
        days = stay.extra["days"] + (1 if event == "expected-date-change" else 0)
        stay.expected = timezone.localdate(now) + timedelta(days=days)
    stay.sent += 1
    return build(event, stay, ward_hsa, physician_hsa, occurred, now)


def _hsa(value: str) -> dict:
    return {"identifier": {"system": p.HSA_SYSTEMS[0], "value": value}}


def _encounter(event: str, stay: Stay, ward_hsa: str) -> dict:
    extensions = []
    if event in ("support-judgement", "expected-date-change"):
        extensions.append({"url": p.EXPECTED_DATE, "valueDate": stay.expected.isoformat()})
    if event == "ready-for-discharge":
        extensions.append({"url": p.SIP_NEEDED, "valueBoolean": stay.extra["sip"]})
        if stay.extra["sip"]:
            extensions.append({"url": p.SIP_CONSENT, "valueBoolean": True})
    encounter = {
        "resourceType": "Encounter",
        "status": "finished" if event in ("discharge", "death", "transfer") else "in-progress",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
        "identifier": [{"system": ENCOUNTER_SYSTEM, "value": stay.encounter}],
        "subject": {"reference": "urn:uuid:patient"},
        "serviceProvider": _hsa(ward_hsa),
        "period": {"start": stay.admitted_at.isoformat()},
    }
    if event == "discharge":
        extensions.append({"url": p.CHECKLIST, "extension": _checklist()})
        disposition = {"system": p.DESTINATION_SYSTEM, "code": stay.extra["destination"]}
        encounter["hospitalization"] = {"dischargeDisposition": {"coding": [disposition]}}
    if extensions:
        encounter["extension"] = extensions
    return encounter


def _checklist() -> list[dict]:
    return [
        {"url": key, "valueBoolean" if isinstance(value, bool) else "valueString": value}
        for key, value in CHECKLIST.items()
    ]


def build(
    event: str, stay: Stay, ward_hsa: str, physician_hsa: str, occurred: datetime, now: datetime
) -> dict:
    ids = {name: str(uuid.uuid4()) for name in ("header", "encounter", "patient", "author")}
    header = {
        "resourceType": "MessageHeader",
        "id": ids["header"],
        "extension": [{"url": p.EVENT_TIME, "valueDateTime": occurred.isoformat()}],
        "eventCoding": {"system": p.EVENT_SYSTEM, "code": event},
        "sender": _hsa(ward_hsa),
        "source": SOURCE,
        "focus": [{"reference": f"urn:uuid:{ids['encounter']}"}],
    }
    encounter = _encounter(event, stay, ward_hsa)
    encounter["subject"]["reference"] = f"urn:uuid:{ids['patient']}"
    resources = [
        (ids["header"], header),
        (ids["encounter"], encounter),
        (ids["patient"], _patient(stay.person)),
    ]
    if event in ("ready-for-discharge", "ready-retracted"):
        header["author"] = {"reference": f"urn:uuid:{ids['author']}"}
        identifier = {"system": p.HSA_SYSTEMS[0], "value": physician_hsa}
        practitioner = {"resourceType": "Practitioner", "identifier": [identifier]}
        resources.append((ids["author"], practitioner))
    if event in ("death", "transfer", "ready-retracted"):
        reason = {"death": "Avliden.", "transfer": "Flyttad till annat sjukhus."}
        text = reason.get(event, "Ny bedömning: behöver stanna.")
        header["extension"].append({"url": p.REASON, "valueString": text})
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "message",
        "timestamp": now.isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{i}", "resource": r} for i, r in resources],
    }


def _patient(person: Person) -> dict:
    return {
        "resourceType": "Patient",
        "identifier": [{"system": p.PERSONNUMMER, "value": person.number}],
        "name": [{"family": person.family, "given": [person.given]}],
    }


class Sender:
    """POSTs messages to $process-message with the integration account's token; a transient
    error or a lost connection is sent again with the same ids (reliable messaging)."""

    def __init__(self, url: str, token: str, timeout: float = 10, session=None):
        self.url = url.rstrip("/") + "/fhir/R4/$process-message"
        self.session = session or requests.Session()
        self.session.headers.update(
            {"Authorization": f"Bearer {token}", "Content-Type": p.FHIR_JSON}
        )
        self.timeout = timeout

    def send(self, message: dict) -> tuple[int, str]:
        """(HTTP status, acknowledgement code); resent with the same ids on a transient error."""
        for pause in (*RESEND_PAUSES, None):
            try:
                response = self.session.post(self.url, json=message, timeout=self.timeout)
            except requests.RequestException:
                status, code = 0, "no-connection"
            else:
                status, code = response.status_code, _ack_code(response)
                if status not in TRANSIENT:
                    return status, code
            if pause is None:
                return status, code
            time.sleep(pause)
        return status, code  # pragma: no cover - the loop always returns


def _ack_code(response) -> str:
    try:
        return response.json()["entry"][0]["resource"]["response"]["code"]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


class Stream:
    """Several stays at a time; each call of `next()` is one stay's next message."""

    def __init__(self, people: list[Person], ward_hsa: str, physician_hsa: str, *, seed=None):
        self.rng = random.Random(seed)
        self.waiting = list(people)
        self.rng.shuffle(self.waiting)
        self.ward_hsa, self.physician_hsa = ward_hsa, physician_hsa
        self.active: list[Stay] = []

    def next(self, now=None, *, at_once: int = 4) -> tuple[Stay, dict] | None:
        while len(self.active) < at_once and self.waiting:
            self.active.append(plan(self.rng, self.waiting.pop()))
        if not self.active:
            return None
        stay = self.rng.choice(self.active)
        message = next_message(stay, self.ward_hsa, self.physician_hsa, now or timezone.now())
        if stay.done:
            self.active.remove(stay)
        return stay, message

    def drop(self, stay: Stay) -> None:
        """A stay the server refused (e.g. the person is already admitted) goes no further."""
        if stay in self.active:
            self.active.remove(stay)
