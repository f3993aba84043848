"""The downtime PC's API: the unit's newest encrypted snapshot, fetched with a device token;
every fetch is logged as a read of every person in it."""

from django.http import HttpResponse
from ninja import Router

from samverkan.api.schemas import Errors

from . import fetching
from .device import DeviceAuth

router = Router(tags=["Reservrutin"])


@router.get(
    "/downtime/snapshot",
    auth=DeviceAuth(),
    response={401: Errors, 404: Errors},
    openapi_extra={
        "responses": {
            200: {
                "description": "Enhetens senaste reservutdrag: PDF krypterad med AES-256 "
                "(enhetens lösenfras). Rubrikerna X-Snapshot-Taken-At och "
                "X-Snapshot-Last-Event-At säger hur färskt det är.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="Hämta enhetens senaste krypterade reservutdrag (reservdator)",
)
def downtime_snapshot(request):
    snapshot = fetching.fetch_for_device(request.actor)
    response = HttpResponse(bytes(snapshot.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{fetching.filename(snapshot)}"'
    response["X-Snapshot-Taken-At"] = snapshot.taken_at.isoformat()
    if snapshot.last_event_at:
        response["X-Snapshot-Last-Event-At"] = snapshot.last_event_at.isoformat()
    response["Cache-Control"] = "no-store"
    return response
