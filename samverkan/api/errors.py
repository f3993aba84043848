"""Structured errors for the API: {"errors": [{"field", "rule", "message"}]}, in Swedish, for
every error under /api/ (ninja's exceptions here; the middleware catches the rest)."""

import json

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from samverkan.lib.phone import MESSAGE as PHONE_MESSAGE
from samverkan.lib.weblinks import MESSAGE as WEB_LINK_MESSAGE

CONFLICT_RULES = {"state", "conflict", "exists"}
SCHEMA_MESSAGES = {  # pydantic's error types in Swedish; others read "Ogiltigt värde."
    "url": WEB_LINK_MESSAGE,  # lib.weblinks: https/http only
    "phone": PHONE_MESSAGE,  # lib.phone
    "missing": "Fältet måste anges.",
    "string_type": "Ange text.",
    "bool_type": "Ange true eller false.",
    "bool_parsing": "Ange true eller false.",
    "int_type": "Ange ett heltal.",
    "int_parsing": "Ange ett heltal.",
    "date_from_datetime_parsing": "Ange ett datum (ÅÅÅÅ-MM-DD).",
    "date_parsing": "Ange ett datum (ÅÅÅÅ-MM-DD).",
    "datetime_from_date_parsing": "Ange en tidpunkt (ÅÅÅÅ-MM-DDTHH:MM).",
    "datetime_parsing": "Ange en tidpunkt (ÅÅÅÅ-MM-DDTHH:MM).",
    "uuid_parsing": "Ange ett id (UUID).",
    "dict_type": "Ange ett objekt.",
    "list_type": "Ange en lista.",
    "model_type": "Ange ett objekt.",
    "model_attributes_type": "Ange ett objekt.",
    "date_type": "Ange ett datum (ÅÅÅÅ-MM-DD).",
    "datetime_type": "Ange en tidpunkt (ÅÅÅÅ-MM-DDTHH:MM).",
    "uuid_type": "Ange ett id (UUID).",
    "int_from_float": "Ange ett heltal.",
    "string_too_long": "Högst {max_length} tecken.",
    "string_too_short": "Minst {min_length} tecken.",
    "too_long": "Högst {max_length} värden.",
    "too_short": "Minst {min_length} värden.",
    "greater_than_equal": "Ange minst {ge}.",
    "less_than_equal": "Ange högst {le}.",
    "greater_than": "Ange mer än {gt}.",
    "less_than": "Ange mindre än {lt}.",
    "literal_error": "Ange ett av: {expected}.",
    "enum": "Ange ett av: {expected}.",
    # our own rules (samverkan/api/schemas.py In)
    "nul_character": "Texten får inte innehålla NUL-tecken (\\u0000).",
    "surrogate": "Texten innehåller ogiltiga tecken (ensamma surrogattecken).",
    "string_unicode": "Texten innehåller ogiltiga tecken (ensamma surrogattecken).",
    "date_range": "Ange ett datum mellan år {first} och {last}.",
    "number_range": "Talet är utanför det tillåtna intervallet.",
    "duplicate": "Samma värde får bara förekomma en gång.",
    "extra_forbidden": "Okänt fält: det finns inte i API:t (se OpenAPI).",
}
# pydantic's error types that have a rule name of our own
RULES = {"extra_forbidden": "unknown", "string_unicode": "surrogate"}
INVALID = "Ogiltigt värde."
STATUS = {  # what an error the view did not explain itself says, by status
    400: ("bad_request", "Begäran kunde inte tolkas."),
    401: ("token", "Ange en giltig API-nyckel: Authorization: Bearer <nyckel>."),
    403: ("forbidden", "Ingen behörighet."),
    404: ("not_found", "Adressen finns inte i API:t."),
    405: ("method", "Metoden stöds inte för den här adressen."),
    413: ("too_large", "Begäran är för stor."),
    415: ("media_type", "Innehållstypen stöds inte."),
    500: ("server_error", "Ett oväntat fel inträffade. Det är loggat; försök igen senare."),
}


def error_response(status: int, field=None, rule=None, message=None) -> JsonResponse:
    """One structured error; rule and message default to the status's."""
    default_rule, default_message = STATUS.get(status, STATUS[500 if status >= 500 else 400])
    item = {"field": field, "rule": rule or default_rule, "message": message or default_message}
    return JsonResponse(_body([item]), status=status)


def schema_message(error: dict) -> str:
    template = SCHEMA_MESSAGES.get(error.get("type"))
    if template is None:
        return INVALID
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError, ValueError):
        return INVALID


def _body(items):
    return {"errors": items}


def _django_errors(exc: ValidationError) -> list[dict]:
    if not hasattr(exc, "error_dict"):
        return [
            {"field": None, "rule": e.code or "invalid", "message": m}
            for e in exc.error_list
            for m in e.messages
        ]
    return [
        {
            "field": None if field == NON_FIELD_ERRORS else field,
            "rule": e.code or "invalid",
            "message": m,
        }
        for field, errors in exc.error_dict.items()
        for e in errors
        for m in e.messages
    ]


def _field(loc) -> str | None:
    """("body", "body", "items", "bathing") -> "items.bathing"; the location words go."""
    parts = [str(p) for p in loc]
    while parts and parts[0] in {"body", "query", "path", "header"}:
        parts.pop(0)
    return ".".join(parts) or None


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def validation(request, exc):
        items = _django_errors(exc)
        status = 409 if any(i["rule"] in CONFLICT_RULES for i in items) else 400
        return api.create_response(request, _body(items), status=status)

    @api.exception_handler(SchemaError)
    def schema(request, exc):
        items = [
            {
                "field": _field(e["loc"]),
                "rule": RULES.get(e.get("type"), e.get("type", "invalid")),
                "message": schema_message(e),
            }
            for e in exc.errors
        ]
        return api.create_response(request, _body(items), status=400)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(404, message=str(exc) or "Finns inte.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return error_response(403, message=str(exc) or None)

    @api.exception_handler(HttpError)
    def unreadable(request, exc):  # ninja: a body that is not JSON (or not UTF-8, too deep)
        return error_response(
            exc.status_code, "body", "json", "Innehållet måste vara ett JSON-objekt i UTF-8."
        )

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request, exc):
        return error_response(400, "body", "multipart", "Ogiltigt multipart-innehåll.")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return error_response(401, "Authorization")


def _structured(response) -> bool:
    if response.streaming or not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        errors = json.loads(response.content).get("errors")
    except (ValueError, AttributeError):
        return False
    return isinstance(errors, list) and bool(errors)


class ApiErrorMiddleware:
    """Outermost under /api/: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 before anything reads
    it, and an error answer that is not yet structured (an unknown path, a wrong method, Django's
    own 400 and 500 pages, a traceback) becomes one, without details."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        if _too_large(request):
            return error_response(413)
        response = self.get_response(request)
        if response.status_code < 400 or _structured(response):
            return response
        replacement = error_response(response.status_code)
        if response.has_header("Allow"):
            replacement["Allow"] = response["Allow"]
        return replacement


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
