"""Test helpers: a call rule for municipality A, and discharged stays walked through the LOS
services (so the units taking part are those the routing names)."""

from datetime import date, timedelta

from samverkan.cases import services
from samverkan.cases.testing import actor
from samverkan.lib.identity import parse_identity
from samverkan.lib.testdata import born_between
from samverkan.patients.models import Patient

from .models import CallRule


def rule_for(world, **fields) -> CallRule:
    """65+, home, with planned support, everyone; the listed primary care centre calls."""
    defaults = {"name": "Kommun A 65+", "municipality": world.muni_a, "destinations": ["home"]}
    rule = CallRule.objects.create(**{**defaults, **fields})
    rule.callers.set([world.pcc])
    return rule


def persons(world, count: int, first_year=1930, last_year=1950, municipality=None) -> list:
    """`count` persons with Skatteverket's test numbers born in the years given."""
    taken = set(Patient.objects.values_list("identity", flat=True))
    numbers = [n for n in born_between(first_year, last_year) if n not in taken][:count]
    return [
        Patient.objects.create(
            identity=n,
            identity_kind="personnummer",
            birth_date=parse_identity(n).birth_date,
            given_name="Test",
            family_name=f"Person{n[-4:]}",
            registered_municipality=municipality or world.muni_a,
            listed_primary_care=world.pcc,
        )
        for n in numbers
    ]


def stay(world, patient, discharged_at, *, destination="home", support=True):
    """A stay of `patient` discharged at `discharged_at`, through the services."""
    staff, start = actor(world.ward_staff), discharged_at - timedelta(days=3)
    case = services.open_case(staff, patient, now=start, admitted_at=start)
    expected = date.today() + timedelta(days=2)
    services.send_admission_notice(
        staff, case, now=start, occurred_at=start, expected_discharge_date=expected
    )
    case.refresh_from_db()
    ready = start + timedelta(days=1)
    services.declare_ready(actor(world.ward_physician), case, sip_needed=False, now=ready)
    case.refresh_from_db()
    if support:
        own = patient.registered_municipality_id == world.muni_a.pk
        needs = actor(world.a_staff if own else world.b_staff)
        services.add_planned_support(needs, case, text="Hemtjänst två gånger om dagen.", now=ready)
        case.refresh_from_db()
    checklist = {"medication_list": True, "care_report": "Epikris bifogad"}
    services.discharge(staff, case, destination=destination, now=discharged_at, checklist=checklist)
    case.refresh_from_db()
    return case
