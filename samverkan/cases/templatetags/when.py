"""Dates and times in tables, {% load when %}: `{{ at|stamp }}` gives "2026-11-29 10:00" with
the date kept on one line, `{{ at|day }}` "2026-11-29", `{{ at|clock }}` "10:00". The same as
Django's `date` filter with those formats, in local time, but a fraction of its cost: a table
of in-patients calls it thousands of times."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _formatted(value, pattern: str) -> str:
    """Like `date`, nothing for what is no date (None, "")."""
    return value.strftime(pattern) if hasattr(value, "strftime") else ""


@register.filter(expects_localtime=True)
def day(value) -> str:
    return _formatted(value, "%Y-%m-%d")


@register.filter(expects_localtime=True)
def clock(value) -> str:
    return _formatted(value, "%H:%M")


@register.filter(expects_localtime=True)
def stamp(value) -> str:
    """Digits only, so safe as markup."""
    return mark_safe(_formatted(value, '<span class="nowrap">%Y-%m-%d</span> %H:%M'))
