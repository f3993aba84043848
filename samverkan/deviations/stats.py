"""The analysis of the register: one definition of the feedback rate, and the yearly report's
tables (counts by direction, category, unit, month and year), with small cells suppressed for
viewers who may not see the deviations behind them. Pages, API, PDF and Excel all read these."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from django.conf import settings
from django.db.models import BooleanField, Case, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from samverkan.lib.disclosure import protect, protect_grid, too_few
from samverkan.lib.exports import HIDDEN, suppress
from samverkan.lib.periods import within
from samverkan.lib.tables import Table

from .access import seen_by
from .models import Deviation

S = Deviation.State
DIRECTION_LABELS = dict(Deviation.Direction.choices)
NO_DATA = "–"  # a figure without data (no feedback yet); None is a suppressed small cell
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


@dataclass(frozen=True)
class Row:
    """What the analysis needs of one deviation."""

    direction: str
    from_principal: str
    to_principal: str
    category: str
    reporter_unit: str
    responsible_unit: str
    state: str
    reported_at: datetime
    feedback_at: datetime | None
    feedback_due_at: datetime
    visible: bool

    @property
    def days_to_feedback(self) -> int | None:
        if not self.feedback_at:
            return None
        return (timezone.localdate(self.feedback_at) - timezone.localdate(self.reported_at)).days


@dataclass(frozen=True)
class Rate:
    """Feedback in a set of deviations, by the one definition (see feedback_rate)."""

    reported: int  # all reported in the period
    returned: int  # returned as misdirected: not the receiver's to answer
    received: int  # reported minus returned: the denominator
    answered: int  # of those, with feedback given
    percent: float | None  # answered / received
    median_days: float | None  # days from received to the first feedback
    on_time_percent: float | None  # of the answered, within the deadline


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def feedback_rate(rows) -> Rate:
    """THE feedback rate: among deviations received in the period that were not returned as
    misdirected, the share with feedback given; time to feedback is calendar days (Swedish
    time) from received to the first feedback. Everyone's figures come from here."""
    rows = list(rows)
    counted = [r for r in rows if r.state != S.RETURNED]
    days = [r.days_to_feedback for r in counted if r.feedback_at]
    on_time = sum(1 for r in counted if r.feedback_at and r.feedback_at <= r.feedback_due_at)
    return Rate(
        reported=len(rows),
        returned=len(rows) - len(counted),
        received=len(counted),
        answered=len(days),
        percent=_percent(len(days), len(counted)),
        median_days=float(median(days)) if days else None,
        on_time_percent=_percent(on_time, len(days)),
    )


def rows(actor, date_from: date | None = None, date_to: date | None = None) -> list[Row]:
    """The register's deviations reported in the period (whole days), one query."""
    period = {"date_from": date_from, "date_to": date_to}
    found = within(Deviation.objects.all(), "reported_at", period)
    flag = BooleanField()
    if actor and actor.can("read_personal"):
        seen = Case(When(seen_by(actor.unit), then=Value(True)), default=False, output_field=flag)
    else:
        seen = Value(False, output_field=flag)  # aggregates only: every small cell suppressed
    values = found.annotate(
        main_category=Coalesce("category__parent__name", "category__name"), seen=seen
    ).values_list(
        "direction",
        "from_principal__name",
        "to_principal__name",
        "main_category",
        "reporter_unit__name",
        "responsible_unit__name",
        "state",
        "reported_at",
        "feedback_at",
        "feedback_due_at",
        "seen",
    )
    return [Row(*v[:5], v[5] or "", *v[6:]) for v in values.order_by()]


def group(rows, key) -> dict:
    groups = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    return groups


def _allowed(rows) -> bool:
    """A viewer may see a small cell only when they may see every deviation behind it."""
    return all(r.visible for r in rows)


def rate_row(label, rows) -> list:
    """[label, reported, returned, received, answered, %, median days, % on time], suppressed."""
    rate, allowed = feedback_rate(rows), _allowed(rows)
    counts = [suppress(n, allowed=allowed) for n in (rate.reported, rate.returned)]
    received, answered = (suppress(n, allowed=allowed) for n in (rate.received, rate.answered))
    hidden = received is None or answered is None
    figures = (rate.percent, rate.median_days, rate.on_time_percent)
    return [
        *([label] if isinstance(label, str) else label),
        *counts,
        received,
        answered,
        *(HIDDEN if hidden else NO_DATA if f is None else f for f in figures),
    ]


RATE_HEADER = [
    "Rapporterade",
    "Returnerade (felskickade)",
    "Att återkoppla",
    "Med återkoppling",
    "Andel återkopplade (%)",
    "Median dagar till återkoppling",
    "Återkopplade i tid (%)",
]


def _count(rows) -> int | None:
    return suppress(len(rows), allowed=_allowed(rows))


