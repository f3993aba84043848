"""The demo ward's in-patients: Medicinavdelning 31 has a patient in every state of the LOS
process, each stay made with the services at past moments so that every clock is true now (the
24-hour notice, the check times, the days as ready, the 3-day SIP call). The persons are
patients.demo.WARD; one who already has a stay is left as they are, so a second run adds nothing."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from samverkan.directory.actor import Actor
from samverkan.directory.demo import demo_actor
from samverkan.patients.demo import WARD
from samverkan.patients.models import Patient

from . import intake, receipts, services
from .models import Case, Delivery, Message


@dataclass(frozen=True)
class Cast:
    """The demo users who act in the ward's stays, and the moment the demo is made."""

    nurse: Actor
    physician: Actor
    needs: Actor  # karlskrona.handlaggare, who receives the notices
    pcc: Actor  # vc.sjukskoterska, the listed primary care centre
    hsl: Actor
    karlshamn: Actor
    now: datetime

    def ago(self, hours: float) -> datetime:
        return self.now - timedelta(hours=hours)

    def day(self, days_ago: int, hour: int) -> datetime:
        """That local day at the hour, but never after now nor before the day began."""
        day = timezone.localdate(self.now) - timedelta(days=days_ago)
        start = timezone.make_aware(datetime.combine(day, time()))
        return max(start, min(start + timedelta(hours=hour), self.now - timedelta(minutes=5)))


def cast(now=None) -> Cast:
    users = ["avd.sjukskoterska", "avd.lakare", "karlskrona.handlaggare", "vc.sjukskoterska"]
    users += ["karlskrona.hsl", "karlshamn.handlaggare"]
    return Cast(*(demo_actor(u) for u in users), now=now or timezone.now())


# --- steps, each one service call at a past moment ------------------------------------------


def _admit(c: Cast, patient, when) -> Case:
    return services.open_case(c.nurse, patient, admitted_at=when, now=when)


def _notice(c: Cast, case: Case, when, recipients=None) -> Message:
    earliest = timezone.localdate(case.admitted_at) + timedelta(days=5)
    expected = max(earliest, timezone.localdate(c.now) + timedelta(days=1))  # never today by chance
    return services.send_admission_notice(
        c.nurse,
        case,
        expected_discharge_date=expected,
        recipients=recipients,
        occurred_at=when,
        now=when,
    )


def _acknowledged(when, case: Case, *actors: Actor) -> None:
    for actor in actors:
        receipts.acknowledge_all(actor, case, now=when)


def _noticed(c: Cast, patient, admitted, acknowledged=True) -> Case:
    """Admitted, the notice sent an hour later and, if so, acknowledged two hours after that."""
    case = _admit(c, patient, admitted)
    _notice(c, case, admitted + timedelta(hours=1))
    if acknowledged:
        _acknowledged(admitted + timedelta(hours=3), case, c.needs, c.pcc)
    return case


def _ready(c: Cast, case: Case, when, sip_needed=False) -> None:
    services.declare_ready(
        c.physician,
        case,
        sip_needed=sip_needed,
        sip_consent=True if sip_needed else None,
        occurred_at=when,
        now=when,
    )


def _care_contact(c: Cast, case: Case, when) -> None:
    name, phone = "Ulla Strand, distriktssköterska", "0455-73 60 12"
    services.name_care_contact(c.pcc, case, name=name, phone=phone, now=when)


# --- the stories, one per state --------------------------------------------------------------


def notice_late(c: Cast, patient) -> None:
    """Admitted 30 hours ago and no notice yet: late."""
    _admit(c, patient, c.ago(30))


def notice_due(c: Cast, patient) -> None:
    """Admitted three hours ago: the notice is due within the day."""
    _admit(c, patient, c.ago(3))


def ack_by_one(c: Cast, patient) -> None:
    """The needs assessor acknowledged the notice; primary care has not yet."""
    case = _noticed(c, patient, c.ago(20), acknowledged=False)
    _acknowledged(c.ago(16), case, c.needs)


def ack_by_all(c: Cast, patient) -> None:
    """Both acknowledged; the municipality's planned support and the care contact are new to
    the ward."""
    case = _noticed(c, patient, c.ago(48))
    text = "Hemtjänst morgon och kväll, trygghetslarm. Hemsjukvården ger läkemedel."
    services.add_planned_support(c.needs, case, text=text, now=c.ago(28))
    _care_contact(c, case, c.ago(26))


