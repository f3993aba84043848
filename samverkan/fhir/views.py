"""FHIR R4 endpoints: $process-message (a message Bundle from a record system) and metadata."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from samverkan.api.auth import actor_for

from .capability import capability_statement
from .message import parse
from .outcome import MessageError, operation_outcome
from .profile import FHIR_JSON
from .receive import receive, refused


def fhir_response(status: int, resource: dict) -> JsonResponse:
    return JsonResponse(resource, status=status, content_type=FHIR_JSON)


@require_GET
def metadata(request):
    return fhir_response(200, capability_statement())


@csrf_exempt
@require_POST
def process_message(request):
    actor = actor_for(request)
    if actor is None:
        issue = ("Bundle", "login", "Ange en giltig API-nyckel (Authorization: Bearer …).")
        return fhir_response(401, operation_outcome([issue]))
    if request.content_type not in (FHIR_JSON, "application/json"):
        issue = ("Bundle", "not-supported", f"Skicka {FHIR_JSON}.")
        return fhir_response(415, operation_outcome([issue]))
    try:
        return fhir_response(*receive(actor, parse(request.body)))
    except MessageError as error:
        return fhir_response(*refused(_json_or_none(request.body), error))


def _json_or_none(raw: bytes):
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
