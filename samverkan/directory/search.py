"""Finding units as people type them: "Medicin 31" finds "Medicinavdelning 31".

Every word of the query must begin some word of the unit's name, site, principal or HSA-id, or
begin a part of such a word (words split at hyphens, slashes and where letters meet digits:
"avd31" is "avd" and "31"); a number matches only the same number ("3" never finds "31")."""

import re

from .models import Unit

WORD = re.compile(r"[^\W_]+")  # letters and digits of any script, split at everything else
PART = re.compile(r"\d+|[^\W\d_]+")  # runs of digits, runs of letters
MAX_QUERY = 100


def words(text: str) -> set[str]:
    """The words of a text and their letter/digit parts, case-folded."""
    found = set()
    for word in WORD.findall(text.casefold()):
        found.add(word)
        found.update(PART.findall(word))
    return found


def query_words(query: str) -> list[str]:
    return [p for w in WORD.findall(query[:MAX_QUERY].casefold()) for p in PART.findall(w)]


def _matches_word(token: str, candidates: set[str]) -> bool:
    if token.isdigit():
        return token in candidates
    return any(c.startswith(token) for c in candidates)


def matches(query: str, *texts: str) -> bool:
    """True if every word of the query begins a word (or word part) of the texts."""
    candidates = words(" ".join(t for t in texts if t))
    return all(_matches_word(t, candidates) for t in query_words(query))


def unit_matches(query: str, unit) -> bool:
    return matches(query, unit.name, unit.site, unit.principal.name, unit.hsa_id)


def search_units(units, query: str) -> list:
    """The units (a queryset with principals) that match the query, in the queryset's order.
    Matched in Python: the directory is a few thousand units at most, and SQLite's LIKE folds
    only ASCII case (Å, Ä, Ö)."""
    if not query_words(query):
        return list(units)
    return [u for u in units if unit_matches(query, u)]


def filtered_units(params, units=None) -> list:
    """Active units by the directory's filters: principal (code), kind and the typed query."""
    units = Unit.objects.filter(active=True) if units is None else units
    if principal := params.get("principal"):
        units = units.filter(principal__code=principal)
    if kind := params.get("kind"):
        units = units.filter(kind=kind)
    units = units.select_related("principal").order_by(
        "principal__kind", "principal__name", "kind", "name"
    )
    return search_units(units, params.get("q", ""))
