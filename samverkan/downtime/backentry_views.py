"""The backup routine's pages after a downtime: back-entry on a case, the unit's
reconciliation list, and the pre-filled paper forms. Thin: access, form, service, response."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.audit.log import record, record_reads
from samverkan.cases.access import get_case_for_actor
from samverkan.cases.services import default_recipients
from samverkan.core.errors import run_service, run_with_messages
from samverkan.directory.actor import actor_required
from samverkan.lib.pdf import pdf_response

from . import paper, reconciliation
from .backentry import register_back_entry, withdraw_back_entry
from .backentry_forms import BackEntryForm


@require_http_methods(["GET", "POST"])
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def back_entry(request, public_id):
    case = get_case_for_actor(request.actor, public_id, write=True)
    questions = case.messages.filter(kind="question")
    initial = {"kind": request.GET.get("handelse", ""), "source": "telefon"}
    form = BackEntryForm(request.POST or None, initial=initial, questions=questions)
    if request.method == "POST" and form.is_valid():
        entry = run_service(form, register_back_entry, request.actor, case, **form.service_kwargs())
        if entry:
            _said(request, entry)
            return redirect("case_detail", case.public_id)
    record(request.actor, "case.read", patient=case.patient, obj=case)  # the form shows it
    entries = case.back_entries.select_related("entered_by", "unit")
    context = {"case": case, "form": form, "entries": entries, "kinds": paper.KINDS}
    return render(request, "downtime/back_entry.html", context, status=400 if form.errors else 200)


@require_POST
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def withdraw(request, public_id, entry_id):
    case = get_case_for_actor(request.actor, public_id, write=True)
    entry = get_object_or_404(case.back_entries, public_id=entry_id)
    if run_with_messages(request, withdraw_back_entry, request.actor, entry):
        messages.success(request, "Den väntande posten är borttagen.")
    return redirect("case_back_entry", case.public_id)


def _said(request, entry) -> None:
    if entry.applied:
        messages.success(request, f"{entry.get_kind_display()} är efterregistrerat.")
    else:
        messages.warning(
            request, f"{entry.get_kind_display()} är sparat men väntar: {entry.waiting}"
        )


@require_GET
@actor_required("read_personal")
def reconciliation_list(request, downtime_id):
    downtime = reconciliation.downtime_of(request.actor, downtime_id)
    rows = reconciliation.remaining(request.actor, downtime)
    record_reads(request.actor, "case.list", [r.case.patient for r in rows])
    context = {"downtime": downtime, "rows": rows}
    return render(request, "downtime/reconciliation.html", context)


@require_GET
@actor_required()  # the chokepoint: 404 for outsiders, then the role
def paper_form(request, public_id, kind):
    if kind not in paper.KINDS:
        raise Http404("Det finns ingen sådan blankett.")
    case = get_case_for_actor(request.actor, public_id)  # audited as a read
    context = paper.context(case, kind, default_recipients(case))
    return pdf_response("downtime/paper_form_pdf.html", context, f"{kind}-{case.short_id}.pdf")
