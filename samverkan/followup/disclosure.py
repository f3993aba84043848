"""What the dashboard and the monthly summary show a viewer who sees totals only: whole
calendar months, and nothing of a filtered set of fewer than SMALL_CELL_LIMIT stays. Pages,
charts, CSV, Excel and PDF all get their report through `disclosed`, the one gate."""

from dataclasses import replace

from django.conf import settings

from samverkan.directory.models import Principal
from samverkan.lib import disclosure as rules
from samverkan.lib.tables import Table

from .indicators import Filters
from .payment.access import line_municipalities


def sees_stays(actor) -> bool:
    """Who may see the stays behind the figures: who reads every municipality's statement
    lines (the region's administration with read rights, payment/access.py). Analysts, unit
    admins, wards and municipalities see totals only."""
    lines = line_municipalities(actor).count()
    return lines > 0 and lines == Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY).count()


def whole_months(f: Filters) -> Filters:
    return f.shifted(*rules.whole_months(f.date_from, f.date_to))


def too_few_message(f: Filters, limit: int) -> str:
    return (
        f"För få vårdtillfällen för att visas (färre än {limit}) "
        f"{f.date_from:%Y-%m-%d}–{f.date_to:%Y-%m-%d} med de valda filtren. "
        "Välj en längre period eller färre filter."
    )


def withheld(report, message: str):
    """The report with no figure left: every table emptied, no chart, the message instead."""
    tables = [Table(t.key, t.title, t.header, []) for t in report.tables]
    return replace(report, tables=tables, charts=[], notice=message)


def disclosed(actor, build, f: Filters, *periods: Filters, **options):
    """THE gate: `build(f, *periods, **options)` as the actor may see it. A viewer who sees
    totals only gets whole calendar months, and nothing of a set of fewer than
    SMALL_CELL_LIMIT stays; small cells are suppressed for every viewer (dashboard.py)."""
    if sees_stays(actor):
        return build(f, *periods, **options)
    report = build(whole_months(f), *map(whole_months, periods), **options)
    report = replace(report, totals_only=True)
    limit = settings.SMALL_CELL_LIMIT
    if rules.too_few(report.stays, limit):
        return withheld(report, too_few_message(report.filters, limit))
    return report
