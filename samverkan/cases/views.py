"""Case pages: the worklist start page, the case list, the case page with its actions, the
print view. Views are thin: access, form, service, response."""

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.audit.log import record, record_reads
from samverkan.core.errors import run_service, run_with_messages
from samverkan.core.private_filters import filter_data, keep_posted, page_query
from samverkan.core.worklists import panels
from samverkan.directory.actor import actor_required
from samverkan.downtime.banner import concerning
from samverkan.downtime.reconciliation import open_lists
from samverkan.patients.access import get_patient_for_actor

from . import intake, merge, overview, receipts, rejections, services
from .access import attachment_response, get_case_for_actor
from .actions import ACTIONS
from .filters import CaseFilterForm, filtered_cases
from .forms import CareRequestForm, ForwardForm, OpenCaseForm, RejectForm
from .models import Delivery
from .page import action_form, bound_form, case_context, offered_on
from .worklist import worklist


@require_GET
@actor_required()
def start(request):
    """The start page is the unit's worklist; roles without personal data get the cards."""
    if not request.actor.can("read_personal"):
        return render(request, "directory/start.html")
    now = timezone.now()
    rows = worklist(request.actor, now)
    others = [panel for panel in panels(request.actor, now) if panel[2]]
    patients = [r.case.patient for r in rows]
    patients += [e.patient for _, _, entries in others for e in entries if e.patient]
    record_reads(request.actor, "case.list", patients)
    context = {
        "rows": rows,
        "others": others,
        "total": len(rows) + sum(len(p[2]) for p in others),
        "can_write": request.actor.can("write_personal"),
        "overdue": sum(r.overdue for r in rows) + sum(e.overdue for p in others for e in p[2]),
        "reconciliations": open_lists(request.actor, concerning(request, now), now),
    }
    return render(request, "cases/worklist.html", context)


@require_http_methods(["GET", "POST"])
@actor_required("read_personal")
def case_list(request):
    if request.method == "POST":
        return keep_posted(request, "identity")
    form = CaseFilterForm(filter_data(request, "identity"), actor=request.actor)
    cases = filtered_cases(request.actor, form)
    page = Paginator(cases, 50).get_page(request.GET.get("sida"))
    record_reads(request.actor, "case.list", [c.patient for c in page])
    return render(
        request,
        "cases/list.html",
        {"form": form, "page": page, "query": page_query(request), "now": timezone.now()},
    )


@require_GET
@actor_required()
def ward_overview(request):
    """Inneliggande: the ward's in-patients, one row each; 404 for units without in-patients."""
    if not request.actor.unit.is_ward:
        raise Http404("Inneliggande finns bara för vårdavdelningar.")
    request.actor.require("read_personal")
    sort = request.GET.get("sort")
    rows = overview.ward_overview(request.actor, timezone.now(), sort)
    record_reads(request.actor, "case.list", [r.case.patient for r in rows])
    context = {"rows": rows, "headers": overview.headers(sort)}
    return render(request, "cases/overview.html", context)


@require_GET
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def case_detail(request, public_id):
    case = get_case_for_actor(request.actor, public_id)
    for delivery in case_unread(request.actor, case):
        receipts.mark_read(request.actor, delivery)
    return render(request, "cases/detail.html", case_context(request.actor, case))


def case_unread(actor, case):
    return Delivery.objects.filter(message__case=case, unit=actor.unit, state="sent")


@require_GET
@actor_required()
def case_action_form(request, public_id, action):
    """One action's form: a fragment for the case page (HTMX), or a page of its own."""
    case = get_case_for_actor(request.actor, public_id, write=True)
    step = next((a for a in offered_on(request.actor, case) if a.key == action), None)
    if step is None:
        raise Http404("Åtgärden erbjuds inte i ärendet just nu.")
    form = action_form(step, case, request.GET)
    context = {"case": case, "action": step, "form": form, "keep": _kept_params(request.GET)}
    template = (
        "cases/_action_form.html" if request.headers.get("HX-Request") else "cases/action_page.html"
    )
    return render(request, template, context)


def _kept_params(params) -> list[tuple[str, str]]:
    """The GET parameters a search without JavaScript carries on (the rejected delivery)."""
    return [(k, params[k]) for k in ("delivery",) if params.get(k)]


