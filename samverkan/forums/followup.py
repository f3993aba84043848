"""Following up the forums: open assignments per forum, owner and organisation with overdue
marked, the owner's worklist section, and search across decisions, assignments and minutes.
Everything goes through the chokepoint's visible querysets."""

from datetime import datetime, time

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from samverkan.core.worklists import Entry
from samverkan.directory.models import Principal

from . import standing
from .access import visible_assignments, visible_items
from .models import Assignment, Decision, Forum

OPEN = Assignment.Status.OPEN
RESULTS = 50


def open_assignments(actor):
    return (
        visible_assignments(actor)
        .filter(status=OPEN)
        .select_related("forum", "principal", "user", "decision__item__meeting")
    )


def carried(meeting):
    """What the meeting's Föregående protokoll follows up, live until publication."""
    return {
        "assignments": list(standing.open_assignments(meeting)),
        "referrals": standing.referrals(meeting),
    }


def _pick(model, value):
    try:
        return model.objects.filter(public_id=value).first() if value else None
    except Exception:  # noqa: BLE001 - a malformed id in the query string is no filter
        return None


def assignment_list(actor, params) -> dict:
    """Open assignments, filtered by forum, organisation (code) or "mine"."""
    found = open_assignments(actor)
    forum = _pick(Forum, params.get("forum"))
    principal = Principal.objects.filter(code=params.get("org", "")[:4]).first()
    if forum:
        found = found.filter(forum=forum)
    if principal:
        found = found.filter(principal=principal)
    if params.get("mina"):
        found = found.filter(user=actor.user)
    today = timezone.localdate()
    rows = [(a, a.is_overdue(today)) for a in found]
    return {
        "rows": rows,
        "forums": Forum.objects.all(),
        "principals": Principal.objects.all(),
        "forum": forum,
        "principal": principal,
        "mine": bool(params.get("mina")),
        "overdue": sum(o for _, o in rows),
    }


def probe(actor):
    """The user's own open assignments (most users have none: core.worklists asks first)."""
    return visible_assignments(actor).filter(status=OPEN, user=actor.user)


def panel(actor, now):
    """The start page's section: the user's own open assignments, overdue first."""
    today = timezone.localdate(now)
    mine = list(open_assignments(actor).filter(user=actor.user))
    mine.sort(key=lambda a: (not a.is_overdue(today), a.due_on or today.replace(year=9999)))
    entries = [_entry(a, today) for a in mine]
    return [("forum_assignments", "Uppdrag från samverkansforum", entries)] if entries else []


def _entry(a: Assignment, today) -> Entry:
    due = a.due_on
    when = datetime.combine(due, time(23, 59), timezone.get_current_timezone()) if due else None
    item = a.decision.item
    return Entry(
        href=reverse("meeting_detail", args=[item.meeting.public_id]) + f"#p-{item.public_id}",
        title=str(a.forum),
        text=a.text,
        due_at=when,
        overdue=a.is_overdue(today),
        detail=f"§ {item.paragraph}" if item.paragraph else "",
    )


def search(actor, q: str) -> dict:
    """Decisions, assignments and minutes' items the actor may read that contain `q`."""
    items = visible_items(actor)
    return {
        "items": items.filter(Q(title__icontains=q) | Q(notes__icontains=q))
        .select_related("meeting__forum")
        .order_by("-meeting__starts_at")[:RESULTS],
        "decisions": Decision.objects.filter(item__in=items, text__icontains=q)
        .select_related("item__meeting__forum")
        .order_by("-item__meeting__starts_at")[:RESULTS],
        "assignments": visible_assignments(actor)
        .filter(Q(text__icontains=q) | Q(name__icontains=q) | Q(done_note__icontains=q))
        .select_related("forum", "principal", "user", "decision__item__meeting")[:RESULTS],
    }
