"""Skatteverket's test personnummer (shipped in samverkan/data): the only numbers demo data uses."""

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "testpersonnummer.json"


@lru_cache(maxsize=1)
def skatteverket_numbers() -> tuple[str, ...]:
    return tuple(dict.fromkeys(json.loads(DATA.read_text())))  # the list repeats two numbers


def born_between(first_year: int, last_year: int) -> list[str]:
    return [n for n in skatteverket_numbers() if first_year <= int(n[:4]) <= last_year]


def aged_between(youngest: int, oldest: int, today: date) -> list[str]:
    """Numbers of persons whose age today is within the bounds (whole years of birth, so an
    age is never above `oldest` nor below `youngest`)."""
    return born_between(today.year - oldest, today.year - youngest - 1)
