"""Time rules: the next daily check time and the occurred_at guard."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samverkan.cases.clock import (
    check_expected_date,
    clinical_time_bounds,
    next_check_time,
    occurred,
)

CET = timezone.get_fixed_timezone(60)


@pytest.mark.parametrize(
    "sent,due",
    [
        ((7, 59), (23, 8, 0)),
        ((8, 0), (23, 12, 0)),
        ((11, 30), (23, 12, 0)),
        ((14, 0), (23, 15, 0)),
        ((15, 30), (24, 8, 0)),
        ((23, 59), (24, 8, 0)),
    ],
)
def test_next_check_time(sent, due):
    moment = datetime(2026, 11, 23, *sent, tzinfo=CET)
    expected = datetime(2026, 11, due[0], due[1], due[2], tzinfo=CET)
    assert next_check_time(moment) == expected


def test_check_times_are_configurable(settings):
    settings.CHECK_TIMES = ["10:00"]
    assert next_check_time(datetime(2026, 11, 23, 11, 0, tzinfo=CET)) == datetime(
        2026, 11, 24, 10, 0, tzinfo=CET
    )


def test_occurred_at():
    now = timezone.now()
    assert occurred(None, now) == now
    assert occurred(now - timedelta(hours=3), now) == now - timedelta(hours=3)
    with pytest.raises(ValidationError) as error:
        occurred(now + timedelta(minutes=10), now)
    assert error.value.error_dict["occurred_at"][0].code == "future"
    with pytest.raises(ValidationError) as error:
        occurred(now - timedelta(days=2), now, not_before=now - timedelta(days=1))
    assert error.value.error_dict["occurred_at"][0].code == "order"


@pytest.mark.parametrize(
    "offset,rule",
    [
        (timedelta(minutes=5), None),  # FUTURE_TOLERANCE: clocks drift
        (timedelta(minutes=5, seconds=1), "future"),
        (-timedelta(days=365), None),  # BACK_ENTRY_LIMIT
        (-timedelta(days=365, seconds=1), "too_old"),
    ],
)
def test_clinical_times_are_bounded_a_year_back_and_minutes_ahead(offset, rule):
    now = datetime(2026, 11, 23, 12, 0, tzinfo=CET)
    assert clinical_time_bounds(now) == (now - timedelta(days=365), now + timedelta(minutes=5))
    if rule is None:
        assert occurred(now + offset, now) == now + offset
    else:
        with pytest.raises(ValidationError) as refused:
            occurred(now + offset, now, field="admitted_at")
        assert refused.value.error_dict["admitted_at"][0].code == rule


@pytest.mark.parametrize(
    "days_ahead,confirm,rule",
    [(-1, False, "order"), (90, False, None), (91, False, "confirm"), (91, True, None)]
    + [(3 * 365, True, None), (3 * 365 + 1, True, "range")],
)
def test_the_expected_date_rule(days_ahead, confirm, rule):
    now = datetime(2026, 11, 23, 12, 0, tzinfo=CET)
    expected = now.date() + timedelta(days=days_ahead)
    if rule is None:
        check_expected_date(expected, now, now, confirm=confirm)
        return
    with pytest.raises(ValidationError) as refused:
        check_expected_date(expected, now, now, confirm=confirm)
    assert refused.value.error_dict["expected_discharge_date"][0].code == rule
