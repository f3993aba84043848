"""Identity numbers: every rule named when it fails."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.lib.identity import (
    IdentityError,
    age_on,
    last_birth_date,
    luhn_ok,
    parse_identity,
)
from samverkan.lib.testdata import skatteverket_numbers

RESERVE = r"^(?P<date>\d{8})[A-Z]\d{3}$"


def with_check_digit(first_nine: str) -> str:
    """Completes nine digits YYMMDDNNN with the digit the Luhn rule asks for."""
    return first_nine + next(str(d) for d in range(10) if luhn_ok(first_nine + str(d)))


def rule_of(value, **kw):
    with pytest.raises(IdentityError) as caught:
        parse_identity(value, **kw)
    return caught.value.rule


@given(st.sampled_from(skatteverket_numbers()))
def test_every_test_personnummer_is_valid(number):
    identity = parse_identity(number)
    assert identity.kind == "personnummer" and identity.number == number
    assert identity.birth_date == date(int(number[:4]), int(number[4:6]), int(number[6:8]))


def test_all_of_skatteverkets_test_numbers_validate():
    refused = []
    for number in skatteverket_numbers():
        try:
            parse_identity(number)
        except IdentityError as error:
            refused.append((number, error.rule))
    assert len(skatteverket_numbers()) > 40_000 and refused == []


@given(st.sampled_from(skatteverket_numbers()), st.integers(1, 9))
def test_a_changed_check_digit_is_named(number, delta):
    wrong = number[:-1] + str((int(number[-1]) + delta) % 10)
    assert rule_of(wrong) == "checksum"


def test_short_forms_and_the_plus_for_centenarians():
    assert parse_identity("400104-2383").number == "194001042383"
    assert parse_identity("4001042383", today=date(2026, 1, 1)).number == "194001042383"
    assert parse_identity("19400104 2383").number == "194001042383"
    assert parse_identity("900101+9802", today=date(2026, 1, 1)).number == "189001019802"
    assert parse_identity("194001042383").display == "19400104-2383"


def test_impossible_date_unknown_format_and_empty():
    assert rule_of("19400230-2383") == "date"
    assert rule_of("19401304-2383") == "date"
    assert rule_of("1940-01-04") == "format"
    assert rule_of("abc") == "format"
    assert rule_of("  ") == "required"


def test_samordningsnummer_including_unknown_birth_dates():
    # built here from a test personnummer's date; never stored as a person
    full = parse_identity("19" + with_check_digit("400164238"))
    assert full.kind == "samordningsnummer" and full.birth_date == date(1940, 1, 4)
    unknown_day = parse_identity("19" + with_check_digit("400160238"))
    assert unknown_day.kind == "samordningsnummer" and unknown_day.birth_date is None
    unknown_month = parse_identity("19" + with_check_digit("400060238"))
    assert unknown_month.birth_date is None
    assert rule_of("19" + with_check_digit("400004238")) == "date"  # month 00: not a personnummer
    assert rule_of("19" + with_check_digit("400192238")) == "date"  # day 92-60 = 32
    assert rule_of("19" + with_check_digit("401364238")) == "date"  # month 13


@pytest.mark.parametrize(
    "first_nine",
    [
        "400064238",  # month unknown (00), day known (4 + 60)
        "400091238",  # month unknown, day 31
        "400291238",  # 31 February (+ 60): a day the month lacks
        "230289238",  # 29 February in a year without one
        "400491238",  # 31 April
    ],
)
def test_samordningsnummer_with_a_partly_unknown_birth_date(first_nine):
    identity = parse_identity("19" + with_check_digit(first_nine))
    assert identity.kind == "samordningsnummer" and identity.birth_date is None


def test_leap_day_samordningsnummer_has_its_date():
    assert parse_identity("20" + with_check_digit("000289238")).birth_date == date(2000, 2, 29)


@pytest.mark.parametrize("first_nine", ["400104000", "400164000", "400060000", "400291000"])
def test_serial_number_000_is_refused(first_nine):
    assert rule_of("19" + with_check_digit(first_nine)) == "serial"
    assert rule_of(with_check_digit(first_nine), today=date(2026, 1, 1)) == "serial"


def test_partly_unknown_birth_date_in_the_future_is_refused():
    year = date.today().year + 1
    number = f"{year}00" + with_check_digit(f"{year % 100:02d}0064123")[4:]
    assert rule_of(number) == "date"


def test_reservnummer_by_the_configured_pattern():
    identity = parse_identity("19400104r001", reserve_pattern=RESERVE)
    assert identity.kind == "reservnummer" and identity.number == "19400104R001"
    assert identity.birth_date == date(1940, 1, 4) and identity.display == "19400104R001"
    assert rule_of("19400231R001", reserve_pattern=RESERVE) == "date"
    assert rule_of("19400104R001") == "format"  # no pattern: not accepted


def test_future_birth_date_is_refused():
    year = date.today().year + 1
    number = f"{year}0101" + with_check_digit(f"{year % 100:02d}0101123")[6:]
    assert rule_of(number) == "date"


def test_age():
    assert age_on(date(1940, 1, 4), date(2026, 1, 3)) == 85
    assert age_on(date(1940, 1, 4), date(2026, 1, 4)) == 86
    assert age_on(None, date(2026, 1, 4)) is None


def test_only_ascii_digits_make_an_identity_number():
    # full-width or other scripts' digits would be a second spelling of the same number
    assert rule_of("１９４００１０４２３８３") == "format"
    assert rule_of("١٩٤٠٠١٠٤٢٣٨٣") == "format"


def test_the_last_birth_date_of_an_adult():
    for day in (date(2028, 2, 29), date(2028, 3, 1), date(2027, 2, 28), date(2028, 12, 31)):
        last = last_birth_date(18, day)
        assert age_on(last, day) == 18 and age_on(last + timedelta(days=1), day) == 17
