"""Demo data: real principals, every role, persons only from Skatteverket's test numbers."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from samverkan.deviations.models import Deviation
from samverkan.directory.models import Membership, Principal, Unit
from samverkan.directory.roles import Role
from samverkan.lib.testdata import skatteverket_numbers
from samverkan.patients.models import Patient


@pytest.mark.django_db
def test_seed_is_complete_and_idempotent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", patients=40, cases=50)
    counts = (
        Principal.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        Patient.objects.count(),
        Deviation.objects.count(),
    )
    call_command("seed_demo", patients=40, cases=50)
    assert counts == (
        Principal.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        Patient.objects.count(),
        Deviation.objects.count(),
    )
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


def test_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="not in production"):
        call_command("seed_demo")
