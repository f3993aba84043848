"""Swedish as users write it: counts with their plural, dates as "29/11 10:00", names in
alphabetical order."""

import unicodedata

from django.utils import timezone

# Å, Ä and Ö are letters of their own after Z, in that order; Æ and Ø sort as Ä and Ö, Ü as Y.
_OWN_LETTERS = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y"})


def sort_key(text: str) -> str:
    """Swedish alphabetical order, case and other accents ignored (É as E)."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_OWN_LETTERS))
    return "".join(c for c in folded if not unicodedata.combining(c))


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
