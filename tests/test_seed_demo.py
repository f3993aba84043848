"""Demo data: real principals, every role, persons only from Skatteverket's test numbers."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases.models import Case, Delivery, Message
from samverkan.deviations.models import Deviation
from samverkan.directory.models import Membership, Principal, Unit
from samverkan.directory.roles import Role
from samverkan.lib.testdata import skatteverket_numbers
from samverkan.patients.models import Patient


def counts():
    models = [Principal, Unit, User, Patient, Deviation, Case, Message, Delivery, AuditEvent]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_seed_is_complete_and_idempotent():
    call_command("seed_demo", patients=40, cases=50)
    first = counts()
    call_command("seed_demo", patients=40, cases=50)
    assert counts() == first and first["Case"] > 50  # the history and the demo ward's stays
    assert not Principal.objects.filter(deviation_unit=None).exists()
    assert (
        Deviation.objects.filter(reported_at__year=2023, direction="municipality_region").count()
        == 233
    )
    assert set(Principal.objects.values_list("name", flat=True)) == {
        "Region Blekinge",
        "Karlskrona kommun",
        "Karlshamns kommun",
        "Ronneby kommun",
        "Sölvesborgs kommun",
        "Olofströms kommun",
    }
    assert not Principal.objects.filter(kind="municipality", notice_unit=None).exists()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Unit.objects.filter(kind="primary_care").count() >= 15
    assert set(Unit.objects.values_list("kind", flat=True)) == set(Unit.Kind.values)
    allowed = set(skatteverket_numbers())
    assert all(n in allowed for n in Patient.objects.values_list("identity", flat=True))
    assert Patient.objects.filter(protected_identity=True, street="").exists()


def age(birth, on) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@pytest.mark.django_db
def test_ages_fit_and_staff_names_differ():
    call_command("seed_demo", patients=60, cases=300)
    stays = Case.objects.exclude(patient__birth_date=None).values_list(
        "patient__birth_date", "admitted_at"
    )
    ages = [age(born, timezone.localdate(at)) for born, at in stays if at]
    assert len(ages) > 300 and min(ages) >= 18 and max(ages) <= 100
    assert sum(a >= 65 for a in ages) > len(ages) / 2  # mostly older persons
    today = timezone.localdate()
    assert max(age(p.birth_date, today) for p in Patient.objects.exclude(birth_date=None)) <= 100
    staff = User.objects.filter(memberships__isnull=False).distinct()
    names = [(u.first_name, u.last_name) for u in staff]
    assert len(names) == len(set(names)) == User.objects.filter(is_active=True).count()


def test_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="not in production"):
        call_command("seed_demo")
