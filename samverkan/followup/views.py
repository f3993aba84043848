"""Follow-up pages: the indicator dashboard with its exports and the monthly summary.
Aggregates only, small cells suppressed: any member may see them, analysts included; each
report goes through disclosure.disclosed (whole months, a minimum set for totals-only viewers)."""

import re
from datetime import date

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samverkan.directory.actor import actor_required
from samverkan.lib.pdf import pdf_response

from . import report as reports
from .disclosure import disclosed
from .filters import DashboardForm, last_whole_months
from .report import month_name


def _page(request, template: str, context: dict, status: int = 200):
    context |= {"small_limit": settings.SMALL_CELL_LIMIT, "query": request.GET.urlencode()}
    return render(request, template, context, status=status)


def _form(request):
    form = DashboardForm(request.GET)  # always bound: empty fields take their defaults
    return form, form.is_valid()


def _report(request, form):
    """The dashboard as the actor may see it; the form then shows the months counted."""
    f, baseline = form.filters(), form.baseline()
    report = disclosed(request.actor, reports.dashboard, f, baseline, by=form.cleaned_data["by"])
    form.counted(report.filters, report.baseline)
    return report


@require_GET
@actor_required()
def dashboard(request):
    form, valid = _form(request)
    if not valid:
        return _page(request, "followup/dashboard.html", {"form": form}, status=400)
    report = _report(request, form)
    context = {"form": form, "report": report, "generated": reports.generated()}
    return _page(request, "followup/dashboard.html", context)


@require_GET
@actor_required()
def export(request, fmt: str):
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Okänt format.")
    form, valid = _form(request)
    if not valid:
        return _page(request, "followup/dashboard.html", {"form": form}, status=400)
    report = _report(request, form)
    if fmt == "xlsx":
        return reports.as_xlsx(report)
    key = request.GET.get("tabell", "los")
    if key not in {t.key for t in report.tables}:
        raise Http404("Okänd tabell.")
    return reports.as_csv(report, key)


MONTH_ERROR = "Månad: ange månaden som ÅÅÅÅ-MM mellan 2000 och 2100, till exempel 2026-11."


def _month(value: str | None) -> date | None:
    """The month asked for as ÅÅÅÅ-MM (2000–2100); default the last whole month."""
    if not value:
        return last_whole_months(1)[0]
    if not re.fullmatch(r"(20\d\d|2100)-(0[1-9]|1[0-2])", value):
        return None
    return date(int(value[:4]), int(value[5:]), 1)


@require_GET
@actor_required()
def monthly(request, fmt: str = "html"):
    if fmt not in {"html", "pdf", "xlsx"}:
        raise Http404("Okänt format.")
    month = _month(request.GET.get("manad"))
    if month is None:
        context = {"error": MONTH_ERROR, "month": None}
        return _page(request, "followup/monthly.html", context, status=400)
    report = disclosed(request.actor, reports.summary, reports.month_filters(month))
    if fmt == "xlsx":
        return reports.as_xlsx(report)
    context = {"report": report, "month": month, "generated": reports.generated()}
    context |= {"label": month_name(month), "small_limit": settings.SMALL_CELL_LIMIT}
    if fmt == "pdf":
        return pdf_response("followup/monthly_pdf.html", context, f"samverkan-{month:%Y-%m}.pdf")
    return _page(request, "followup/monthly.html", context)
