"""Pages of the backup routine: the unit's snapshot, passphrase and downtime PCs (Reservrutin),
and the system admin's declared downtimes (Driftstopp)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from samverkan.core.errors import run_service, run_with_messages
from samverkan.directory.actor import actor_required

from . import fetching, services
from .forms import DowntimeForm, EndForm, PassphraseForm, PcForm
from .models import Downtime, Passphrase, Snapshot


def _unit_page(request, status=200, **forms):
    unit = request.actor.unit
    context = {
        "snapshot": Snapshot.objects.filter(unit=unit).first(),
        "with_pdf": fetching.newest(unit),
        "passphrase": Passphrase.objects.filter(unit=unit).select_related("set_by").first(),
        "pcs": unit.downtime_pcs.select_related("created_by"),
        "passphrase_form": forms.get("passphrase_form") or PassphraseForm(),
        "pc_form": forms.get("pc_form") or PcForm(),
        "token": forms.get("token"),
    }
    return render(request, "downtime/unit.html", context, status=status)


@require_GET
@actor_required("read_personal")
def unit_page(request):
    return _unit_page(request)


@require_POST
@actor_required("read_personal")
def take_snapshot(request):
    taken = services.take_snapshot(request.actor)
    messages.success(request, f"Nytt reservutdrag framtaget: {taken.cases} pågående ärenden.")
    return redirect("downtime_unit")


@require_GET
@actor_required("read_personal")
def download(request):
    snapshot = fetching.fetch_for_member(request.actor)
    response = HttpResponse(bytes(snapshot.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{fetching.filename(snapshot)}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@actor_required("manage_downtime")
def set_passphrase(request):
    form = PassphraseForm(request.POST)
    if form.is_valid() and run_service(
        form, services.set_passphrase, request.actor, form.cleaned_data["passphrase"]
    ):
        messages.success(request, "Lösenfrasen är sparad. Nästa utdrag krypteras med den.")
        return redirect("downtime_unit")
    return _unit_page(request, status=400, passphrase_form=form)


@require_POST
@actor_required("manage_downtime")
def register_pc(request):
    form = PcForm(request.POST)
    done = form.is_valid() and run_service(
        form, services.register_pc, request.actor, form.cleaned_data["name"]
    )
    if not done:
        return _unit_page(request, status=400, pc_form=form)
    pc, token = done
    return _unit_page(request, token={"pc": pc, "value": token})  # shown once, never stored


@require_POST
@actor_required()
def revoke_pc(request, public_id):
    pc = get_object_or_404(request.actor.unit.downtime_pcs, public_id=public_id)
    request.actor.require("manage_downtime")  # another unit's PC was 404 above
    if run_with_messages(request, services.revoke_pc, request.actor, pc):
        messages.success(request, f"Reservdatorn {pc.name} är spärrad.")
    return redirect("downtime_unit")


# -- declared downtime (system admin)


def _downtimes_page(request, form=None, status=200):
    context = {
        "downtimes": Downtime.objects.select_related("principal", "unit", "declared_by")[:100],
        "form": form or DowntimeForm(),
        "end_form": EndForm(),
    }
    return render(request, "downtime/downtimes.html", context, status=status)


@require_GET
@actor_required("declare_downtime")
def downtimes(request):
    return _downtimes_page(request)


@require_POST
@actor_required("declare_downtime")
def declare(request):
    form = DowntimeForm(request.POST)
    if form.is_valid() and run_service(
        form, services.declare_downtime, request.actor, form.cleaned_data
    ):
        messages.success(request, "Driftstoppet är utlyst och visas för alla som berörs.")
        return redirect("downtimes")
    return _downtimes_page(request, form, status=400)


@require_POST
@actor_required("declare_downtime")
def end(request, pk):
    downtime = get_object_or_404(Downtime, pk=pk)
    form = EndForm(request.POST)
    ends_at = form.cleaned_data["ends_at"] if form.is_valid() else None
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("ends_at", ["Ogiltig tid."])))
    elif run_with_messages(request, services.end_downtime, request.actor, downtime, ends_at):
        messages.success(request, "Slutet på driftstoppet är sparat.")
    return redirect("downtimes")