@require_POST
@actor_required()
def case_action(request, public_id, action):
    step = ACTIONS.get(action)
    if step is None:
        raise Http404("Okänd åtgärd.")
    case = get_case_for_actor(request.actor, public_id, write=True)
    make = partial(bound_form, step, case)
    form = make(request.POST, request.FILES)
    if form.is_valid():
        kwargs_of = partial(_service_kwargs, case)
        done, form = merge.submit(step, request.actor, case, form, kwargs_of, make)
        if done is not None:
            _said_done(request, step, form)
            return redirect("case_detail", case.public_id)
    record(request.actor, "case.read", patient=case.patient, obj=case)  # shown again below
    for error in form.non_field_errors():  # state and version: said at the top of the page
        messages.error(request, error)
    context = case_context(request.actor, case, failed={action: form})
    return render(request, "cases/detail.html", context, status=400)


def _said_done(request, step, form) -> None:
    messages.success(request, f"{step.label}: klart.")
    if getattr(form, "merged", False):
        messages.info(request, "Ärendet hade ändrats medan du skrev; ändringarna är sammanförda.")


def _service_kwargs(case, form) -> dict:
    kwargs = form.service_kwargs() if hasattr(form, "service_kwargs") else dict(form.cleaned_data)
    kwargs.pop("base", None)
    kwargs.pop("confirm", None)
    for key in ("question", "care_request"):
        if key in kwargs:
            kwargs[key] = get_object_or_404(case.messages, public_id=kwargs[key])
    if "delivery" in kwargs:
        kwargs["delivery"] = rejections.rejection_in(case, kwargs["delivery"])
    if "file" in kwargs:
        kwargs["upload"] = kwargs.pop("file")
    return kwargs


@require_POST
@actor_required()
def delivery_action(request, delivery_id, action):
    delivery = receipts.get_delivery_for_actor(request.actor, delivery_id)
    case_id = delivery.message.case.public_id
    if action == "acknowledge":
        done = run_with_messages(request, receipts.acknowledge, request.actor, delivery)
    elif action in ("reject", "forward"):
        done = _delivery_form(request, delivery, action)
    else:
        raise Http404("Okänd åtgärd.")
    if done and action == "reject":
        messages.success(request, "Meddelandet är avvisat; din enhet deltar inte längre.")
        return redirect("start")
    if request.headers.get("HX-Request"):  # acknowledged in place on the worklist
        return redirect("start")
    if done:
        messages.success(request, "Klart.")
    return redirect("case_detail", case_id)


@require_POST
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def acknowledge_all(request, public_id):
    """One click on the worklist: everything open for the patient acknowledged or read."""
    case = get_case_for_actor(request.actor, public_id, write=True)
    done = run_with_messages(request, receipts.acknowledge_all, request.actor, case)
    if done and not request.headers.get("HX-Request"):
        messages.success(request, f"Kvitterat för {case.patient.full_name}.")
    return redirect("start")


def _delivery_form(request, delivery, action) -> bool:
    if action == "reject":
        form = RejectForm(request.POST)
        service, key = receipts.reject, "reason"
    else:
        form = ForwardForm(request.POST, actor=request.actor)
        service, key = receipts.forward, "to"
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return False
    return run_with_messages(
        request, service, request.actor, delivery, **{key: form.cleaned_data[key]}
    )


@require_POST
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def open_case(request, patient_id):
    patient = get_patient_for_actor(request.actor, patient_id, write=True)
    form = OpenCaseForm(request.POST)
    if form.is_valid():
        case = run_service(form, services.open_case, request.actor, patient, **form.cleaned_data)
        if case:
            messages.success(request, "Samordningsärendet är öppnat.")
            return redirect("case_detail", case.public_id)
    messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect("patient_detail", patient.public_id)


@require_GET
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def print_case(request, public_id):
    case = get_case_for_actor(request.actor, public_id)
    return render(request, "cases/print.html", case_context(request.actor, case))


@require_GET
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def attachment(request, public_id, attachment_id):
    case = get_case_for_actor(request.actor, public_id)
    return attachment_response(request.actor, case, attachment_id)


NOT_PART_YET = (
    "Vårdbegäran är skickad: den når {ward}, eller avdelningen där patienten redan vårdas. Er "
    "enhet får tillgång till vårdtillfället när avdelningen lägger till er eller svarar."
)


@require_http_methods(["GET", "POST"])
@actor_required("write_personal")
def care_request(request):
    """Municipal care sends a care request when a patient is sent in to hospital."""
    form = CareRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = run_service(form, intake.send_care_request, request.actor, **form.service_kwargs())
        if sent and sent[1]:
            messages.success(request, "Vårdbegäran är skickad.")
            return redirect("case_detail", sent[0].case.public_id)
        if sent:
            chosen = form.cleaned_data["hospital_unit"]  # never the stay's ward: not yet theirs
            messages.success(request, NOT_PART_YET.format(ward=chosen.name))
            return redirect("start")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "cases/care_request.html", {"form": form}, status=status)
