"""The dashboard and the monthly summary as pages and exports: the same tables and charts."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from samverkan.lib.charts import bar_chart, line_chart
from samverkan.lib.exports import HIDDEN, csv_response, xlsx_response
from samverkan.lib.tables import Table

from .dashboard import (
    NO_DATA,
    acknowledgement_table,
    distribution_table,
    los_table,
    municipality_table,
)
from .figures import Figures
from .goals import experience_trend, goals_table, span, trend
from .indicators import DIMENSIONS, Filters

PRINTED_COLUMNS = 7  # the row label and six figures fit a landscape A4 page at 9 pt


@dataclass
class Report:
    """Tables in page order, and (title, svg) charts drawn from them."""

    filters: Filters
    tables: list[Table]
    charts: list = field(default_factory=list)
    baseline: Filters | None = None
    stays: int = 0  # in the filtered set of the period
    totals_only: bool = False  # the viewer sees totals only: whole months (disclosure.py)
    notice: str = ""  # why nothing is shown (disclosure.py)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def printed_tables(self) -> list[Table]:
        """The tables as a landscape A4 page holds them: wide ones in parts."""
        return [part for t in self.tables for part in t.split(PRINTED_COLUMNS)]


def _drawable(table: Table, column: str) -> tuple[list, list]:
    """Labels and values of a column for a bar chart: rows without data and the total left out."""
    pairs = [
        (row[0], value)
        for row, value in zip(table.rows, table.column(column), strict=True)
        if value != NO_DATA and row[0] != "Totalt"
    ]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _bars(table: Table, column: str, title: str):
    labels, values = _drawable(table, column)
    hidden = HIDDEN if HIDDEN in values else "<5"
    numbers = [v if isinstance(v, int | float) else None for v in values]
    return title, bar_chart(title, labels, numbers, hidden=hidden)


def _lines(title: str, labels: list, series: dict):
    return title, line_chart(title, labels, series)


def dashboard(f: Filters, baseline: Filters, by: str) -> Report:
    fig = Figures(span(f, baseline), by)  # one query; the tables sum what they need from it
    t = trend(f, baseline, fig)
    los = los_table(f, by, fig)
    tables = [
        los,
        goals_table(f, baseline, fig),
        distribution_table(f, fig),
        municipality_table(f, fig),
        acknowledgement_table(f),
    ]
    report = Report(f, tables, baseline=baseline, stays=fig.counts(f)[None]["stays"])
    per = DIMENSIONS[by].lower()
    s = t["series"]
    percentages = {k: s[k] for k in list(s)[:2]}
    report.charts = [
        _bars(los, "Dagar som utskrivningsklar, medel", f"Dagar som utskrivningsklar per {per}"),
        _bars(
            los,
            "Inskrivningsmeddelande inom 24 h (%)",
            f"Inskrivningsmeddelande inom 24 h per {per} (%)",
        ),
        _bars(report.table("days"), "Antal", "Dagar som utskrivningsklar, fördelning"),
        _lines("Utveckling per månad (%)", t["labels"], percentages),
        _lines(
            "Dagar som utskrivningsklar och SIP per månad",
            t["labels"],
            {k: s[k] for k in list(s)[2:]},
        ),
    ]
    felt = experience_trend(f, baseline)
    if any(v is not None for values in felt.values() for v in values):  # calls or surveys held
        report.charts.append(_lines("Trygghet, delaktighet och förtroende", t["labels"], felt))
    return report


def month_filters(month: date) -> Filters:
    """The whole calendar month that starts on `month`."""
    end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return Filters(month, end.fromordinal(end.toordinal() - 1))


def summary(f: Filters) -> Report:
    """The monthly summary for the collaboration group: one month, per municipality."""
    fig = Figures()
    per_municipality = los_table(f, "municipality", fig)
    tables = [per_municipality, municipality_table(f, fig), distribution_table(f, fig)]
    report = Report(f, tables, stays=fig.counts(f)[None]["stays"])
    report.charts = [
        _bars(
            per_municipality,
            "Dagar som utskrivningsklar, medel",
            "Dagar som utskrivningsklar per kommun",
        ),
        _bars(
            per_municipality,
            "Inskrivningsmeddelande inom 24 h (%)",
            "Inskrivningsmeddelande inom 24 h per kommun (%)",
        ),
    ]
    return report


def filename(report: Report, ext: str) -> str:
    f = report.filters
    return f"uppfoljning-{f.date_from:%Y%m%d}-{f.date_to:%Y%m%d}.{ext}"


def _rows(report: Report, table: Table) -> list:
    """A table's rows as exported: the notice in place of figures withheld."""
    return [[report.notice]] if report.notice else table.rows


def as_csv(report: Report, key: str):
    table = report.table(key)
    name = filename(report, "csv").replace(".csv", f"-{key}.csv")
    return csv_response(name, table.header, _rows(report, table))


def as_xlsx(report: Report):
    sheets = {t.title: (t.header, _rows(report, t)) for t in report.tables}
    return xlsx_response(filename(report, "xlsx"), sheets)


MONTH_NAMES = (
    "januari februari mars april maj juni juli augusti september oktober november december"
)


def month_name(month: date) -> str:
    return f"{MONTH_NAMES.split()[month.month - 1]} {month.year}"


def generated() -> str:
    return f"{timezone.localtime():%Y-%m-%d %H:%M}"
