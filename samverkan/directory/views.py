"""Directory pages: start page, unit switch, contact directory, members, unit contact details."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.audit.log import record
from samverkan.core.errors import run_service, run_with_messages

from . import services
from .actor import actor_required
from .forms import AddMemberForm, RoleForm, SwitchUnitForm, UnitContactForm
from .middleware import SESSION_KEY
from .models import Principal, Unit
from .picker import CHOICES_SHOWN, found_choices, picked_field, searched
from .search import filtered_units


@require_POST
@actor_required()
def switch_unit(request):
    form = SwitchUnitForm(request.POST)
    chosen = form.is_valid() and next(
        (m for m in request.memberships if m.public_id == form.cleaned_data["membership"]), None
    )
    if not chosen:
        messages.error(request, "Du är inte medlem i den enheten.")
        return redirect("start")
    request.session[SESSION_KEY] = str(chosen.public_id)
    record(request.actor, "unit.switch", obj=chosen.unit, detail={"to": chosen.unit.hsa_id})
    return redirect("start")


@require_GET
@actor_required()
def contacts(request):
    units = filtered_units(request.GET)
    receivers = set(
        Principal.objects.exclude(notice_unit=None).values_list("notice_unit", flat=True)
    )
    context = {
        "units": units,
        "receivers": receivers,
        "principals": Principal.objects.all(),
        "kinds": Unit.Kind.choices,
        "params": request.GET,
    }
    template = (
        "directory/_contact_rows.html"
        if request.headers.get("HX-Request")
        else "directory/contacts.html"
    )
    return render(request, template, context)


@require_GET
@actor_required()
def unit_choices(request):
    """The "add a unit" search of a form (HTMX): the units ticked among earlier finds, then the
    matching active units, as checkboxes of the form's field; the listed units are left out."""
    name = picked_field(request.GET)
    context = {"choices": found_choices(request.GET, name), "name": name, "limit": CHOICES_SHOWN}
    context["asked"] = bool(context["choices"]) or searched(request.GET)
    return render(request, "directory/_unit_choices.html", context)


@require_GET
@actor_required("manage_members")
def members(request):
    return _members_page(request, AddMemberForm())


def _members_page(request, form, status=200):
    unit_members = request.actor.unit.memberships.select_related("user").order_by("user__last_name")
    return render(
        request,
        "directory/members.html",
        {"members": unit_members, "form": form, "role_form": RoleForm()},
        status=status,
    )


@require_POST
@actor_required("manage_members")
def add_member(request):
    form = AddMemberForm(request.POST)
    if form.is_valid() and run_service(form, services.add_member, request.actor, form.cleaned_data):
        messages.success(request, f"{form.cleaned_data['username']} är nu medlem i enheten.")
        return redirect("members")
    return _members_page(request, form, status=400)


@require_POST
@actor_required()
def change_role(request, membership_id):
    membership = get_object_or_404(request.actor.unit.memberships, public_id=membership_id)
    request.actor.require("manage_members")  # another unit's member was 404 above
    form = RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else request.POST.get("role", "")
    if run_with_messages(request, services.change_role, request.actor, membership, role):
        messages.success(request, f"Rollen för {membership.user.username} är ändrad.")
    return redirect("members")


@require_POST
@actor_required()
def remove_member(request, membership_id):
    membership = get_object_or_404(request.actor.unit.memberships, public_id=membership_id)
    request.actor.require("manage_members")  # another unit's member was 404 above
    if run_with_messages(request, services.remove_member, request.actor, membership):
        messages.success(request, f"{membership.user.username} är borttagen ur enheten.")
    return redirect("members")


@require_http_methods(["GET", "POST"])
@actor_required("manage_members")
def unit_contact(request):
    form = UnitContactForm(request.POST or None, instance=request.actor.unit)
    if request.method == "POST" and form.is_valid():
        services.update_unit_contact(request.actor, form.cleaned_data)
        messages.success(request, "Kontaktuppgifterna är sparade.")
        return redirect("contacts")
    status = 400 if form.errors else 200
    return render(request, "directory/unit_contact.html", {"form": form}, status=status)
