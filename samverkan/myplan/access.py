"""The one way a person reaches a plan in Min plan: their own, or one shared with them by a
valid consent; never a person with protected identity. Anyone else gets 404."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from samverkan.core.access import fetch
from samverkan.patients.models import Patient

from .models import Share

MISSING = "Planen finns inte eller är inte delad med dig."


def active_shares(reader, now=None) -> QuerySet[Share]:
    """The consents letting this reader read someone else's plan now."""
    shares = Share.objects.active(now or timezone.now()).filter(reader_identity=reader.identity)
    return shares.exclude(patient__identity=reader.identity).filter(
        patient__protected_identity=False
    )


def visible_plans(reader) -> QuerySet[Patient]:
    """The people whose Min plan this reader may read."""
    shared = active_shares(reader).values("patient_id")
    return Patient.objects.filter(protected_identity=False).filter(
        Q(identity=reader.identity) | Q(pk__in=shared)
    )


def get_plan_for_reader(reader, public_id, *, action: str = "myplan.read") -> Patient:
    """The person whose plan is read (audited as `action`); 404 for anyone else's."""
    return _fetch(reader, visible_plans(reader), public_id, action)


def get_own_plan(reader, public_id, *, action: str) -> Patient:
    """Only the person themselves (who read the plan, consents): a next of kin gets 404."""
    own = visible_plans(reader).filter(identity=reader.identity)
    return _fetch(reader, own, public_id, action)


def _fetch(reader, visible, public_id, action: str) -> Patient:
    return fetch(reader, visible, public_id, write=False, read_action=action, missing=MISSING)
