"""Swedish as users write it: counts with their plural, dates as "29/11 10:00"."""

from django.utils import timezone


def plural(n: int, one: str, many: str) -> str:
    """plural(1, "dag", "dagar") -> "1 dag"; plural(4, ...) -> "4 dagar"."""
    return f"{n} {one if n == 1 else many}"


def short_time(moment) -> str:
    """29/11 10:00, in Swedish time."""
    local = timezone.localtime(moment)
    return f"{local.day}/{local.month} {local:%H:%M}"


def day(moment) -> str:
    """29/11 2026, in Swedish time."""
    local = timezone.localtime(moment)
    return f"{local.day}/{local.month} {local.year}"
