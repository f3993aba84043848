"""Live figures in an agenda item: a table of the follow-up dashboard, the deviation analysis
or the payment totals as they stood that day, computed by the follow-up's own functions with
small cells suppressed as for any reader (the minutes are public) and stored with the item."""

from datetime import date

from django.utils import timezone

from samverkan.deviations.stats import yearly_report
from samverkan.directory.models import Principal
from samverkan.followup.dashboard import los_table
from samverkan.followup.indicators import Filters
from samverkan.followup.payment.report import totals_table
from samverkan.followup.payment.statement import statement

SOURCES = {
    "dashboard": "Uppföljning: LOS-indikatorer per kommun (året hittills)",
    "deviations": "Avvikelseanalys för året",
    "payment": "Betalningsansvar: summa per kommun för månaden",
}


def _dashboard(year: int, month: date | None, today: date):
    last = min(date(year, 12, 31), today)
    return [los_table(Filters(date(year, 1, 1), last), "municipality")]


def _deviations(year: int, month: date | None, today: date):
    return yearly_report(None, year).tables  # no viewer: suppressed as for anyone


def _payment(year: int, month: date | None, today: date):
    first = (month or today).replace(day=1)
    municipalities = Principal.objects.filter(kind=Principal.Kind.MUNICIPALITY)
    return [totals_table(statement(first, municipalities, today), readable=[])]


TABLES = {"dashboard": _dashboard, "deviations": _deviations, "payment": _payment}


def _cell(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(source: str, year: int, month: date | None, now) -> list[dict]:
    """The tables as plain data, with the day they were taken."""
    today = timezone.localdate(now)
    as_of = f"{today:%Y-%m-%d}"
    return [
        {
            "source": source,
            "key": t.key,
            "title": t.title,
            "header": list(t.header),
            "rows": [[_cell(v) for v in row] for row in t.rows],
            "as_of": as_of,
        }
        for t in TABLES[source](year, month, today)
    ]
