"""Test helpers that walk a case through the LOS steps with the service functions."""

from datetime import date, timedelta

from django.utils import timezone

from samverkan.directory.actor import Actor

from . import receipts, services
from .models import Delivery


def actor(user, unit=None) -> Actor:
    memberships = user.memberships.select_related("unit__principal")
    membership = memberships.get(unit=unit) if unit else memberships.first()
    return Actor(user=user, membership=membership, ip="127.0.0.1")


def opened(world, now=None):
    return services.open_case(actor(world.ward_staff), world.patient, now=now, admitted_at=now)


def notified(world, now=None):
    case = opened(world, now)
    services.send_admission_notice(
        actor(world.ward_staff),
        case,
        now=now,
        occurred_at=now,
        expected_discharge_date=date.today() + timedelta(days=5),
    )
    case.refresh_from_db()
    return case


def ready(world, now=None, sip_needed=False):
    case = notified(world, now)
    services.declare_ready(
        actor(world.ward_physician),
        case,
        sip_needed=sip_needed,
        sip_consent=True if sip_needed else None,
        now=now,
        occurred_at=now,
    )
    case.refresh_from_db()
    return case


def acknowledge_all(case, world, kind):
    users = {world.a_needs.pk: world.a_staff, world.pcc.pk: world.pcc_staff}
    for d in Delivery.objects.filter(message__case=case, message__kind=kind, state="sent"):
        receipts.acknowledge(actor(users[d.unit_id]), d)


def discharged(world, now=None):
    case = ready(world, now)
    services.discharge(
        actor(world.ward_staff),
        case,
        destination="home",
        now=now,
        checklist={"medication_list": True, "care_report": "Epikris bifogad"},
    )
    case.refresh_from_db()
    return case


def now():
    return timezone.now()


def in_patients(world, count: int, user=None) -> list:
    """`count` new persons (test numbers born 1935–45) admitted to the ward 2, 3, … hours ago."""
    from samverkan.lib.identity import parse_identity
    from samverkan.lib.testdata import born_between
    from samverkan.patients.models import Patient

    numbers = [n for n in born_between(1935, 1945) if n != world.patient.identity][:count]
    staff = actor(user or world.ward_staff)
    cases = []
    for i, number in enumerate(numbers):
        patient = Patient.objects.create(
            identity=number,
            identity_kind="personnummer",
            birth_date=parse_identity(number).birth_date,
            given_name="Test",
            family_name=f"Efternamn{i}",
            registered_municipality=world.muni_a,
            listed_primary_care=world.pcc,
        )
        when = timezone.now() - timedelta(hours=2 + i)
        cases.append(services.open_case(staff, patient, now=when, admitted_at=when))
    return cases
