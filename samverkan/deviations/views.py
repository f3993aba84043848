"""Deviation pages: the unit's list, the report form, the deviation page with its actions,
and the analysis with the yearly report as PDF and Excel. Thin: access, form, service."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.cases.access import visible_cases
from samverkan.core.errors import run_service
from samverkan.directory.actor import actor_required
from samverkan.sip.access import visible_sips

from . import report as yearly
from . import services
from .access import (
    get_deviation_for_actor,
    sees_case,
    sees_sip,
    shown_patient,
    visible_deviations,
)
from .actions import ACTIONS, make_form, offered
from .forms import ListFilterForm, ReportForm


@require_GET
@actor_required("read_personal")
def deviation_list(request):
    form = ListFilterForm(request.GET or None)
    found = filtered(request.actor, form.cleaned_data if form.is_valid() else {})
    page = Paginator(found, 50).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()}
    return render(request, "deviations/list.html", context)


def filtered(actor, data: dict):
    found = visible_deviations(actor).select_related(
        "category__parent", "reporter_unit", "to_principal", "responsible_unit"
    )
    unit = actor.unit
    view = data.get("view")
    if view == "sent":
        found = found.filter(reporter_unit=unit)
    elif view == "coordinate":
        found = found.filter(to_principal__deviation_unit=unit)
    elif view == "responsible":
        found = found.filter(responsible_unit=unit)
    if data.get("state"):
        found = found.filter(state=data["state"])
    if data.get("year"):
        found = found.filter(reported_at__year=data["year"])
    return found


@require_http_methods(["GET", "POST"])
@actor_required("write_personal")
def report_deviation(request):
    form = ReportForm(request.POST or None, actor=request.actor, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        deviation = run_service(form, services.report, request.actor, **form.cleaned_data)
        if deviation:
            messages.success(request, "Avvikelsen är rapporterad.")
            return redirect("deviation_detail", deviation.public_id)
    status = 400 if form.is_bound and form.errors else 200
    context = {**_linked(request.actor, form), "form": form}
    context["feedback_days"] = settings.DEVIATION_FEEDBACK_DAYS
    return render(request, "deviations/report.html", context, status=status)


def _initial(request) -> dict:
    initial = {"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    for param, field in (("arende", "case"), ("sip", "sip")):
        if request.GET.get(param):
            initial[field] = request.GET[param]
    return initial


def _linked(actor, form) -> dict:
    """The case or SIP the form is about, if the unit may see it (shown above the form)."""
    found = {}
    for field, visible in (("case", visible_cases), ("sip", visible_sips)):
        value = form[field].value()
        found[field] = _by_id(visible(actor), value) if value else None
    return found


def _by_id(queryset, value):
    try:
        return queryset.filter(public_id=value).first()
    except ValidationError:  # not a UUID: the form reports it
        return None


def detail_context(actor, deviation, failed=None) -> dict:
    failed = failed or {}
    forms = [(a, failed.get(a.key) or make_form(a, deviation)) for a in offered(actor, deviation)]
    return {
        "deviation": deviation,
        "patient": shown_patient(actor, deviation),
        "case_visible": sees_case(actor, deviation),
        "sip_visible": sees_sip(actor, deviation),
        "events": deviation.events.select_related("unit", "user"),
        "actions": forms,
        "failed": failed,
        "now": timezone.now(),
    }


@require_GET
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def deviation_detail(request, public_id):
    deviation = get_deviation_for_actor(request.actor, public_id)
    return render(request, "deviations/detail.html", detail_context(request.actor, deviation))


@require_POST
@actor_required()
def deviation_action(request, public_id, action):
    step = ACTIONS.get(action)
    if step is None:
        raise Http404("Okänd åtgärd.")
    deviation = get_deviation_for_actor(request.actor, public_id, write=True)
    form = make_form(step, deviation, request.POST)
    if form.is_valid() and run_service(
        form, step.service, request.actor, deviation, **form.cleaned_data
    ):
        messages.success(request, f"{step.label}: klart.")
        return redirect("deviation_detail", deviation.public_id)
    deviation = get_deviation_for_actor(request.actor, public_id)  # shown again: a read
    for error in form.non_field_errors():
        messages.error(request, error)
    context = detail_context(request.actor, deviation, failed={action: form})
    return render(request, "deviations/detail.html", context, status=400)


@require_GET
@actor_required()
def analysis(request):
    year = yearly.year_from(request.GET.get("ar"))
    return render(request, "deviations/analysis.html", yearly.context(request.actor, year))


@require_GET
@actor_required()
def analysis_pdf(request, year: int):
    return yearly.pdf(request.actor, yearly.year_from(str(year)))


@require_GET
@actor_required()
def analysis_xlsx(request, year: int):
    return yearly.xlsx(request.actor, yearly.year_from(str(year)))
