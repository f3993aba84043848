"""The yearly report as a page, a PDF and an Excel workbook, from the same tables and charts."""

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from samverkan.lib.charts import bar_chart, line_chart
from samverkan.lib.exports import xlsx_response
from samverkan.lib.pdf import pdf_response

from .stats import DIRECTION_LABELS, yearly_report


def year_from(value: str | None) -> int:
    if not value:
        return timezone.localdate().year
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise Http404("Ange ett år, t.ex. 2023.")
    return int(value)


def charts(report) -> list:
    """(title, svg) for the page and the PDF: feedback by direction, months, categories."""
    if report.notice:
        return []
    tables = {t.key: t for t in report.tables}
    rated = [r for r in tables["direction"].rows if r[0] != "Totalt"]
    month, category = tables["month"], tables["category"]
    series = {n: [_number(r[1 + i]) for r in month.rows] for i, n in enumerate(month.header[1:-1])}
    titles = [
        f"Andel återkopplade per riktning {report.year} (%)",
        f"Avvikelser per månad {report.year}",
        f"Avvikelser per kategori {report.year}",
    ]
    return list(
        zip(
            titles,
            [
                bar_chart(
                    titles[0], [r[0] for r in rated], [_number(r[5]) for r in rated], hidden="dolt"
                ),
                line_chart(titles[1], [r[0][:3] for r in month.rows], series),
                bar_chart(
                    titles[2],
                    [r[0] for r in category.rows],
                    [_number(r[-1]) for r in category.rows],
                ),
            ],
            strict=True,
        )
    )


def _number(value):
    return value if isinstance(value, int | float) else None


def context(actor, year: int) -> dict:
    report = yearly_report(actor, year)
    return {
        "report": report,
        "charts": charts(report),
        "directions": DIRECTION_LABELS,
        "years": range(timezone.localdate().year, 2017, -1),
        "generated": timezone.localtime(),
        "feedback_days": settings.DEVIATION_FEEDBACK_DAYS,
        "small_limit": settings.SMALL_CELL_LIMIT,
    }


def pdf(actor, year: int):
    return pdf_response(
        "deviations/report_pdf.html", context(actor, year), f"avvikelser-{year}.pdf"
    )


def xlsx(actor, year: int):
    report = yearly_report(actor, year)
    rows = [[report.notice]] if report.notice else None  # in place of figures withheld
    sheets = {t.title: (t.header, rows or t.rows) for t in report.tables}
    return xlsx_response(f"avvikelser-{year}.xlsx", sheets)
