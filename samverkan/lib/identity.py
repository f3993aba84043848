"""Swedish identity numbers: personnummer, samordningsnummer and the region's reservnummer.

Rules (Skatteverket, SKV 704 and 707): YYYYMMDD-NNNC, C the Luhn check digit over YYMMDDNNN.
The three-digit serial NNN is never 000. A samordningsnummer adds 60 to the birth day. Its
birth date may be partly unknown: day 60 (unknown day), month 00 (unknown month, with a known
or unknown day), or a day that the month does not have (e.g. 0231 + 60 = 0291); all are valid.
`Identity.birth_date` is then None, consistently: only a real, complete date is stored, so no
age is ever computed from a guessed date.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
RESERVNUMMER = "reservnummer"
KIND_LABELS = {
    PERSONNUMMER: "Personnummer",
    SAMORDNINGSNUMMER: "Samordningsnummer",
    RESERVNUMMER: "Reservnummer",
}

# ASCII digits only: \d alone would take other scripts' digits (a second spelling of one number)
_NUMERIC = re.compile(
    r"^(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+]?)(?P<tail>\d{4})$", re.ASCII
)


class IdentityError(ValueError):
    """An identity number that breaks a rule; `rule` names it, `message` says it in Swedish."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass(frozen=True)
class Identity:
    """A validated identity number in its 12-character form."""

    kind: str
    number: str
    birth_date: date | None  # None where the birth date is partly unknown

    @property
    def display(self) -> str:
        if self.kind == RESERVNUMMER:
            return self.number
        return f"{self.number[:8]}-{self.number[8:]}"


def luhn_ok(digits: str) -> bool:
    """The check digit rule over the ten digits YYMMDDNNNC."""
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def parse_identity(
    value: str, *, reserve_pattern: str | None = None, today: date | None = None
) -> Identity:
    """Validate and normalise; raises IdentityError naming the broken rule."""
    raw = (value or "").strip().upper().replace(" ", "")
    if not raw:
        raise IdentityError("required", "Ange ett identitetsnummer.")
    if reserve_pattern and (m := re.match(reserve_pattern, raw)):
        return _reserve(raw, m)
    m = _NUMERIC.match(raw)
    if not m:
        raise IdentityError(
            "format",
            "Okänt format: ange ÅÅÅÅMMDD-NNNN, ÅÅMMDD-NNNN eller ett reservnummer.",
        )
    full = _with_century(m, today or date.today())
    kind, birth = _birth_date(full)
    if full[8:11] == "000":
        raise IdentityError(
            "serial", "Födelsenumret (siffrorna före kontrollsiffran) kan inte vara 000."
        )
    if not luhn_ok(full[2:]):
        raise IdentityError("checksum", "Kontrollsiffran stämmer inte.")
    return Identity(kind, full, birth)


def _with_century(m: re.Match, today: date) -> str:
    yymmdd, tail = m["yymmdd"], m["tail"]
    if m["century"]:
        return m["century"] + yymmdd + tail
    year = today.year - today.year % 100 + int(yymmdd[:2])
    if year > today.year:
        year -= 100
    if m["sep"] == "+":  # '+' marks a person aged 100 or more
        year -= 100
    return f"{year:04d}{yymmdd[2:]}{tail}"


def _birth_date(full: str) -> tuple[str, date | None]:
    year, month, day = int(full[:4]), int(full[4:6]), int(full[6:8])
    if day < 60:
        if month == 0:
            raise IdentityError("date", "Okänd månad (00) finns bara i samordningsnummer.")
        return PERSONNUMMER, _real_date(year, month, day)
    day -= 60
    if month > 12 or day > 31:
        raise IdentityError("date", "Datumet i numret finns inte.")
    if month == 0 or day == 0 or day > calendar.monthrange(year, month)[1]:
        return SAMORDNINGSNUMMER, _partly_known(year)
    return SAMORDNINGSNUMMER, _real_date(year, month, day)


def _partly_known(year: int) -> None:
    """A samordningsnummer's partly unknown birth date: only the year can be checked."""
    if year > date.today().year:
        raise IdentityError("date", "Födelsedatumet ligger i framtiden.")
    return None


def _real_date(year: int, month: int, day: int) -> date:
    try:
        born = date(year, month, day)
    except ValueError:
        raise IdentityError("date", "Datumet i numret finns inte.") from None
    if born > date.today():
        raise IdentityError("date", "Födelsedatumet ligger i framtiden.")
    return born


def _reserve(raw: str, m: re.Match) -> Identity:
    text = m.groupdict().get("date")
    born = _real_date(int(text[:4]), int(text[4:6]), int(text[6:8])) if text else None
    return Identity(RESERVNUMMER, raw, born)


def age_on(birth_date: date | None, day: date) -> int | None:
    """Whole years of age on a day, or None if the birth date is unknown."""
    if birth_date is None:
        return None
    before = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before


def last_birth_date(age: int, day: date) -> date:
    """The latest birth date of someone at least `age` years old on `day` (as `age_on` counts;
    on 29 February in a year `age` years back without one, the 28th)."""
    year = day.year - age
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))
