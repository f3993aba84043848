"""The one way code reaches a deviation: the reporting unit, the receiving principal's
coordinator and the responsible unit see it; others get 404, roles without rights 403.
The patient is shown only to those of them whose unit can also see the linked case or SIP
(through their own chokepoints, so a revoked SIP consent hides the person again)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from samverkan.audit.log import record
from samverkan.cases.access import visible_cases
from samverkan.sip.access import visible_sips

from .models import Deviation


def seen_by(unit) -> Q:
    """The deviations a unit takes part in (as reporter, coordinator or responsible unit)."""
    return Q(reporter_unit=unit) | Q(responsible_unit=unit) | Q(to_principal__deviation_unit=unit)


def visible_deviations(actor) -> QuerySet[Deviation]:
    return Deviation.objects.filter(seen_by(actor.unit))


def get_deviation_for_actor(actor, public_id, *, write: bool = False) -> Deviation:
    """Fetch for reading (audited here, with the patient when shown) or writing."""
    deviation = (
        visible_deviations(actor)
        .select_related(
            "reporter_unit__principal",
            "to_principal__deviation_unit",
            "from_principal",
            "responsible_unit",
            "category__parent",
            "reported_category__parent",
            "reported_by",
            "case",
            "sip",
        )
        .filter(public_id=public_id)
        .first()
    )
    if deviation is None:
        raise Http404("Avvikelsen finns inte eller din enhet deltar inte i den.")
    actor.require("write_personal" if write else "read_personal")
    if not write:
        record(actor, "deviation.read", patient=shown_patient(actor, deviation), obj=deviation)
    return deviation


def sees_case(actor, deviation: Deviation) -> bool:
    """Whether the actor's unit can see the linked case."""
    return bool(deviation.case_id) and visible_cases(actor).filter(pk=deviation.case_id).exists()


def sees_sip(actor, deviation: Deviation) -> bool:
    """Whether the actor's unit can see the linked SIP (consent or harm assessment)."""
    return bool(deviation.sip_id) and visible_sips(actor).filter(pk=deviation.sip_id).exists()


def sees_link(actor, deviation: Deviation) -> bool:
    return sees_case(actor, deviation) or sees_sip(actor, deviation)


def shown_patient(actor, deviation: Deviation):
    """The patient, when the deviation names one and the actor's unit sees the linked case
    or SIP."""
    if deviation.patient_id is None or not sees_link(actor, deviation):
        return None
    return deviation.patient


def is_coordinator(actor, deviation: Deviation) -> bool:
    return deviation.to_principal.deviation_unit_id == actor.unit.pk


def is_responsible(actor, deviation: Deviation) -> bool:
    return deviation.responsible_unit_id == actor.unit.pk


def is_reporter(actor, deviation: Deviation) -> bool:
    return deviation.reporter_unit_id == actor.unit.pk
