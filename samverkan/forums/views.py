"""Forum pages: the forums, a forum with its year plan and working groups, a meeting from
agenda to published minutes with its actions, the PDF, documents, open assignments and search.
Thin: access, form, service."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samverkan.audit.log import record
from samverkan.core.errors import run_service
from samverkan.directory.actor import actor_required

from . import followup, services
from .access import (
    get_assignment_for_actor,
    get_item_for_actor,
    get_meeting_for_actor,
    is_member,
    is_secretary,
    memberships,
    require_secretary,
    shown_items,
    visible_forums,
    visible_meetings,
)
from .actions import GROUP, ITEM, MEETING, PER_DECISION, group_form, make_form, offered
from .forms import CompleteForm, MeetingForm, SearchForm, YearPlanForm
from .models import Document, WorkingGroup
from .pdf import minutes_context

SELF_CHECKED = {"adjust"}  # the service checks the adjuster; the page reads the meeting


@require_GET
@actor_required()
def forum_index(request):
    mine = set(memberships(request.actor.user).values_list("forum_id", flat=True))
    forums = visible_forums(request.actor).select_related("parent")
    return render(request, "forums/index.html", {"forums": forums, "mine": mine})


def _forum(actor, public_id):
    forum = visible_forums(actor).filter(public_id=public_id).first()
    if forum is None:
        raise Http404("Forumet finns inte.")
    return forum


def forum_context(actor, forum, **forms) -> dict:
    secretary = is_secretary(actor.user, forum)
    return {
        "forum": forum,
        "members": forum.members.filter(active=True).select_related("user", "principal"),
        "meetings": visible_meetings(actor).filter(forum=forum),
        "groups": forum.groups.select_related("convenor_principal"),
        "assignments": followup.open_assignments(actor).filter(forum=forum),
        "today": timezone.localdate(),
        "secretary": secretary,
        "meeting_form": forms.get("meeting_form") or (MeetingForm() if secretary else None),
        "year_form": forms.get("year_form") or (YearPlanForm() if secretary else None),
    }


@require_GET
@actor_required()
def forum_detail(request, public_id):
    forum = _forum(request.actor, public_id)
    return render(request, "forums/forum.html", forum_context(request.actor, forum))


@require_POST
@actor_required()
def forum_plan(request, public_id, plan):
    if plan not in ("mote", "arsplan"):
        raise Http404("Okänd åtgärd.")
    forum = _forum(request.actor, public_id)
    require_secretary(request.actor, forum)
    year = plan == "arsplan"
    form = (YearPlanForm if year else MeetingForm)(request.POST)
    service = services.plan_year if year else services.plan_meeting
    if form.is_valid() and run_service(form, service, request.actor, forum, **form.cleaned_data):
        messages.success(request, "Årsplanen är sparad." if year else "Mötet är planerat.")
        return redirect("forum_detail", forum.public_id)
    forms = {"year_form" if year else "meeting_form": form}
    return render(
        request, "forums/forum.html", forum_context(request.actor, forum, **forms), status=400
    )


def groups_context(actor, forum, failed=None) -> dict:
    failed = failed or {}
    secretary = is_secretary(actor.user, forum)
    groups = list(
        forum.groups.select_related("convenor_user", "convenor_principal").prefetch_related(
            "members__user", "members__principal"
        )
    )
    for group in groups:
        group.forms = [
            (a, failed.get((a.key, group.pk)) or group_form(a, group))
            for a in GROUP.values()
            if secretary and a.key != "remove"
        ]
        group.failed = any(key[1] == group.pk for key in failed)
    return {"forum": forum, "groups": groups, "secretary": secretary}


@require_GET
@actor_required()
def forum_groups(request, public_id):
    forum = _forum(request.actor, public_id)
    return render(request, "forums/groups.html", groups_context(request.actor, forum))


@require_POST
@actor_required()
def forum_group_action(request, public_id, action):
    step = GROUP.get(action) or _unknown()
    forum = _forum(request.actor, public_id)
    require_secretary(request.actor, forum)
    group = _group(forum, request.POST.get("group", ""))
    form = group_form(step, group, request.POST)
    data = form.cleaned_data if form.is_valid() else None
    if (
        data is not None
        and run_service(form, step.service, request.actor, group, **data) is not None
    ):
        messages.success(request, f"{group.name}: {step.label.lower()} – klart.")
        return redirect("forum_groups", forum.public_id)
    context = groups_context(request.actor, forum, {(action, group.pk): form})
    shown = form.errors.values() if action == "remove" else [form.non_field_errors()]
    for error in (e for errors in shown for e in errors):
        messages.error(request, error)
    return render(request, "forums/groups.html", context, status=400)


def _group(forum, group_id: str):
    try:
        return forum.groups.get(public_id=uuid.UUID(group_id))
    except (ValueError, WorkingGroup.DoesNotExist):
        raise Http404("Arbetsgruppen finns inte.") from None


def meeting_context(actor, meeting, failed=None) -> dict:
    failed = failed or {}
    items = shown_items(actor, meeting).select_related("referral__from_forum")
    member = is_member(actor.user, meeting.forum)
    public = meeting.is_published and not member
    context = minutes_context(meeting, items)
    context.update(
        public=public,
        member=member,
        actions=[
            (a, failed.get(a.key) or make_form(a, meeting))
            for a in offered(MEETING, actor, meeting)
        ],
        item_actions=[a for a in offered(ITEM, actor, meeting) if a.key not in PER_DECISION],
        withdraw=any(a.key in PER_DECISION for a in offered(ITEM, actor, meeting)),
        failed=failed,
        unrepresented=_unrepresented(meeting) if member else [],
        documents=Document.objects.filter(item__in=items),
        carried=followup.carried(meeting) if member and not meeting.is_published else None,
    )
    for item in context["items"]:
        item.failed = {key for key in failed if isinstance(key, tuple) and key[1] == item.pk}
        item.forms = [
            (a, failed.get((a.key, item.pk)) or make_form(a, meeting, item=item))
            for a in context["item_actions"]
        ]
    return context


def _unrepresented(meeting) -> list:
    """The warning, once attendance is recorded."""
    return list(services.unrepresented(meeting)) if meeting.attendance.exists() else []


@require_GET
@actor_required()
def meeting_detail(request, public_id):
    meeting = get_meeting_for_actor(request.actor, public_id)
    return render(request, "forums/meeting.html", meeting_context(request.actor, meeting))


def _done(request, meeting, label):
    messages.success(request, f"{label}: klart.")
    return redirect("meeting_detail", meeting.public_id)


@require_POST
@actor_required()
def meeting_action(request, public_id, action):
    step = MEETING.get(action) or _unknown()
    meeting = get_meeting_for_actor(request.actor, public_id, write=action not in SELF_CHECKED)
    form = make_form(step, meeting, request.POST)
    data = form.cleaned_data if form.is_valid() else None
    if (
        data is not None
        and run_service(form, step.service, request.actor, meeting, **data) is not None
    ):
        return _done(request, meeting, step.label)
    return _failed(request, public_id, {action: form}, form)


@require_POST
@actor_required()
def item_action(request, public_id, item_id, action):
    step = ITEM.get(action) or _unknown()
    meeting = get_meeting_for_actor(request.actor, public_id, write=True)
    item = get_item_for_actor(request.actor, meeting, item_id)
    form = make_form(step, meeting, request.POST, request.FILES, item=item)
    data = form.cleaned_data if form.is_valid() else None
    if (
        data is not None
        and run_service(form, step.service, request.actor, item, **data) is not None
    ):
        return _done(request, meeting, step.label)
    return _failed(request, public_id, {(action, item.pk): form}, form)


def _unknown():
    raise Http404("Okänd åtgärd.")


def _failed(request, public_id, failed, form):
    meeting = get_meeting_for_actor(request.actor, public_id)  # shown again: a read
    for error in form.non_field_errors():
        messages.error(request, error)
    context = meeting_context(request.actor, meeting, failed)
    return render(request, "forums/meeting.html", context, status=400)


@require_GET
@actor_required()
def minutes_pdf(request, public_id):
    meeting = get_meeting_for_actor(request.actor, public_id)
    if not meeting.is_published:
        raise Http404("Protokollet är inte publicerat.")
    response = HttpResponse(bytes(meeting.pdf), content_type="application/pdf")
    day = timezone.localtime(meeting.starts_at).date()
    response["Content-Disposition"] = f'inline; filename="protokoll-{day:%Y-%m-%d}.pdf"'
    return response


@require_GET
@actor_required()
def document(request, public_id, document_id):
    meeting = get_meeting_for_actor(request.actor, public_id)
    items = shown_items(request.actor, meeting)
    found = Document.objects.filter(item__in=items, public_id=document_id).first()
    if found is None:
        raise Http404("Handlingen finns inte.")
    record(request.actor, "forum.document.read", obj=found, detail={"meeting": str(public_id)})
    response = HttpResponse(found.file.read(), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.public_id}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@actor_required()
def assignments(request):
    context = followup.assignment_list(request.actor, request.GET)
    return render(request, "forums/assignments.html", context)


@require_POST
@actor_required()
def complete(request, public_id):
    assignment = get_assignment_for_actor(request.actor, public_id)
    form = CompleteForm(request.POST)
    if form.is_valid() and run_service(
        form, services.complete_assignment, request.actor, assignment, **form.cleaned_data
    ):
        messages.success(request, "Uppdraget är klarmarkerat.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("start" if request.POST.get("next") == "start" else "forum_assignments")


@require_GET
@actor_required()
def search(request):
    form = SearchForm(request.GET or None)
    found = followup.search(request.actor, form.cleaned_data["q"]) if form.is_valid() else None
    return render(request, "forums/search.html", {"form": form, "found": found})
