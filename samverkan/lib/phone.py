"""Telephone numbers as people write them (0455-73 10 00, +46 70 123 45 67) and as tel: links.

The one rule for forms (`PhoneField`), API schemas (`is_phone`), services (`clean_phone`) and
rendering (`tel_href`: a stored value that breaks the rule is shown, never made a link)."""

import re

from django import forms
from django.core.exceptions import ValidationError

from samverkan.core.errors import invalid

MAX_LENGTH = 40
MIN_DIGITS, MAX_DIGITS = 6, 15  # a Swedish extension at the least, E.164 at the most
PATTERN = r"^(\+?[0-9(][0-9 ()-]*[0-9])?$"  # empty: no number; the digits are counted too
MESSAGE = (
    "Ange ett telefonnummer med 6–15 siffror, t.ex. 0455-73 10 00; bara siffror, mellanslag, "
    "bindestreck, parenteser och ett inledande +."
)


def is_phone(value: str) -> bool:
    digits = sum(c in "0123456789" for c in value)
    return (
        len(value) <= MAX_LENGTH
        and re.fullmatch(PATTERN, value) is not None
        and MIN_DIGITS <= digits <= MAX_DIGITS
    )


def clean_phone(value: str, field: str) -> str:
    """The number stripped, "" if empty; a ValidationError naming `field` if it breaks the rule."""
    value = (value or "").strip()
    if value and not is_phone(value):
        raise invalid(field, "phone", MESSAGE)
    return value


def tel_href(value: str) -> str:
    """tel:0455731000 for a valid number, "" otherwise."""
    value = (value or "").strip()
    if not is_phone(value):
        return ""
    return "tel:" + ("+" if value.startswith("+") else "") + re.sub(r"[^0-9]", "", value)


def _validate(value: str) -> None:
    if value and not is_phone(value.strip()):
        raise ValidationError(MESSAGE, code="phone")


class PhoneField(forms.CharField):
    """A telephone number (optional unless required=True), bounded and checked."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("required", False)
        super().__init__(validators=[_validate], **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "type": "tel", "autocomplete": "tel"}
