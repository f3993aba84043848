"""Pages of the follow-up call (the list, the script), its statistics, the trust survey and
the SIP experience. Thin: access, form, service, response."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.audit.log import record_reads
from samverkan.core.errors import run_service
from samverkan.directory.actor import actor_required

from . import services, stats, surveys
from .access import calls_of, get_call_for_actor
from .forms import CallForm, SipExperienceForm, TrustForm
from .models import CallRule
from .rules import CONTACT_QUESTION, describe


@require_GET
@actor_required("read_personal")
def call_list(request):
    actor = request.actor
    calls = list(calls_of(actor)[:200])
    record_reads(actor, "followup_call.list", [c.case.patient for c in calls])
    rules = [describe(r) for r in CallRule.objects.filter(callers=actor.unit, active=True)]
    context = {"calls": calls, "rules": rules, "today": timezone.localdate(), "open": "open"}
    return render(request, "experience/call_list.html", context)


@require_http_methods(["GET", "POST"])
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def call_detail(request, public_id):
    writing = request.method == "POST"
    call = get_call_for_actor(request.actor, public_id, write=writing)
    form = CallForm(request.POST or None, units=services.action_units(call.case))
    if writing and form.is_valid():
        done = run_service(
            form,
            services.record_attempt,
            request.actor,
            call,
            outcome=form.cleaned_data["outcome"],
            answers=form.answers(),
        )
        if done:
            messages.success(request, f"Försöket är registrerat: {done.get_state_display()}.")
            return redirect("followup_call", call.public_id)
    context = {"call": call, "form": form, "contact_question": CONTACT_QUESTION}
    context["attempts"] = call.attempts.select_related("by", "unit")
    return render(request, "experience/call.html", context, status=400 if form.errors else 200)


@require_GET
@actor_required()
def call_statistics(request):
    report = stats.call_report(stats.period_from(request.GET))
    return render(request, "experience/statistics.html", {"report": report})


@require_http_methods(["GET", "POST"])
@actor_required()
def trust_survey(request):
    survey = surveys.open_survey(timezone.localdate())
    form = TrustForm(request.POST or None, principals=surveys.others(request.actor))
    posted = survey and request.method == "POST" and form.is_valid()
    if posted and run_service(form, surveys.answer_trust, request.actor, survey, form.scores()):
        messages.success(request, "Tack! Ditt svar är sparat utan koppling till dig.")
        return redirect("trust_survey")
    results = surveys.trust_results(surveys.last_closed(timezone.localdate()))
    context = {"survey": survey, "form": form, "results": results, "results_list": [results]}
    context["answered"] = surveys.has_answered(request.actor, survey)
    context["may_answer"] = surveys.may_answer(request.actor)
    return render(request, "experience/trust.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def sip_experience(request, public_id):
    writing = request.method == "POST"
    sip = surveys.get_sip(request.actor, public_id, write=writing)
    form = SipExperienceForm(request.POST or None, meetings=surveys.unrated_meetings(sip))
    register = surveys.register_sip_experience
    if (
        writing
        and form.is_valid()
        and run_service(form, register, request.actor, sip, **form.values())
    ):
        messages.success(request, "Upplevelsen av SIP-mötet är registrerad.")
        return redirect("sip_detail", sip.public_id)
    context = {"sip": sip, "form": form}
    return render(
        request, "experience/sip_experience.html", context, status=400 if form.errors else 200
    )
