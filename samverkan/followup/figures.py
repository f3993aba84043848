"""The figures behind one page: each grouping of the stays fetched once, the closed months
from the rollup and the rest live, and every total or sub-period summed from what was fetched."""

from datetime import timedelta

from .indicators import NAMES, Filters, add, fold, records
from .rollup import from_cells, live_parts, rolled_up


def grouped(f: Filters, dims: tuple[str, ...]) -> dict:
    """{(group values …): (counts, days)} for the stays in the period: closed months from the
    rollup where it has them, the rest counted live (see rollup.py)."""
    months = rolled_up(f)
    found = list(from_cells(f, dims, months)) if months else []
    for part in live_parts(f, months):
        found += records(part, dims)
    return fold(found)


def regroup(found: dict, position: int | None) -> dict:
    """{group: (counts, days)} summed over every dimension but the one at `position` (None:
    everything into one total)."""
    result: dict = {}
    for key, (c, d) in found.items():
        group = key[position] if position is not None else None
        counts, days = result.get(group, ({}, {}))
        result[group] = (add(counts, c), add(days, d))
    return result


def facts(f: Filters, by: str | None) -> dict:
    """{group: (counts, days)} for one grouping (None: the total); one query."""
    return regroup(grouped(f, (by,) if by else ()), 0 if by else None)


def _whole_months(f: Filters) -> bool:
    return f.date_from.day == 1 and (f.date_to + timedelta(days=1)).day == 1


class Figures:
    """The aggregate queries behind one page, each run once. With a span fetched per month
    (and per the page's grouping), every period of whole months inside it, in any of those
    groupings or as a total, is summed from that one query."""

    def __init__(self, span: Filters | None = None, by: str | None = None):
        self.span, self.dims, self.base = span, ("month",), {}
        if span:
            self.dims = ("month", by) if by and by != "month" else ("month",)
            self.base = grouped(span, self.dims)
        self.cache: dict = {}

    def _from_span(self, f: Filters, by: str | None) -> dict | None:
        span = self.span
        if not span or not _whole_months(f) or span.shifted(f.date_from, f.date_to) != f:
            return None
        if not span.covers(f) or (by and by not in self.dims):
            return None
        months = {k: v for k, v in self.base.items() if f.date_from <= k[0] <= f.date_to}
        return regroup(months, self.dims.index(by) if by else None)

    def facts(self, f: Filters, by: str | None) -> dict:
        if (f, by) not in self.cache:
            found = self._from_span(f, by)
            self.cache[(f, by)] = facts(f, by) if found is None else found
        return self.cache[(f, by)]

    def counts(self, f: Filters, by: str | None = None) -> dict:
        found = {k: c for k, (c, _) in self.facts(f, by).items()}
        return found if by else {None: found.get(None) or dict.fromkeys(NAMES, 0)}

    def days(self, f: Filters, by: str | None = None) -> dict:
        return {k: d for k, (_, d) in self.facts(f, by).items()}
