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
        form.add_error(None, error)
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
