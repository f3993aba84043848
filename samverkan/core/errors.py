"""Service errors: a field, a rule and a Swedish message, for forms and the API alike."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def invalid(field: str | None, rule: str, message: str) -> ValidationError:
    """A ValidationError for one field (None: the whole request) carrying its rule as code."""
    return ValidationError({field or NON_FIELD_ERRORS: [ValidationError(message, code=rule)]})


def conflict() -> ValidationError:
    return invalid(
        None,
        "conflict",
        "Uppgifterna har ändrats av någon annan sedan du öppnade "
        "sidan. Ladda om sidan och gör ändringen igen.",
    )


def run_service(form, service, *args, **kwargs):
    """Call a service; on ValidationError put its messages on the form and return None."""
    try:
        return service(*args, **kwargs)
    except ValidationError as error:
        add_service_error(form, error)
        return None


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's error on the form, each message at the field it names."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for field, errors in by_field.items():
        form.add_error(form_field(form, field), errors)


def form_field(form, field: str | None) -> str | None:
    """Where a service's error goes on a form: its field (items.bathing.level -> bathing_level,
    checklist.transport -> transport), else the top of the form."""
    parts = (field or "").split(".")
    for name in (field, "_".join(parts[1:]), parts[-1]):
        if name in form.fields:
            return name
    return None


def run_with_messages(request, service, *args, **kwargs) -> bool:
    """Call a service for a one-button action; on ValidationError show its messages."""
    from django.contrib import messages

    try:
        service(*args, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    return True
