"""Disclosure control for aggregate tables, as pure rules: which cells hide beside a small
cell, and the period and set size a viewer who sees totals only is shown."""

from calendar import monthrange
from datetime import date

from .exports import HIDDEN


def is_hidden(value) -> bool:
    """A suppressed small cell (None, "<5") or a figure hidden with one ("dolt")."""
    return value is None or value == HIDDEN


def _shown_nonzero(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value != 0


def protector(column: list, weights: list) -> int | None:
    """In a column of parts of one whole with a hidden cell: the shown non-zero cell of the
    lightest row (by `weights`), to hide too. Shown and not zero it was not small, so the whole
    less the shown cells mixes a small count with a large one. None: nothing to hide, or none."""
    if not any(is_hidden(v) for v in column):
        return None
    shown = [i for i, v in enumerate(column) if _shown_nonzero(v)]
    return min(shown, key=lambda i: weights[i]) if shown else None


def revealing(column: list) -> list[int]:
    """The shown cells that would reveal a hidden one: where a column has a hidden cell and no
    shown non-zero cell, its zeros (and "–", nothing to count) tell that the whole lies in the
    hidden cells: a distribution of one bin "<5" beside zeros gives every member's value.
    Then every shown cell of the column goes (and the whole with them, see `protect`)."""
    if not any(is_hidden(v) for v in column) or any(_shown_nonzero(v) for v in column):
        return []
    return [i for i, v in enumerate(column) if not is_hidden(v)]


def protect(rows: list[list], weights: list) -> set[int]:
    """Secondary suppression in place for rows (label first) that add up to a whole shown
    elsewhere: per column the `protector`, or else the `revealing` cells, become HIDDEN.
    Returns the columns without a protector: their whole must be hidden too."""
    unprotected = set()
    for col in range(1, len(rows[0]) if rows else 0):
        column = [row[col] for row in rows]
        found = protector(column, weights)
        cells = [found] if found is not None else revealing(column)
        if found is None and any(is_hidden(v) for v in column):
            unprotected.add(col)
        for i in cells:
            rows[i][col] = HIDDEN
    return unprotected


def _weight(value) -> float:
    return value if _shown_nonzero(value) else 0


def protect_counts(line: list) -> bool:
    """Secondary suppression in place for one line of counts (a row or a column of a grid)
    whose whole is shown, idempotent: a small cell (None) beside no protector ("dolt") hides
    the smallest shown non-zero count, or where there is none, the zeros. Returns True when
    no protector could be found: the line's whole must be hidden."""
    if None not in line or HIDDEN in line:
        return False
    shown = [i for i, v in enumerate(line) if _shown_nonzero(v)]
    for i in [min(shown, key=lambda i: line[i])] if shown else revealing(line):
        line[i] = HIDDEN
    return not shown


def protect_grid(rows: list[list]) -> None:
    """`protect_counts` both ways in place for a table of counts whose last column is each
    row's total and whose rows are parts of a whole shown elsewhere, until nothing changes."""
    while True:
        before = [list(row) for row in rows]
        for col in range(1, len(rows[0]) if rows else 0):
            column = [row[col] for row in rows]
            protect_counts(column)
            for row, value in zip(rows, column, strict=True):
                row[col] = value
        for row in rows:
            line = row[1:-1]
            if protect_counts(line):
                row[-1] = HIDDEN
            row[1:-1] = line
        if rows == before:
            return


def whole_months(date_from: date, date_to: date) -> tuple[date, date]:
    """The whole calendar months a period touches: from the first of its first month to the
    last day of its last month."""
    last = monthrange(date_to.year, date_to.month)[1]
    return date_from.replace(day=1), date_to.replace(day=last)


def too_few(count: int, limit: int) -> bool:
    """A set of fewer than `limit` (none included) is too small to show anything of."""
    return count < limit
