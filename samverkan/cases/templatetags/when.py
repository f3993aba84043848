"""Dates and times in tables, {% load when %}: `{{ at|stamp }}` gives "2026-11-29 10:00" with
the date kept on one line, `{{ at|day }}` "2026-11-29", `{{ at|clock }}` "10:00". The same as
Django's `date` filter with those formats, in local time, but a fraction of its cost: a table
of in-patients calls it thousands of times."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(expects_localtime=True)
def day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


@register.filter(expects_localtime=True)
def clock(value) -> str:
    return value.strftime("%H:%M") if value else ""


@register.filter(expects_localtime=True)
def stamp(value) -> str:
    """Digits only, so safe as markup."""
    return mark_safe(value.strftime('<span class="nowrap">%Y-%m-%d</span> %H:%M')) if value else ""
