"""Min plan's pages: the person's login with e-ID, their plan (also for a next of kin with
consent), who has read it, whom they share it with, the trygghetskvitto; and staff's page to
release items and print the trygghetskvitto from a SIP or a stay."""

import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts import oidc
from samverkan.accounts.providers import client, configured
from samverkan.audit.log import record
from samverkan.core.access import refused
from samverkan.core.errors import run_service, run_with_messages
from samverkan.directory.actor import actor_required
from samverkan.directory.middleware import client_ip
from samverkan.lib.pdf import pdf_response
from samverkan.patients.models import Patient

from . import citizen, services
from .access import active_shares, get_own_plan, get_plan_for_reader, visible_plans
from .forms import DecisionForm, GuardianForm, ShareForm
from .models import Share
from .plan import build, sources
from .readers import who_read
from .staff import decide, staff_sources, staff_view


def reader_required(view):
    """A person logged in with e-ID; otherwise to Min plan's login (never the staff login).
    A staff user gets 404, like any outsider."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:  # a staff session never reaches a person's page
            page = f"myplan.{view.__name__}"
            ip = client_ip(request)
            refused(None, Patient, kwargs.get("public_id"), page, user=request.user, ip=ip)
            raise Http404("Min plan är för personen själv: logga in med e-legitimation.")
        request.reader = citizen.reader(request)
        if request.reader is None:
            login = reverse("myplan_login") + "?" + urlencode({"next": request.get_full_path()})
            return redirect(login)
        return view(request, *args, **kwargs)

    return wrapper


# --- login ------------------------------------------------------------------------------------


@require_GET
def login(request):
    context = {"providers": configured(citizen.PROVIDERS), "ended": request.GET.get("slut")}
    return render(request, "myplan/login.html", context)


@require_GET
def oidc_start(request, name):
    try:
        return citizen.start(request, name)
    except oidc.Refused as refused:
        return _refused(request, refused)


@require_GET
def oidc_callback(request, name):
    try:
        claims, id_token = citizen.receive(request, name)
    except oidc.Refused as refused:
        return _refused(request, refused)
    citizen.begin(request, name, claims, id_token)
    return redirect("myplan_start")


def _refused(request, refused):
    message = citizen.refuse(request, refused)
    return render(request, "myplan/refused.html", {"message": message}, status=403)


@require_POST
def logout(request):
    """End the person session, then the provider's (RP-initiated logout)."""
    info = citizen.end(request)
    back = request.build_absolute_uri(reverse("myplan_login"))
    if not info.get("id_token"):
        return redirect("myplan_login")
    _, app = client(info["provider"], citizen.PROVIDERS)
    url = app.create_logout_url(post_logout_redirect_uri=back, id_token_hint=info["id_token"])
    return HttpResponseRedirect(url["url"])


# --- the person's pages -----------------------------------------------------------------------


@require_GET
@reader_required
def start(request):
    """Straight to the person's own plan; else the plans shared with them (or none)."""
    own = visible_plans(request.reader).filter(identity=request.reader.identity).first()
    if own is not None:
        return redirect("myplan_plan", own.public_id)
    shared = _shared_with(request.reader)
    return render(request, "myplan/start.html", {"shared": shared})


def _shared_with(reader) -> list:
    """The plans shared with this reader, each person listed audited (a list is a read)."""
    shared = list(active_shares(reader).select_related("patient"))
    for share in shared:
        record(reader, "myplan.list", patient=share.patient, obj=share)
    return shared


def _plan_context(request, patient) -> dict:
    own = patient.identity == request.reader.identity
    sips, case = sources(patient)
    shared = _shared_with(request.reader) if own else []
    return {"patient": patient, "plan": build(patient, sips, case), "own": own, "shared": shared}


@require_GET
@reader_required
def plan(request, public_id):
    patient = get_plan_for_reader(request.reader, public_id)
    return render(request, "myplan/plan.html", _plan_context(request, patient))


@require_GET
@reader_required
def receipt(request, public_id):
    patient = get_plan_for_reader(request.reader, public_id, action="myplan.receipt.read")
    context = {**_plan_context(request, patient), "printed_at": timezone.now()}
    return pdf_response("myplan/pdf.html", context, "trygghetskvitto.pdf")


