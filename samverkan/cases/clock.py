"""Time rules of the LOS process that need no database: check times and occurred_at."""

from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from samverkan.core.errors import invalid

FUTURE_TOLERANCE = timedelta(minutes=2)  # clocks of integrating systems drift a little


@lru_cache(maxsize=8)
def _parsed(spec: tuple[str, ...]) -> tuple[time, ...]:
    return tuple(sorted(time.fromisoformat(t) for t in spec))


def check_times() -> tuple[time, ...]:
    return _parsed(tuple(settings.CHECK_TIMES))


def next_check_time(moment: datetime) -> datetime:
    """The first daily check time (Swedish time) after a moment: when a receipt is due."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = moment.astimezone(zone)
    for offset in (0, 1):
        day = local.date() + timedelta(days=offset)
        for at in check_times():
            candidate = datetime.combine(day, at, tzinfo=zone)
            if candidate > local:
                return candidate
    raise AssertionError("no check times configured")


def occurred(
    value: datetime | None,
    now: datetime,
    *,
    not_before: datetime | None = None,
    field: str = "occurred_at",
) -> datetime:
    """When something happened: given (after downtime, by an integration) or now; never future."""
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + FUTURE_TOLERANCE:
        raise invalid(field, "future", "Tidpunkten får inte ligga i framtiden.")
    if not_before and value < not_before:
        raise invalid(
            field,
            "order",
            f"Tidpunkten får inte ligga före {timezone.localtime(not_before):%Y-%m-%d %H:%M}.",
        )
    return value
