"""The statement as a page, a PDF and an Excel workbook, from one selection: what the actor
may see for the chosen month and municipality, with every person shown audited."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from samverkan.audit.log import record_reads
from samverkan.lib.exports import xlsx_response
from samverkan.lib.pdf import pdf_response

from .access import line_municipalities, require_totals, total_municipalities
from .statement import statement


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
    return {
        "statement": result,
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
    result = context["statement"]
    totals = [
        [t.municipality.name, t.stays, t.liable_stays, t.liable_days, t.amount]
        for t in [*result.totals, result.sum]
    ]
    sheets = {
        "Summa": (
            ["Kommun", "Vårdtillfällen", "Med betalningsansvar", "Dagar", "Belopp (kr)"],
            totals,
        )
    }
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
