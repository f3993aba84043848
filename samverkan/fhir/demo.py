"""The demo's record system: an integration account at Medicinavdelning 31, the ward's
physicians' employee HSA-ids (for "ready" messages), and the persons a simulated stream admits."""

from django.contrib.auth.models import User

from samverkan.accounts.management.commands.idp_demo import employee_hsa_id
from samverkan.accounts.models import HsaIdentity
from samverkan.api.models import ApiToken
from samverkan.cases.models import Case
from samverkan.directory.models import Membership, Unit
from samverkan.directory.roles import Role
from samverkan.lib.testdata import skatteverket_numbers
from samverkan.patients.models import Patient

from .simulate import Person

INTEGRATION_USER = "journalsystem"
WARD_NAME = "Medicinavdelning 31"


def seed_integration() -> Membership | None:
    """The integration account (no password: it signs in with API tokens only)."""
    ward = Unit.objects.filter(name=WARD_NAME).first()
    if ward is None:
        return None
    user, created = User.objects.get_or_create(
        username=INTEGRATION_USER,
        defaults={"first_name": "Journalsystemet", "last_name": "(integration)"},
    )
    if created:
        user.set_unusable_password()
        user.save()
    membership, _ = Membership.objects.get_or_create(
        user=user, unit=ward, defaults={"role": Role.STAFF}
    )
    for doctor in User.objects.filter(memberships__unit=ward, memberships__role=Role.PHYSICIAN):
        HsaIdentity.objects.get_or_create(user=doctor, defaults={"hsa_id": employee_hsa_id(doctor)})
    return membership


def integration_membership() -> Membership:
    membership = (
        Membership.objects.select_related("unit").filter(user__username=INTEGRATION_USER).first()
    )
    return membership or seed_integration()


def issue_token(membership: Membership) -> str:
    return ApiToken.issue(membership, "simulate_record_system")[1]


def physician_hsa(ward: Unit) -> str:
    found = HsaIdentity.objects.filter(
        user__memberships__unit=ward, user__memberships__role=Role.PHYSICIAN
    ).first()
    return found.hsa_id if found else ""


def people(count: int) -> list[Person]:
    """Demo persons with a test personnummer, a home municipality and no stay in progress."""
    busy = Case.objects.filter(state__in=Case.IN_PROGRESS).values("patient")
    found = (
        Patient.objects.filter(identity_kind="personnummer", registered_municipality__isnull=False)
        .exclude(pk__in=busy)
        .order_by("identity")
    )
    allowed = set(skatteverket_numbers())
    return [
        Person(p.identity, p.given_name, p.family_name) for p in found if p.identity in allowed
    ][:count]
