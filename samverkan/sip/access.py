"""The one way code reaches a SIP. Without consent only the initiating unit sees it; a
participating unit sees it while a valid consent (or a harm assessment allowing it) covers its
principal. Outsiders, and units whose consent was revoked, get 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import Exact
from django.utils import timezone

from samverkan.core.access import fetch

from .models import Consent, HarmAssessment, Sip, SipParticipant


def covering(principal_id, day) -> Q:
    """Sips whose valid consent, or latest harm assessment for the principal, lets
    information reach that principal."""
    consent = Consent.objects.filter(
        sip=OuterRef("pk"), principals=principal_id, revoked_at=None, valid_until__gte=day
    )
    latest = HarmAssessment.objects.filter(sip=OuterRef("pk"), principal=principal_id).order_by(
        "-decided_at", "-id"
    )
    shared = Exact(Subquery(latest.values("may_share")[:1]), True)
    return Q(Exists(consent)) | Q(shared)


def visible_sips(actor) -> QuerySet[Sip]:
    day = timezone.localdate()
    mine = SipParticipant.objects.filter(unit=actor.unit, active=True).values("sip_id")
    return Sip.objects.filter(
        Q(initiating_unit=actor.unit) | (Q(pk__in=mine) & covering(actor.unit.principal_id, day))
    )


def get_sip_for_actor(actor, public_id, *, write: bool = False) -> Sip:
    """Fetch a SIP for reading (audited here) or writing (the service audits the write)."""
    visible = visible_sips(actor).select_related(
        "patient", "case", "initiating_unit__principal", "lead_principal"
    )
    missing = "Planen finns inte eller din enhet har inte tillgång till den."
    return fetch(actor, visible, public_id, write=write, read_action="sip.read", missing=missing)


def require_initiator_or_lead(actor, sip: Sip) -> None:
    if actor.unit.pk != sip.initiating_unit_id and actor.unit.principal_id != sip.lead_principal_id:
        raise PermissionDenied(
            "Bara enheten som startade planen eller huvudansvarig huvudman kan göra detta."
        )
