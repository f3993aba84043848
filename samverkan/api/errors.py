"""Structured errors for the API: {"errors": [{"field", "rule", "message"}]}."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError

CONFLICT_RULES = {"state", "conflict", "exists"}
SCHEMA_MESSAGES = {  # pydantic's error types in Swedish; others keep pydantic's text
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
}


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
                "rule": e.get("type", "invalid"),
                "message": SCHEMA_MESSAGES.get(e.get("type"), e.get("msg", "")),
            }
            for e in exc.errors
        ]
        return api.create_response(request, _body(items), status=400)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        message = str(exc) or "Finns inte."
        return api.create_response(
            request, _body([{"field": None, "rule": "not_found", "message": message}]), status=404
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        message = str(exc) or "Ingen behörighet."
        return api.create_response(
            request, _body([{"field": None, "rule": "forbidden", "message": message}]), status=403
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request,
            _body(
                [
                    {
                        "field": "Authorization",
                        "rule": "token",
                        "message": "Ange en giltig API-nyckel: Authorization: Bearer <nyckel>.",
                    }
                ]
            ),
            status=401,
        )
