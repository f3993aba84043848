"""Time rules: the next daily check time and the occurred_at guard."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samverkan.cases.clock import next_check_time, occurred

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
