"""A rejected message comes back to its sender, who sends the same message to the right unit."""

import uuid

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from samverkan.core.errors import invalid

from . import messaging
from .models import Case, Delivery
from .services import check_recipients, default_recipients, lock, require_state, role_for, save

S = Case.State
OPEN = (S.REQUESTED, S.ADMITTED, S.READY, S.DISCHARGED)


def waiting(actor) -> Q:
    """The rejections of the actor's unit's messages still to send on (worklist and page)."""
    return Q(
        message__sender_unit=actor.unit, state=Delivery.State.REJECTED, settled_at__isnull=True
    )


def is_waiting(actor, d: Delivery) -> bool:
    """waiting(), for a delivery already read."""
    rejected = d.state == Delivery.State.REJECTED and d.settled_at is None
    return rejected and d.message.sender_unit_id == actor.unit.pk


def open_rejections(actor, deliveries) -> list[Delivery]:
    """The rejections of the actor's unit's messages not yet sent on to another unit."""
    return [d for d in deliveries if is_waiting(actor, d)]


def has_open(actor, case: Case) -> bool:
    return Delivery.objects.filter(waiting(actor), message__case=case).exists()


def rejection_in(case: Case, public_id) -> Delivery:
    """A rejected delivery of the case (404 for any other id)."""
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("Det finns inget sådant avvisat meddelande i ärendet.") from None
    return get_object_or_404(
        Delivery.objects.select_related("message", "unit"),
        public_id=public_id,
        message__case=case,
        state=Delivery.State.REJECTED,
    )


@transaction.atomic
def resend(actor, case: Case, *, delivery: Delivery, recipients, version=None, now=None):
    """Skicka till rätt enhet: the rejected message, as it was, to other units, which join the
    case; the rejection counts as handled."""
    actor.require("write_personal")
    case = lock(case, version)
    require_state(case, *OPEN)
    delivery = Delivery.objects.select_for_update(of=("self",)).get(pk=delivery.pk)
    message = delivery.message
    if message.sender_unit_id != actor.unit.pk:
        raise invalid("delivery", "sender", "Bara enheten som skickade meddelandet skickar om det.")
    if delivery.settled_at is not None:
        raise invalid("delivery", "state", "Det avvisade meddelandet är redan skickat vidare.")
    units = list(recipients or [])
    check_recipients(actor, units)
    _refuse_known(message, units)
    now = now or timezone.now()
    messaging.join_many(case, [(unit, role_for(unit)) for unit in units])
    messaging.deliver(message, units, now)
    delivery.settled_at = now
    delivery.save(update_fields=["settled_at"])
    detail = {"delivery": str(delivery.public_id), "recipients": [u.hsa_id for u in units]}
    return save(actor, case, "case.resend", [], detail)


def _refuse_known(message, units) -> None:
    known = set(message.deliveries.values_list("unit_id", flat=True))
    for unit in units:
        if unit.pk in known:
            raise invalid("recipients", "exists", f"{unit.name} har redan fått meddelandet.")


def suggested_units(case: Case, delivery: Delivery) -> list:
    """The routing's units (the person's registration may have been corrected) that have not had
    the message."""
    known = set(delivery.message.deliveries.values_list("unit_id", flat=True))
    return [u for u in default_recipients(case) if u.pk not in known]
