"""Time rules of the LOS process that need no database: check times and occurred_at."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from samverkan.core.errors import invalid

FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks of integrating systems drift a little
BACK_ENTRY_LIMIT = timedelta(days=365)  # older times come by the backup routine's back-entry
EXPECTED_CONFIRM_DAYS = 90  # an expected discharge date further ahead must be confirmed
EXPECTED_MAX_DAYS = 3 * 365  # and none further ahead than this


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


def last_check_time(moment: datetime) -> datetime:
    """The latest daily check time at or before a moment: when the last snapshot was due."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = moment.astimezone(zone)
    for offset in (0, -1):
        day = local.date() + timedelta(days=offset)
        for at in reversed(check_times()):
            candidate = datetime.combine(day, at, tzinfo=zone)
            if candidate <= local:
                return candidate
    raise AssertionError("no check times configured")


def clinical_time_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The earliest and latest time a clinical event (admission, notice, ready, discharge…) may
    be given at `now`: a year back, a few minutes ahead. The one hook for the backup routine's
    back-entry, which will allow older times."""
    return now - BACK_ENTRY_LIMIT, now + FUTURE_TOLERANCE


def occurred(
    value: datetime | None,
    now: datetime,
    *,
    not_before: datetime | None = None,
    field: str = "occurred_at",
) -> datetime:
    """When something happened: given (after downtime, by an integration) or now; never in the
    future, within clinical_time_bounds and not before `not_before` (e.g. the admission)."""
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    earliest, latest = clinical_time_bounds(now)
    if value > latest:
        raise invalid(field, "future", "Tidpunkten får inte ligga i framtiden.")
    if value < earliest:
        raise invalid(field, "too_old", TOO_OLD)
    if not_before and value < not_before:
        raise invalid(
            field,
            "order",
            f"Tidpunkten får inte ligga före {timezone.localtime(not_before):%Y-%m-%d %H:%M}.",
        )
    return value


TOO_OLD = (
    "Tidpunkten får ligga högst ett år bakåt; äldre uppgifter förs in genom reservrutinens "
    "efterregistrering."
)


def check_expected_date(
    expected: date | None, admitted_at: datetime | None, now: datetime, *, confirm: bool = False
) -> None:
    """The expected discharge date: not before the admission day, at most EXPECTED_MAX_DAYS
    ahead, and confirmed when more than EXPECTED_CONFIRM_DAYS ahead (rule "confirm")."""
    if expected is None:
        return
    field, today = "expected_discharge_date", timezone.localdate(now)
    if admitted_at and expected < timezone.localdate(admitted_at):
        raise invalid(field, "order", "Datumet får inte ligga före inskrivningsdagen.")
    if expected > today + timedelta(days=EXPECTED_MAX_DAYS):
        raise invalid(field, "range", f"Ange ett datum högst {EXPECTED_MAX_DAYS} dagar fram.")
    if expected > today + timedelta(days=EXPECTED_CONFIRM_DAYS) and not confirm:
        raise invalid(field, "confirm", EXPECTED_CONFIRM)


def expected_date_doubt(expected: date | None, admitted_at: datetime | None) -> str:
    """Why a list flags an expected date: before the admission day (older data), or far
    ahead of it (confirmed when entered); "" when plausible."""
    if not expected or not admitted_at:
        return ""
    days = (expected - timezone.localdate(admitted_at)).days
    if days < 0:
        return "före inskrivningsdagen"
    return f"mer än {EXPECTED_CONFIRM_DAYS} dagar fram" if days > EXPECTED_CONFIRM_DAYS else ""


EXPECTED_CONFIRM = (
    f"Datumet ligger mer än {EXPECTED_CONFIRM_DAYS} dagar fram: bekräfta att det stämmer "
    "(kryssa i Bekräfta datumet; i API:t confirm_date: true)."
)
