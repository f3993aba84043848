"""The statement and the average model as a page, a PDF and an Excel workbook, each from one
selection: what the actor may see, small cells suppressed for those who only see totals, and
every person shown audited."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import number_format

from samverkan.audit.log import record_reads
from samverkan.lib.disclosure import is_hidden as _hidden
from samverkan.lib.disclosure import protect
from samverkan.lib.exports import HIDDEN, suppress, xlsx_response
from samverkan.lib.pdf import pdf_response
from samverkan.lib.tables import Table

from .access import line_municipalities, require_totals, total_municipalities
from .statement import average, statement

NO_DATA = "–"  # nothing to compute from (no patients); None is a suppressed small cell
# HIDDEN ("dolt"): a figure computed from a suppressed small cell, or hidden so as not to
# reveal one
TOTAL_HEADER = ["Kommun", "Vårdtillfällen", "Med betalningsansvar", "Dagar", "Belopp (kr)"]
AVERAGE_HEADER = [
    "Kommun",
    "Vård",
    "Månad",
    "Patienter",
    "Dagar",
    "Medel",
    "Rullande medel",
    "Fridagar",
    "Dagar med betalningsansvar",
    "Belopp (kr)",
]


def shown(table: Table) -> Table:
    """The table as the page and the PDF print it: "<5" for a suppressed cell, Swedish numbers."""
    return Table(table.key, table.title, table.header, [list(map(_text, r)) for r in table.rows])


def _text(value):
    if value is None:
        return f"<{getattr(settings, 'SMALL_CELL_LIMIT', 5)}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    return value


def total_row(total, exact: bool) -> list:
    """One municipality's totals: 1–4 stays become "<5" unless the viewer reads the lines
    behind them; the days and the amount come from the liable stays and hide with them."""
    liable = suppress(total.liable_stays, allowed=exact)
    hidden = liable is None
    return [
        total.municipality.name,
        suppress(total.stays, allowed=exact),
        liable,
        HIDDEN if hidden else total.liable_days,
        HIDDEN if hidden else total.amount,
    ]


def totals_table(result, readable) -> Table:
    """One row per municipality, and their sum when there are several (secondary suppression:
    the sum less the shown rows must not reveal a hidden cell, see `_protect_sum`)."""
    known = [t.municipality in readable for t in result.totals]
    rows = [total_row(t, k) for t, k in zip(result.totals, known, strict=True)]
    if len(rows) > 1:
        total = total_row(result.sum, all(known))
        _protect_sum(rows, total, known, [t.stays for t in result.totals])
        rows.append(total)
    return Table("totals", "Summa per kommun", TOTAL_HEADER, rows)


def _protect_sum(rows: list[list], total: list, known: list[bool], stays: list[int]) -> None:
    """In each column whose sum is shown, the rows the reader does not read exactly add up to
    the sum less the rows it reads: where one of them is hidden, the smallest other shown
    non-zero one (by stays, an empty one last) is hidden too, and where there is none, its
    zeros and the sum (lib.disclosure.protect). Cells hidden here show as "dolt" (they need
    not be small)."""
    columns = [c for c in range(1, len(total)) if not _hidden(total[c])]
    unknown = [i for i, k in enumerate(known) if not k]
    part = [
        [rows[i][0], *(None if _hidden(rows[i][c]) else rows[i][c] for c in columns)]
        for i in unknown
    ]
    unprotected = protect(part, [(stays[i] == 0, stays[i]) for i in unknown])
    for j, c in enumerate(columns, start=1):
        for i, row in zip(unknown, part, strict=True):
            if _hidden(row[j]) and not _hidden(rows[i][c]):
                rows[i][c] = HIDDEN
        if j in unprotected:
            total[c] = HIDDEN


def selection(actor, data: dict) -> dict:
    """The statement context: totals the actor may see, lines only for a municipality whose
    lines the actor may read; a municipal reader asking for another municipality gets 403."""
    require_totals(actor)
    readable = list(line_municipalities(actor))
    chosen = data.get("kommun") or (readable[0] if len(readable) == 1 else None)
    if chosen and chosen not in readable and not actor.can("view_aggregates"):
        raise PermissionDenied("Du får bara se din egen kommuns betalningsunderlag.")
    result = statement(data["month"], total_municipalities(actor))
    lines_allowed = chosen is not None and chosen in readable
    lines = [line for line in result.lines if chosen and line.municipality == chosen]
    if lines_allowed:
        record_reads(actor, "payment.statement", [line.case.patient for line in lines])
    summary = totals_table(result, readable)
    return {
        "exact": all(t.municipality in readable for t in result.totals),
        "small_limit": getattr(settings, "SMALL_CELL_LIMIT", 5),
        "statement": result,
        "summary": summary,
        "summary_shown": shown(summary),
        "municipality": chosen,
        "lines": lines if lines_allowed else None,
        "total": next((t for t in result.totals if t.municipality == chosen), None),
        "generated": timezone.localtime(),
    }


def filename(context: dict, ext: str) -> str:
    chosen = context["municipality"]
    who = chosen.code if chosen else "alla"
    return f"betalningsansvar-{context['statement'].month:%Y-%m}-{who}.{ext}"


def pdf(context: dict):
    return pdf_response("followup/payment_pdf.html", context, filename(context, "pdf"))


LINE_HEADER = [
    "Personnummer",
    "Namn",
    "Avdelning",
    "Utskrivningsklar",
    "Utskriven",
    "Dagar med betalningsansvar",
    "Belopp (kr)",
    "Det som stoppade betalningsansvaret",
]
DAY_HEADER = ["Personnummer", "Datum", "Dag", "Räknas", "Belopp (kr)", "Skäl"]


def _local(moment, pattern="%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(moment).strftime(pattern) if moment else ""


def line_row(line) -> list:
    c = line.case
    return [
        c.patient.identity_display,
        c.patient.full_name,
        c.ward.name,
        ", ".join(_local(t) for t in line.ready_notices),
        _local(c.discharged_at),
        line.outcome.liable_days,
        line.outcome.amount,
        line.outcome.stopped_by,
    ]


def xlsx(context: dict):
    summary = context["summary"]
    sheets = {"Summa": (summary.header, summary.rows)}
    if context["lines"] is not None:
        lines = context["lines"]
        sheets["Underlag"] = (LINE_HEADER, [line_row(line) for line in lines])
        sheets["Dagar"] = (
            DAY_HEADER,
            [
                [
                    line.case.patient.identity_display,
                    d.date,
                    d.number,
                    "ja" if d.counted else "nej",
                    d.amount,
                    d.reason,
                ]
                for line in lines
                for d in line.outcome.days
            ],
        )
    return xlsx_response(filename(context, "xlsx"), sheets)


# --- the average model --------------------------------------------------------------------


def average_row(r, exact: bool) -> list:
    """One municipality's month: 1–4 patients become "<5" with their days and mean; the
    rolling mean, liable days and amount hide when any month behind the rolling mean is small
    (they are derived from it), unless the viewer reads the municipality's lines."""
    row = r.row
    patients = suppress(row.patients, allowed=exact)
    small = patients is None
    derived = any(suppress(n, allowed=exact) is None for n in row.window)
    if row.amount_missing and row.liable_days:
        amount = f"belopp saknas för år {row.month.year}"
    else:
        amount = row.amount
    return [
        r.municipality.name,
        r.area,
        f"{row.month:%Y-%m}",
        patients,
        HIDDEN if small else row.days,
        HIDDEN if small else NO_DATA if row.mean is None else row.mean,
        HIDDEN if derived else NO_DATA if row.rolling_mean is None else row.rolling_mean,
        row.free_days,
        HIDDEN if derived else row.liable_days,
        HIDDEN if derived else amount,
    ]


