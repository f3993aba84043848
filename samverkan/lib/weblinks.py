"""Links to other sites that users type (a digital meeting's address): https or http only.

The one rule for forms (`WebLinkField`), API schemas (`is_web_link`), services (`clean_web_link`)
and rendering (`is_web_link`: a stored value that breaks it is never made a link)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from samverkan.core.errors import invalid

WEB_SCHEMES = ["https", "http"]
MESSAGE = "Ange en webbadress som börjar med https:// eller http://."
validate_web_link = URLValidator(schemes=WEB_SCHEMES, message=MESSAGE, code="url")


def is_web_link(value: str) -> bool:
    try:
        validate_web_link(value)
    except ValidationError:
        return False
    return True


def clean_web_link(value: str, field: str) -> str:
    """The link stripped, "" if empty; a ValidationError naming `field` if not http(s)."""
    value = (value or "").strip()
    if value and not is_web_link(value):
        raise invalid(field, "url", MESSAGE)
    return value


class WebLinkField(forms.URLField):
    """A form field for a web link: https is assumed when the scheme is left out."""

    default_validators = [validate_web_link]
    default_error_messages = {"invalid": MESSAGE}

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)
