"""Contact links in templates: {% load contact %} then {% phone unit.phone %} and
{% mailbox unit.mailbox %}; a value that is no valid number or address is shown as text."""

from django import template
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import format_html

from samverkan.lib.phone import tel_href

register = template.Library()


@register.simple_tag
def phone(value):
    """A tel: link, or the text as it is."""
    href = tel_href(value or "")
    return format_html('<a href="{}">{}</a>', href, value) if href else (value or "")


@register.simple_tag
def mailbox(value):
    try:
        validate_email(value)
    except ValidationError:
        return value or ""
    return format_html('<a href="mailto:{}">{}</a>', value, value)