def average_selection(actor, year: int) -> dict:
    """The average model's context: every municipality the actor sees, exact figures for
    those whose lines it reads."""
    require_totals(actor)
    municipalities = list(total_municipalities(actor))
    readable = list(line_municipalities(actor))
    result = average(year, municipalities)
    title = f"Genomsnittsmodell {year}"
    table = Table(
        "average",
        title,
        AVERAGE_HEADER,
        [average_row(r, r.municipality in readable) for r in result.rows],
    )
    every = all(m in readable for m in municipalities)
    excluded = Table(
        "excluded",
        "Räknas inte",
        ["Skäl", "Vårdtillfällen"],
        [[reason, suppress(n, allowed=every)] for reason, n in sorted(result.excluded.items())],
    )
    return {
        "exact": every,
        "small_limit": getattr(settings, "SMALL_CELL_LIMIT", 5),
        "average": result,
        "table": table,
        "table_shown": shown(table),
        "excluded": excluded,
        "excluded_shown": shown(excluded),
        "generated": timezone.localtime(),
    }


def average_pdf(context: dict):
    name = f"betalningsansvar-genomsnitt-{context['average'].year}.pdf"
    return pdf_response("followup/payment_average_pdf.html", context, name)


def average_xlsx(context: dict):
    sheets = {t.title: (t.header, t.rows) for t in (context["table"], context["excluded"])}
    return xlsx_response(f"betalningsansvar-genomsnitt-{context['average'].year}.xlsx", sheets)
