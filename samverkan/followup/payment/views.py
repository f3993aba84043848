"""Payment-liability pages: the monthly statement and the average model, each as a page, a
PDF and an Excel file, and one stay day by day. Thin: access, form, service, response."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from samverkan.directory.actor import actor_required

from . import facts, report
from .access import get_stay_for_actor, require_totals, total_municipalities
from .forms import StatementFilter, YearFilter
from .rules import describe, liability


def _statement(request):
    form = StatementFilter(request.GET, municipalities=total_municipalities(request.actor))
    if not form.is_valid():
        return form, None
    data = {"month": form.cleaned_data["manad"], "kommun": form.cleaned_data["kommun"]}
    return form, report.selection(request.actor, data)


def _average(request):
    form = YearFilter(request.GET)
    if not form.is_valid():
        return form, None
    return form, report.average_selection(request.actor, form.cleaned_data["ar"])


def _page_pdf_xlsx(template: str, select, pdf, xlsx):
    """Three GET views from one selection; a bad filter is the page with its errors (400)."""

    def view_for(respond):
        @require_GET
        @actor_required()
        def view(request):
            require_totals(request.actor)
            form, context = select(request)
            if context is None:
                return render(request, template, {"form": form}, status=400)
            return respond(request, {**context, "form": form})

        return view

    return (
        view_for(lambda request, c: render(request, template, c)),
        view_for(lambda request, c: pdf(c)),
        view_for(lambda request, c: xlsx(c)),
    )


statement_page, statement_pdf, statement_xlsx = _page_pdf_xlsx(
    "followup/payment_statement.html", _statement, report.pdf, report.xlsx
)
average_page, average_pdf, average_xlsx = _page_pdf_xlsx(
    "followup/payment_average.html", _average, report.average_pdf, report.average_xlsx
)


@require_GET
@actor_required()
def stay_detail(request, public_id):
    case = get_stay_for_actor(request.actor, public_id)
    stay = facts.load(type(case).objects.filter(pk=case.pk))[0]
    terms = facts.agreements()[case.ward.principal_id]
    outcome = liability(stay.facts, terms, facts.amounts(), timezone.localdate())
    missing = sorted({d.date.year for d in outcome.days if d.counted and not d.amount})
    context = {
        "case": case,
        "outcome": outcome,
        "facts": stay.facts,
        "rules": describe(outcome.terms),
        "missing_years": missing,
    }
    return render(request, "followup/payment_stay.html", context)
