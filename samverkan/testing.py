"""The shared test world: a region with a ward, an ED and a primary care centre; municipality A
that takes part; municipality B that must never see A's persons; users with each role."""

from datetime import timedelta
from types import SimpleNamespace

from django.contrib.auth.models import User
from django.utils import timezone

from samverkan.directory.models import Membership, Principal, Unit
from samverkan.patients.models import AccessGrant, Patient

# Skatteverket test personnummer (see shared/data): never numbers of real people.
PNR_A = "194001042383"
PNR_PROTECTED = "194001079120"
PNR_NEW = "194001167743"
PNR_CHILD = "201401012396"
PASSWORD = "Rätt-lösenord-för-test"


def _unit(principal, key, kind, municipality=None):
    return Unit.objects.create(
        principal=principal,
        name=key.replace("_", " ").title(),
        kind=kind,
        hsa_id=f"TEST-{key}",
        municipality=municipality or principal,
        mailbox=f"{key}@test.invalid",
    )


def _user(username, unit, role, password=None):
    user = User.objects.create_user(
        username=username,
        first_name=username.split("_")[0].title(),
        last_name="Test",
        password=password,
    )
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.region = Principal.objects.create(code="10", name="Region Test", kind="region")
    w.muni_a = Principal.objects.create(
        code="1080", name="Kommun A", kind="municipality", population=60000
    )
    w.muni_b = Principal.objects.create(
        code="1082", name="Kommun B", kind="municipality", population=30000
    )
    K = Unit.Kind
    w.ward = _unit(w.region, "ward", K.WARD_SOMATIC, w.muni_a)
    w.other_ward = _unit(w.region, "other_ward", K.WARD_SOMATIC, w.muni_b)
    w.ed = _unit(w.region, "ed", K.EMERGENCY, w.muni_a)
    w.pcc = _unit(w.region, "pcc", K.PRIMARY_CARE, w.muni_a)
    w.analysis = _unit(w.region, "analysis", K.ADMINISTRATION)
    w.a_needs = _unit(w.muni_a, "a_needs", K.NEEDS_ASSESSMENT)
    w.a_home = _unit(w.muni_a, "a_home", K.HOME_HEALTH_CARE)
    w.b_needs = _unit(w.muni_b, "b_needs", K.NEEDS_ASSESSMENT)
    w.a_school = _unit(w.muni_a, "a_school", K.SCHOOL_HEALTH)
    Principal.objects.filter(pk=w.muni_a.pk).update(notice_unit=w.a_needs)
    Principal.objects.filter(pk=w.muni_b.pk).update(notice_unit=w.b_needs)
    _users(w)
    w.patient = Patient.objects.create(
        identity=PNR_A,
        identity_kind="personnummer",
        birth_date="1940-01-04",
        given_name="Astrid",
        family_name="Testsson",
        registered_municipality=w.muni_a,
        street="Storgatan 1",
        postcode="371 30",
        city="Karlskrona",
        listed_primary_care=w.pcc,
    )
    w.protected = Patient.objects.create(
        identity=PNR_PROTECTED,
        identity_kind="personnummer",
        birth_date="1940-01-07",
        given_name="Sven",
        family_name="Skyddad",
        registered_municipality=w.muni_a,
        protected_identity=True,
    )
    w.child = Patient.objects.create(
        identity=PNR_CHILD,
        identity_kind="personnummer",
        birth_date="2014-01-01",
        given_name="Elsa",
        family_name="Testsson",
        registered_municipality=w.muni_a,
    )
    return w


def _users(w):
    w.ward_staff = _user("ward_staff", w.ward, "staff", PASSWORD)
    w.ward_physician = _user("ward_physician", w.ward, "physician")
    w.ward_reader = _user("ward_reader", w.ward, "reader")
    w.ward_admin = _user("ward_admin", w.ward, "unit_admin")
    w.other_ward_staff = _user("other_ward_staff", w.other_ward, "staff")
    w.ed_staff = _user("ed_staff", w.ed, "staff")
    w.pcc_staff = _user("pcc_staff", w.pcc, "staff")
    w.a_staff = _user("a_staff", w.a_needs, "staff")
    w.a_admin = _user("a_admin", w.a_needs, "unit_admin")
    w.b_staff = _user("b_staff", w.b_needs, "staff")
    w.a_home_staff = _user("a_home_staff", w.a_home, "staff")
    w.school_staff = _user("school_staff", w.a_school, "staff", PASSWORD)
    w.analyst = _user("analyst", w.analysis, "analyst")
    w.sysadmin = _user("sysadmin", w.analysis, "sysadmin")


def grant(patient, unit, user, hours: int = 24) -> AccessGrant:
    """Give a unit a care relation to a person, as a look-up would."""
    return AccessGrant.objects.create(
        patient=patient,
        unit=unit,
        reason="lookup",
        granted_by=user,
        expires_at=timezone.now() + timedelta(hours=hours),
    )
