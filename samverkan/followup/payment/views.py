"""Payment-liability pages: the monthly statement (page, PDF, Excel), one stay day by day,
and the average model per municipality and month. Thin: access, form, service, response."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from samverkan.directory.actor import actor_required

from . import facts, report
from .access import get_stay_for_actor, require_totals, total_municipalities
from .forms import StatementFilter, YearFilter
from .rules import liability
from .statement import average


def _statement(request, respond):
    require_totals(request.actor)
    form = StatementFilter(request.GET)
    if not form.is_valid():
        return render(request, "followup/payment_statement.html", {"form": form}, status=400)
    data = {"month": form.cleaned_data["manad"], "kommun": form.cleaned_data["kommun"]}
    return respond({**report.selection(request.actor, data), "form": form})


@require_GET
@actor_required()
def statement_page(request):
    return _statement(request, lambda c: render(request, "followup/payment_statement.html", c))


@require_GET
@actor_required()
def statement_pdf(request):
    return _statement(request, report.pdf)


@require_GET
@actor_required()
def statement_xlsx(request):
    return _statement(request, report.xlsx)


@require_GET
@actor_required()
def stay_detail(request, public_id):
    case = get_stay_for_actor(request.actor, public_id)
    stay = facts.load(type(case).objects.filter(pk=case.pk))[0]
    terms = facts.agreements()[case.ward.principal_id]
    outcome = liability(stay.facts, terms, facts.amounts(), timezone.localdate())
    context = {"case": case, "outcome": outcome, "facts": stay.facts}
    return render(request, "followup/payment_stay.html", context)


@require_GET
@actor_required()
def average_page(request):
    require_totals(request.actor)
    form = YearFilter(request.GET)
    if not form.is_valid():
        return render(request, "followup/payment_average.html", {"form": form}, status=400)
    year = form.cleaned_data["ar"]
    context = {"form": form, "average": average(year, total_municipalities(request.actor))}
    return render(request, "followup/payment_average.html", context)
