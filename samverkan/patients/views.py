"""Person pages: look-up by identity number, registration, details, next of kin."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.audit.log import record
from samverkan.cases.access import visible_cases
from samverkan.cases.forms import OpenCaseForm
from samverkan.cases.models import Case
from samverkan.core.errors import run_service
from samverkan.directory.actor import actor_required

from . import services
from .access import get_patient_for_actor
from .forms import EditForm, LookupForm, NextOfKinForm, RegisterForm


@require_http_methods(["GET", "POST"])
@actor_required("write_personal")
def lookup(request):
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = run_service(
            form, services.look_up_patient, request.actor, form.cleaned_data["identity"]
        )
        if found and found[1]:
            return redirect("patient_detail", found[1].public_id)
        if found:
            register = RegisterForm(initial={"identity": found[0].display})
            return render(
                request, "patients/register.html", {"form": register, "not_found": found[0]}
            )
    return render(request, "patients/lookup.html", {"form": form}, status=_status(form))


@require_POST
@actor_required("write_personal")
def register(request):
    form = RegisterForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "identity"}
        patient = run_service(
            form, services.register_patient, request.actor, form.cleaned_data["identity"], data
        )
        if patient:
            return redirect("patient_detail", patient.public_id)
    return render(request, "patients/register.html", {"form": form}, status=400)


@require_http_methods(["GET"])
@actor_required()
def detail(request, public_id):
    patient = get_patient_for_actor(request.actor, public_id)
    return render(request, "patients/detail.html", _detail_context(request.actor, patient))


def _detail_context(actor, patient, kin_form=None) -> dict:
    cases = visible_cases(actor).filter(patient=patient).select_related("ward")
    return {
        "patient": patient,
        "kin_form": kin_form or NextOfKinForm(),
        "cases": cases,
        "can_write": actor.can("write_personal"),
        "open_form": OpenCaseForm(),
        "can_open_case": actor.can("write_personal")
        and actor.unit.looks_up_patients
        and not patient.cases.filter(state__in=Case.IN_PROGRESS).exists(),
    }


@require_http_methods(["GET", "POST"])
@actor_required()
def edit(request, public_id):
    patient = get_patient_for_actor(request.actor, public_id, write=True)
    form = EditForm(request.POST or None, instance=patient, initial={"version": patient.version})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        patient.refresh_from_db()  # the form wrote into the instance; compare with the database
        if run_service(
            form,
            services.update_patient,
            request.actor,
            patient,
            form.cleaned_data["version"],
            data,
        ):
            return redirect("patient_detail", patient.public_id)
    record(request.actor, "patient.read", patient=patient, obj=patient)  # the form shows them
    return render(
        request, "patients/edit.html", {"form": form, "patient": patient}, status=_status(form)
    )


@require_POST
@actor_required()
def add_kin(request, public_id):
    patient = get_patient_for_actor(request.actor, public_id, write=True)
    form = NextOfKinForm(request.POST)
    if form.is_valid() and run_service(
        form, services.add_next_of_kin, request.actor, patient, form.cleaned_data
    ):
        return redirect("patient_detail", patient.public_id)
    record(request.actor, "patient.read", patient=patient, obj=patient)  # shown again below
    return render(
        request, "patients/detail.html", _detail_context(request.actor, patient, form), status=400
    )


@require_POST
@actor_required()
def remove_kin(request, public_id, kin_id):
    patient = get_patient_for_actor(request.actor, public_id, write=True)
    kin = get_object_or_404(patient.next_of_kin, public_id=kin_id)
    services.remove_next_of_kin(request.actor, patient, kin)
    return redirect("patient_detail", patient.public_id)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200
