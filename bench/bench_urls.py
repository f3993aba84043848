"""The app's URLs plus one baseline for fhir_bench.py, served only by the bench's server:
a trivial authenticated write through the same stack as the FHIR endpoint (the bearer token,
the API's idempotency record, one insert, one audit row). Not in samverkan/urls.py: no
production caller needs a write that does nothing."""

from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from samverkan.api.auth import actor_for
from samverkan.audit.log import record
from samverkan.notifications.models import Notification
from samverkan.urls import urlpatterns as app

TRIVIAL_WRITE = "/api/v1/bench/trivial-write"  # under /api/v1/: the idempotency middleware


@csrf_exempt
def trivial_write(request):
    actor = actor_for(request)
    if actor is None:
        return JsonResponse({"errors": [{"field": None, "rule": "unauthorized"}]}, status=401)
    note = Notification.objects.create(
        unit=actor.unit, kind="answer", text="Bänkmätning", read_at=timezone.now()
    )
    record(actor, "api.replay", detail={"bench": "trivial write"})
    return JsonResponse({"id": note.pk}, status=201)


urlpatterns = [path(TRIVIAL_WRITE.lstrip("/"), trivial_write), *app]