@require_GET
@reader_required
def readers(request, public_id):
    patient = get_own_plan(request.reader, public_id, action="myplan.log.read")
    return render(request, "myplan/readers.html", {"patient": patient, "rows": who_read(patient)})


@require_http_methods(["GET", "POST"])
@reader_required
def shares(request, public_id):
    patient = get_own_plan(request.reader, public_id, action="myplan.read")
    form = ShareForm(request.POST if request.method == "POST" else None)
    valid = request.method == "POST" and form.is_valid()
    share = services.share_plan
    if valid and run_service(form, share, request.reader, patient, **form.cleaned_data):
        messages.success(request, f"{form.cleaned_data['name']} kan nu läsa din plan.")
        return redirect("myplan_shares", patient.public_id)
    given = Share.objects.filter(patient=patient).order_by("-valid_from")
    context = {"patient": patient, "form": form, "given": given}
    return render(request, "myplan/shares.html", context, status=400 if form.errors else 200)


@require_POST
@reader_required
def revoke(request, public_id, share_id):
    patient = get_own_plan(request.reader, public_id, action="myplan.read")
    if run_with_messages(request, services.revoke_share, request.reader, patient, share_id):
        messages.success(request, "Samtycket är återkallat: personen kan inte längre läsa planen.")
    return redirect("myplan_shares", patient.public_id)


# --- staff ------------------------------------------------------------------------------------

STAFF_PAGES = {"sip": "sip_myplan", "arende": "case_myplan"}
PROTECTED = "Personen har skyddad folkbokföring: Min plan och trygghetskvittot visar ingenting."


@require_http_methods(["GET", "POST"])
@actor_required()
def staff_page(request, kind, public_id):
    """Release or hold back each item; the trygghetskvitto; a guardian's access (children)."""
    write = request.method == "POST"
    patient, sips, case = staff_sources(request.actor, kind, public_id, write=write)
    decision, guardian = DecisionForm(prefix="d"), GuardianForm(prefix="g")
    if request.method == "POST":
        done, decision, guardian = _staff_post(request, patient, sips, case)
        if done:
            return redirect(STAFF_PAGES[kind], public_id)
        patient, sips, case = staff_sources(request.actor, kind, public_id)  # shown again: read
    context = staff_view(request.actor, patient, sips, case)
    receipt_url = reverse(STAFF_PAGES[kind] + "_receipt", args=[public_id])
    context.update(receipt_url=receipt_url, decision=decision, guardian=guardian)
    status = 400 if decision.errors or guardian.errors else 200
    return render(request, "myplan/staff.html", context, status=status)


def _staff_post(request, patient, sips, case):
    decision = DecisionForm(request.POST if "d-item" in request.POST else None, prefix="d")
    guardian = GuardianForm(request.POST if "g-identity" in request.POST else None, prefix="g")
    if decision.is_bound:
        done = decision.is_valid() and decide(request.actor, patient, sips, case, decision)
    elif "s-revoke" in request.POST:
        done = _staff_revoke(request, patient)
    elif guardian.is_bound:
        kwargs = {**(guardian.cleaned_data if guardian.is_valid() else {}), "given_by": "guardian"}
        done = guardian.is_valid() and run_service(
            guardian, services.share_plan, request.actor, patient, **kwargs
        )
    else:
        raise Http404("Okänd åtgärd.")
    if done:
        messages.success(request, "Sparat.")
    return bool(done), decision, guardian


def _staff_revoke(request, patient) -> bool:
    """Staff end a next of kin's or guardian's access (e.g. custody changed), audited."""
    try:
        share_id = uuid.UUID(request.POST["s-revoke"])
    except ValueError:
        raise Http404("Samtycket finns inte.") from None
    return run_with_messages(request, services.revoke_share, request.actor, patient, share_id)


@require_GET
@actor_required()
def staff_receipt(request, kind, public_id):
    """The trygghetskvitto staff hand over: what Min plan shows of this SIP or stay."""
    patient, sips, case = staff_sources(request.actor, kind, public_id)
    if patient.protected_identity:  # Min plan shows nothing of them, so neither does paper
        raise PermissionDenied(PROTECTED)
    record(request.actor, "myplan.receipt.read", patient=patient)
    context = {"patient": patient, "plan": build(patient, sips, case), "own": True}
    context["printed_at"] = timezone.now()
    return pdf_response("myplan/pdf.html", context, "trygghetskvitto.pdf")
