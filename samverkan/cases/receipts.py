"""What a recipient does with a delivered message: read, acknowledge, reject, forward."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.core.errors import invalid
from samverkan.directory.models import Unit
from samverkan.fhir import outbound
from samverkan.notifications.notify import notify

from . import messaging
from .models import Case, Delivery, Participant

D = Delivery.State


def get_delivery_for_actor(actor, public_id, *, write: bool = True) -> Delivery:
    """Only the receiving unit reaches a delivery; others get 404."""
    delivery = (
        Delivery.objects.select_related("message__case__patient", "unit")
        .filter(
            public_id=public_id,
            unit=actor.unit,
            message__case__participants__unit=actor.unit,
            message__case__participants__removed_at__isnull=True,
        )
        .first()
    )
    if delivery is None:
        raise Http404("Meddelandet finns inte hos din enhet.")
    actor.require("write_personal" if write else "read_personal")
    return delivery


def _locked(delivery: Delivery) -> Delivery:
    return (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("message__case__patient", "message__sender_unit")
        .get(pk=delivery.pk)
    )


def _require_open(delivery: Delivery) -> None:
    if delivery.message.case.state == Case.State.CLOSED:
        raise invalid(None, "state", "Ärendet är avslutat.")
    if delivery.state not in Delivery.OPEN_STATES:
        raise invalid(
            None, "state", f"Meddelandet är redan {delivery.get_state_display().lower()}."
        )


def _audit(actor, delivery: Delivery, action: str, detail=None) -> Delivery:
    record(actor, action, patient=delivery.message.case.patient, obj=delivery, detail=detail)
    return delivery


@transaction.atomic
def mark_read(actor, delivery: Delivery, now=None) -> Delivery:
    delivery = _locked(delivery)
    if delivery.read_at is None:
        delivery.read_at = now or timezone.now()
        if delivery.state == D.SENT:
            delivery.state = D.READ
        delivery.save(update_fields=["read_at", "state"])
    return _audit(actor, delivery, "delivery.read")  # also when read before: the case is shown


@transaction.atomic
def acknowledge(actor, delivery: Delivery, now=None) -> Delivery:
    """Kvittera: 'we have read it and act on it'."""
    delivery = _locked(delivery)
    _require_open(delivery)
    now = now or timezone.now()
    delivery.state, delivery.acknowledged_at, delivery.acknowledged_by = (
        D.ACKNOWLEDGED,
        now,
        actor.user,
    )
    delivery.read_at = delivery.read_at or now
    delivery.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "read_at"])
    outbound.acknowledged(actor, delivery, now)
    return _audit(actor, delivery, "delivery.acknowledge")


@transaction.atomic
def acknowledge_all(actor, case: Case, now=None) -> int:
    """One click for a patient: every open notice to the unit in the case acknowledged, every
    update counted as read; returns how many were acknowledged."""
    now = now or timezone.now()
    mine = Delivery.objects.filter(message__case=case, unit=actor.unit)
    for delivery in mine.filter(state=D.SENT, needs_ack=False):
        mark_read(actor, delivery, now)
    binding = list(mine.filter(state__in=Delivery.OPEN_STATES, needs_ack=True))
    for delivery in binding:
        acknowledge(actor, delivery, now)
    return len(binding)


@transaction.atomic
def reject(actor, delivery: Delivery, *, reason: str, now=None) -> Delivery:
    """Avvisa: the person is not registered here or not known; the unit leaves the case."""
    delivery = _locked(delivery)
    _require_open(delivery)
    if delivery.message.case.ward_id == actor.unit.pk:
        raise invalid(
            None,
            "responsible",
            "Den ansvariga enheten kan inte avvisa sitt eget ärende; avbryt processen i stället.",
        )
    if reason not in Delivery.RejectReason.values:
        raise invalid("reason", "choice", "Välj orsak: inte folkbokförd här, eller inte känd.")
    now = now or timezone.now()
    delivery.state, delivery.rejected_at, delivery.reject_reason = D.REJECTED, now, reason
    delivery.save(update_fields=["state", "rejected_at", "reject_reason"])
    case = delivery.message.case
    Participant.objects.filter(case=case, unit=actor.unit).update(
        active=False, removed_at=now, removed_reason=delivery.get_reject_reason_display()
    )
    notify(
        [delivery.message.sender_unit],
        "rejected",
        f"Avvisat av {actor.unit.name} ({case.short_id})",
        case=case,
    )
    return _audit(actor, delivery, "delivery.reject", {"reason": reason})


@transaction.atomic
def forward(actor, delivery: Delivery, *, to: Unit, now=None) -> Delivery:
    """Vidarebefordra inside one's own principal; the new unit takes part in the case."""
    delivery = _locked(delivery)
    _require_open(delivery)
    if to.principal_id != actor.unit.principal_id or to.pk == actor.unit.pk or not to.active:
        raise invalid(
            "to",
            "principal",
            "Meddelanden kan bara vidarebefordras till en annan "
            "aktiv enhet inom den egna huvudmannen.",
        )
    now = now or timezone.now()
    delivery.state, delivery.forwarded_to, delivery.forwarded_at = D.FORWARDED, to, now
    delivery.save(update_fields=["state", "forwarded_to", "forwarded_at"])
    case = delivery.message.case
    own = Participant.objects.get(case=case, unit=actor.unit)
    messaging.join(case, to, own.role)
    messaging.deliver(delivery.message, [to], now)
    return _audit(actor, delivery, "delivery.forward", {"to": to.hsa_id})
