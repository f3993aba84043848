"""The one way to reach messages to the record system: a ward sees its own, a system admin all;
others get 404. Sending again is a write: the ward's staff or a system admin."""

from django.db.models import QuerySet
from django.http import Http404

from samverkan.directory.roles import Role

from .models import OutboundMessage


def visible_outbound(actor) -> QuerySet[OutboundMessage]:
    rows = OutboundMessage.objects.select_related("case__patient", "ward")
    if actor.role == Role.SYSADMIN:
        return rows
    if not actor.can("read_personal"):
        return rows.none()
    return rows.filter(ward=actor.unit)


def get_outbound_for_actor(actor, public_id) -> OutboundMessage:
    found = visible_outbound(actor).filter(public_id=public_id).first()
    if found is None:
        raise Http404("Meddelandet finns inte för din enhet.")
    if actor.role != Role.SYSADMIN:
        actor.require("write_personal")
    actor.require_fresh()
    return found
