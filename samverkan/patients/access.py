"""The one way code reaches a person: outsiders get 404, roles that may not read get 403."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samverkan.audit.log import record

from .models import AccessGrant, Patient


def visible_patients(actor) -> QuerySet[Patient]:
    """Persons the actor's unit has a care relation to: a case it takes part in, or a recent
    look-up or registration."""
    grants = AccessGrant.objects.filter(unit=actor.unit, expires_at__gt=timezone.now())
    in_cases = Patient.objects.filter(
        cases__participants__unit=actor.unit, cases__participants__removed_at__isnull=True
    )
    return Patient.objects.filter(
        Q(pk__in=grants.values("patient_id")) | Q(pk__in=in_cases.values("pk"))
    )


def reachable_by_identity(actor, patient: Patient) -> bool:
    """Whether an identity number may bring this known person to the actor's unit: the wards'
    and EDs' look-up, a care relation the unit already has, or the person's own registration:
    the municipal units that act for its residents (ACTS_FOR_RESIDENTS) where they are
    folkbokförd, and the primary care centre they are listed at. Registration never reaches a
    person with protected identity."""
    unit = actor.unit
    registered = not patient.protected_identity and (
        (patient.registered_municipality_id == unit.principal_id and _acts_for(unit, patient))
        or patient.listed_primary_care_id == unit.pk
    )
    return (
        unit.looks_up_patients
        or registered
        or visible_patients(actor).filter(pk=patient.pk).exists()
    )


# The municipal units that act for their residents (care requests, SIP), and up to which age:
# needs assessment and home health care for everyone, school health for pupils.
ACTS_FOR_RESIDENTS = {"needs_assessment": None, "home_health_care": None, "school_health": 20}


def _acts_for(unit, patient: Patient) -> bool:
    if unit.kind not in ACTS_FOR_RESIDENTS:
        return False
    limit = ACTS_FOR_RESIDENTS[unit.kind]
    age = patient.age if limit is not None else None
    return limit is None or (age is not None and age <= limit)


def get_patient_for_actor(actor, public_id, *, write: bool = False) -> Patient:
    """Fetch a person for reading (audited here) or writing (the service audits the write)."""
    patient = visible_patients(actor).filter(public_id=public_id).first()
    if patient is None:
        raise Http404("Personen finns inte eller din enhet har ingen vårdrelation till personen.")
    actor.require("write_personal" if write else "read_personal")
    if not write:
        record(actor, "patient.read", patient=patient, obj=patient)
    return patient
