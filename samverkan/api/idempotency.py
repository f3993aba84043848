"""Middleware: every API write carries an Idempotency-Key; a repeat returns the first result."""

import re

from django.db import IntegrityError, transaction
from django.http import HttpResponse

from .errors import error_response as error
from .models import IdempotencyRecord, digest

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


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.fingerprint != fingerprint:
        return error(
            422, "Idempotency-Key", "reused", "Nyckeln har redan använts för en annan begäran."
        )
    if record.status == 0:
        return error(409, "Idempotency-Key", "in_progress", "Begäran med nyckeln pågår.")
    response = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type
    )
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
        scope = digest(request.headers.get("Authorization", ""))
        fingerprint = digest(
            f"{request.method} {request.path}\n".encode().hex() + request.body.hex()
        )
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
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        scope=scope, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:
                record = None
            if record is not None:
                response = self._all_or_nothing(request)
                if response.status_code >= 500 or response.status_code == 401:
                    transaction.set_rollback(True)  # nothing stays; the client may try again
                    return response
                record.status, record.body = response.status_code, response.content
                record.content_type = response.get("Content-Type", "application/json")
                record.save(update_fields=["status", "body", "content_type"])
                return response
        return _replay(IdempotencyRecord.objects.get(scope=scope, key=key), fingerprint)