def update_unread(c: Cast, patient) -> None:
    """The ward recorded a new ADL status two hours ago, not yet read by the municipality."""
    case = _noticed(c, patient, c.ago(72))
    items = {"bathing": {"level": "dependent"}, "dressing": {"level": "partly"}}
    services.record_adl(c.nurse, case, items=items, occurred_at=c.ago(2), now=c.ago(2))


def ready_today(c: Cast, patient) -> None:
    """Ready for discharge today (day 0); the recipients have yet to acknowledge."""
    case = _noticed(c, patient, c.ago(72))
    _ready(c, case, c.day(0, 9))


def _ready_for_sip(c: Cast, patient, days: int) -> Case:
    """Ready since `days` (admitted four days before), a care contact named, a SIP needed;
    both recipients acknowledged the ready notice two hours after it."""
    case = _noticed(c, patient, c.ago((days + 4) * 24))
    _care_contact(c, case, c.ago((days + 3) * 24))
    ready = c.day(days, 10)
    _ready(c, case, ready, sip_needed=True)
    _acknowledged(ready + timedelta(hours=2), case, c.needs, c.pcc)
    return case


def ready_sip_called(c: Cast, patient) -> None:
    """Ready since two days, and the care contact has called the SIP."""
    case = _ready_for_sip(c, patient, 2)
    services.record_sip_called(c.pcc, case, occurred_at=c.day(1, 10), now=c.day(1, 10))


def ready_sip_late(c: Cast, patient) -> None:
    """Ready since four days, past the 3-day mark, and the SIP not yet called."""
    _ready_for_sip(c, patient, 4)


def discharge_today(c: Cast, patient) -> None:
    """Expected home today: the ward moved the date this morning."""
    case = _noticed(c, patient, c.ago(5 * 24))
    when = c.ago(3)
    today = timezone.localdate(c.now)
    services.update_expected_discharge(
        c.nurse, case, expected_discharge_date=today, occurred_at=when, now=when
    )


def rejected(c: Cast, patient) -> None:
    """The notice went to Karlshamn by mistake, which rejected it: send it to the right unit."""
    case = _admit(c, patient, c.ago(10))
    units = [c.karlshamn.unit, patient.listed_primary_care]
    message = _notice(c, case, c.ago(9), recipients=units)
    _acknowledged(c.ago(7), case, c.pcc)
    mistaken = Delivery.objects.get(message=message, unit=c.karlshamn.unit)
    delivery = receipts.get_delivery_for_actor(c.karlshamn, mistaken.public_id)
    receipts.reject(c.karlshamn, delivery, reason="not_registered", now=c.ago(6))


def question(c: Cast, patient) -> None:
    """The needs assessor asked the ward a question this morning; no answer yet."""
    case = _noticed(c, patient, c.ago(50))
    text = "Behöver patienten rullator hemma, eller räcker käppen?"
    services.ask(c.needs, case, text=text, now=c.ago(5))


def care_request(c: Cast, patient) -> None:
    """Home health care sent a care request; the ward admitted the patient and has yet to
    acknowledge and answer it."""
    when = c.ago(6)
    data = {
        "health_status": "Feber och förvirring sedan i går, svårt att stå.",
        "contact": "Hemsjukvården Karlskrona, 0455-30 41 00",
        "medications": "Enligt bifogad läkemedelslista (dosett).",
        "ongoing_support": "Hemtjänst fyra gånger per dag.",
    }
    intake.send_care_request(
        c.hsl,
        identity=patient.identity,
        hospital_unit=c.nurse.unit,
        data=data,
        consent=True,
        occurred_at=when,
        now=when,
    )
    _admit(c, patient, when + timedelta(hours=1))


STORIES = {
    "notice_late": notice_late,
    "notice_due": notice_due,
    "ack_by_one": ack_by_one,
    "ack_by_all": ack_by_all,
    "update_unread": update_unread,
    "ready_today": ready_today,
    "ready_sip_called": ready_sip_called,
    "ready_sip_late": ready_sip_late,
    "discharge_today": discharge_today,
    "rejected": rejected,
    "question": question,
    "care_request": care_request,
}


def seed_ward(now=None) -> int:
    """Make the stays of the ward's persons who have none yet; returns how many were made."""
    c = cast(now)
    made = 0
    for key, named in WARD.items():
        patient = Patient.objects.select_related("listed_primary_care").get(identity=named.identity)
        if Case.objects.filter(patient=patient).exists():
            continue
        with transaction.atomic():
            STORIES[key](c, patient)
        made += 1
    return made
