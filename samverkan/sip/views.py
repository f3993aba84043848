"""SIP pages: list, start (also from a LOS case or the preventive checklist), the plan page
with its actions, print view and the person's PDF. Thin: access, form, service, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.audit.log import record, record_reads
from samverkan.cases.access import get_case_for_actor
from samverkan.core.errors import run_service
from samverkan.directory.actor import actor_required
from samverkan.lib.pdf import pdf_response

from . import services
from .access import get_sip_for_actor, visible_sips
from .actions import ACTIONS
from .forms import StartForm
from .models import Sip
from .page import sip_context


@require_GET
@actor_required("read_personal")
def sip_list(request):
    state = request.GET.get("status", "open")
    sips = visible_sips(request.actor).select_related("patient", "initiating_unit")
    if state == "open":
        sips = sips.exclude(state=Sip.State.CLOSED)
    elif state in Sip.State.values:
        sips = sips.filter(state=state)
    page = Paginator(sips.order_by("-started_at"), 50).get_page(request.GET.get("sida"))
    record_reads(request.actor, "sip.list", [s.patient for s in page])
    states = [("open", "Pågående"), *Sip.State.choices, ("all", "Alla")]
    return render(request, "sip/list.html", {"page": page, "state": state, "states": states})


@require_http_methods(["GET", "POST"])
@actor_required("write_personal")
def sip_start(request):
    """Start a SIP; ?arende=<case> starts it from a LOS case, ?forebyggande=1 opens the
    preventive checklist."""
    case_id = request.GET.get("arende")
    case = get_case_for_actor(request.actor, case_id, write=True) if case_id else None
    initial = {"kind": "preventive"} if request.GET.get("forebyggande") else {}
    if case is not None:
        initial["kind"] = (
            "in_hospital" if case.state in ("requested", "admitted", "ready") else "after_discharge"
        )
    form = StartForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        sip = run_service(form, services.start_sip, request.actor, case=case, **form.cleaned_data)
        if sip:
            messages.success(request, "SIP är påbörjad. Registrera samtycke innan något delas.")
            return redirect("sip_detail", sip.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "sip/start.html", {"form": form, "case": case}, status=status)


@require_GET
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def sip_detail(request, public_id):
    sip = get_sip_for_actor(request.actor, public_id)
    return render(request, "sip/detail.html", sip_context(request.actor, sip))


@require_POST
@actor_required()
def sip_action(request, public_id, action):
    step = ACTIONS.get(action)
    if step is None:
        raise Http404("Okänd åtgärd.")
    sip = get_sip_for_actor(request.actor, public_id, write=True)
    form = step.form(request.POST, sip=sip, auto_id=f"id_{action}_%s")
    if form.is_valid():
        done = run_service(form, lambda: step.service(request.actor, sip, **form.service_kwargs()))
        if done is not None:
            messages.success(request, f"{step.label}: klart.")
            return _after(request, sip)
    record(request.actor, "sip.read", patient=sip.patient, obj=sip)  # shown again below
    for error in form.non_field_errors():
        messages.error(request, error)
    context = sip_context(request.actor, sip, failed={action: form})
    return render(request, "sip/detail.html", context, status=400)


def _after(request, sip):
    """Back to the plan, or to the worklist if the unit can no longer see it (revoked)."""
    if visible_sips(request.actor).filter(pk=sip.pk).exists():
        return redirect("sip_detail", sip.public_id)
    return redirect("start")


@require_GET
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def sip_print(request, public_id):
    sip = get_sip_for_actor(request.actor, public_id)
    return render(request, "sip/print.html", sip_context(request.actor, sip))


@require_GET
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def sip_pdf(request, public_id):
    """The plan for the person, in plain Swedish: what happens, who does what, who to call."""
    sip = get_sip_for_actor(request.actor, public_id)
    record(request.actor, "sip.pdf", patient=sip.patient, obj=sip)
    context = sip_context(request.actor, sip)
    return pdf_response("sip/pdf.html", context, f"sip-{sip.short_id}.pdf")