def _directions(rows) -> list[str]:
    present = {r.direction for r in rows}
    return [d for d in DIRECTION_LABELS if d in present] or [
        Deviation.Direction.MUNICIPALITY_TO_REGION,
        Deviation.Direction.REGION_TO_MUNICIPALITY,
    ]


def by_direction(rows) -> Table:
    groups = group(rows, lambda r: r.direction)
    body = [rate_row(DIRECTION_LABELS[d], groups.get(d, [])) for d in _directions(rows)]
    body.append(rate_row("Totalt", rows))
    return Table("direction", "Per riktning", ["Riktning", *RATE_HEADER], body)


def _crossed(key, title, first, rows, label) -> Table:
    """Counts of `label(row)` per direction, with a total column, largest first."""
    directions = _directions(rows)
    groups = group(rows, label)
    body = []
    for name, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        per = group(members, lambda r: r.direction)
        body.append([name, *(_count(per.get(d, [])) for d in directions), _count(members)])
    header = [first, *(DIRECTION_LABELS[d] for d in directions), "Totalt"]
    return Table(key, title, header, body)


def by_month(rows, year: int) -> Table:
    directions = _directions(rows)
    groups = group(rows, lambda r: timezone.localtime(r.reported_at).month)
    body = []
    for month in range(1, 13):
        per = group(groups.get(month, []), lambda r: r.direction)
        counts = [_count(per.get(d, [])) for d in directions]
        body.append([f"{MONTHS[month - 1]} {year}", *counts, _count(groups.get(month, []))])
    header = ["Månad", *(DIRECTION_LABELS[d] for d in directions), "Totalt"]
    return Table("month", "Per månad", header, body)


def by_unit(rows, attribute: str, key: str, title: str) -> Table:
    groups = group(rows, lambda r: getattr(r, attribute) or "Inte fördelad")
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return Table(key, title, ["Enhet", *RATE_HEADER], [rate_row(n, m) for n, m in ordered])


def by_receiver(rows) -> Table:
    groups = group(rows, lambda r: r.to_principal)
    body = [rate_row(n, m) for n, m in sorted(groups.items())]
    return Table("receiver", "Per mottagande huvudman", ["Huvudman", *RATE_HEADER], body)


def by_year(all_rows) -> Table:
    directions = _directions(all_rows)
    body = []
    for year, members in sorted(group(all_rows, lambda r: _year(r)).items()):
        per = group(members, lambda r: r.direction)
        for d in directions:
            body.append(rate_row([str(year), DIRECTION_LABELS[d]], per.get(d, [])))
    return Table("year", "Per år", ["År", "Riktning", *RATE_HEADER], body)


def _year(row) -> int:
    return timezone.localtime(row.reported_at).year


@dataclass
class Report:
    """The yearly report: its tables, the figures its charts draw, and whose view it is."""

    year: int
    tables: list[Table]
    total: Rate
    suppressed: bool
    notice: str = ""  # why nothing is shown: too few deviations for this viewer


def yearly_report(actor, year: int) -> Report:
    period = rows(actor, date(year, 1, 1), date(year, 12, 31))
    everything = rows(actor)
    tables = [
        by_direction(period),
        by_receiver(period),
        _crossed("category", "Per kategori", "Kategori", period, lambda r: r.category),
        by_month(period, year),
        by_unit(period, "responsible_unit", "responsible", "Per ansvarig enhet"),
        _crossed("reporter", "Per rapporterande enhet", "Enhet", period, lambda r: r.reporter_unit),
        by_year(everything),
    ]
    limit = settings.SMALL_CELL_LIMIT
    if not _allowed(period) and too_few(len(period), limit):
        empty = [Table(t.key, t.title, t.header, []) for t in tables]
        return Report(year, empty, feedback_rate([]), True, too_few_message(year, limit))
    for table in tables:
        _protect(table)
    hidden = any(v is None for t in tables for row in t.rows for v in row)
    return Report(year, tables, feedback_rate(period), hidden)


def too_few_message(year: int, limit: int) -> str:
    return (
        f"För få avvikelser för att visas (färre än {limit}) år {year} bland dem du inte får "
        "se. Välj ett annat år."
    )


def _protect(table: Table) -> None:
    """Secondary suppression (lib/disclosure.py): a hidden cell's column, and in the crossed
    tables its row, hides another shown cell, or its zeros and total."""
    if table.header[-1] == "Totalt":
        protect_grid(table.rows)
        return
    parts = [row for row in table.rows if row[0] != "Totalt"]
    first = 2 if table.key == "year" else 1  # "Rapporterade", weighing the rows
    weights = [row[first] if isinstance(row[first], int) else 0 for row in parts]
    unprotected = protect(parts, weights)
    for row in table.rows:
        if row[0] == "Totalt":
            row[:] = [HIDDEN if i in unprotected else v for i, v in enumerate(row)]
