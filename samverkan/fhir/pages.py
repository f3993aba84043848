"""The page of messages to the record system that could not be sent, with "Skicka igen"."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from samverkan.directory.actor import actor_required

from .access import get_outbound_for_actor, visible_outbound
from .models import OutboundMessage
from .outbound import OUTBOUND_EVENTS, enabled, send_again

S = OutboundMessage.State


@actor_required()
def outbound_failed(request):
    rows = visible_outbound(request.actor)
    failed = list(rows.filter(state=S.FAILED).order_by("-failed_at")[:200])
    for row in failed:
        row.event_label = OUTBOUND_EVENTS.get(row.event, row.event)
    context = {
        "failed": failed,
        "pending": rows.filter(state=S.PENDING).count(),
        "enabled": enabled(),
    }
    return render(request, "fhir/outbound_failed.html", context)


@require_POST
@actor_required()
def outbound_send_again(request, public_id):
    row = get_outbound_for_actor(request.actor, public_id)
    send_again(request.actor, row)
    messages.success(request, "Meddelandet skickas igen vid nästa körning.")
    return redirect("fhir_outbound_failed")
