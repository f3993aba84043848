"""Middleware: every API write carries an Idempotency-Key; a repeat returns the first result.

Nothing personal is kept: a record holds the first response's status and the address of what it
showed (`locate`). A replay is a new request in every other way: the credentials are checked
again, and the object is read again through its access chokepoint (audited), so a revoked token,
a unit removed from the case or a revoked SIP consent sees nothing. Records expire after
IDEMPOTENCY_DAYS (the worker deletes them)."""

import copy
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse, QueryDict
from django.urls import resolve
from django.utils import timezone
from django.utils.crypto import salted_hmac

from samverkan.audit.log import record

from .auth import actor_for
from .errors import error_response as error
from .models import IdempotencyRecord

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PREFIX = "/api/v1/"
KEY = r"[!-~]{1,200}"  # visible ASCII, e.g. a UUID
KEY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": True,
    "description": "Unique per intended write; a repeat returns the first result.",
    "schema": {"type": "string", "pattern": f"^{KEY}$"},
}


def document(schema: dict) -> dict:
    """States the Idempotency-Key header on every write operation of the OpenAPI schema."""
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            parameters = operation.setdefault("parameters", [])
            if method.upper() in WRITE_METHODS and KEY_PARAMETER not in parameters:
                parameters.append(KEY_PARAMETER)
    return schema


def locate(request, path: str) -> None:
    """A write's view names the resource its response shows; a replay reads it again."""
    request.content_location = path


def _keyed(value: bytes) -> str:
    return salted_hmac("samverkan.idempotency", value).hexdigest()


def expire(now=None) -> int:
    """A worker job (samverkan/worker.py): delete records older than IDEMPOTENCY_DAYS; returns
    how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IDEMPOTENCY_DAYS)
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]


def _read_again(request, path: str) -> HttpResponse:
    """GET the resource as the client is now: authentication, access chokepoint, audit."""
    get = copy.copy(request)
    get.method, get.path, get.path_info, get.GET = "GET", path, path, QueryDict()
    get.META = {**request.META, "REQUEST_METHOD": "GET", "QUERY_STRING": "", "CONTENT_LENGTH": "0"}
    match = resolve(path)
    return match.func(get, *match.args, **match.kwargs)


def _replay(request, found: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if found.fingerprint != fingerprint:
        return error(
            422, "Idempotency-Key", "reused", "Nyckeln har redan använts för en annan begäran."
        )
    if found.status == 0:
        return error(409, "Idempotency-Key", "in_progress", "Begäran med nyckeln pågår.")
    actor = actor_for(request)
    if actor is None:
        return error(401, None, "unauthorized", "Ogiltig eller återkallad API-nyckel.")
    record(actor, "api.replay", detail={"path": request.path, "status": found.status})
    if found.resource:
        response = _read_again(request, found.resource)
        if response.status_code == 200:
            response.status_code = found.status
    else:
        response = JsonResponse({"replayed": True}, status=found.status)
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in WRITE_METHODS or not request.path.startswith(PREFIX):
            return self.get_response(request)
        key = request.headers.get("Idempotency-Key", "").strip()
        if not re.fullmatch(KEY, key):
            return error(
                400,
                "Idempotency-Key",
                "required",
                "Varje skrivning kräver rubriken Idempotency-Key: 1–200 synliga ASCII-tecken "
                "(t.ex. ett UUID).",
            )
        scope = _keyed(request.headers.get("Authorization", "").encode())
        fingerprint = _keyed(f"{request.method} {request.path}\n".encode() + request.body)
        return self._once(request, scope, key, fingerprint)

    def _all_or_nothing(self, request):
        """A refused request (4xx) keeps nothing of what its view began to write."""
        savepoint = transaction.savepoint()
        response = self.get_response(request)
        if response.status_code >= 400:
            transaction.savepoint_rollback(savepoint)
        else:
            transaction.savepoint_commit(savepoint)
        return response

    def _once(self, request, scope, key, fingerprint):
        expire_key(scope, key)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    found = IdempotencyRecord.objects.create(
                        scope=scope, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:
                found = None
            if found is not None:
                response = self._all_or_nothing(request)
                if response.status_code >= 500 or response.status_code == 401:
                    transaction.set_rollback(True)  # nothing stays; the client may try again
                    return response
                found.status = response.status_code
                found.resource = getattr(request, "content_location", "")
                found.save(update_fields=["status", "resource"])
                return response
        return _replay(request, IdempotencyRecord.objects.get(scope=scope, key=key), fingerprint)


def expire_key(scope: str, key: str) -> None:
    """An expired record of the same key no longer counts: the write is new."""
    cutoff = timezone.now() - timedelta(days=settings.IDEMPOTENCY_DAYS)
    IdempotencyRecord.objects.filter(scope=scope, key=key, created_at__lt=cutoff).delete()
