"""The notifications page (reading marks them read) and the header's unread count."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samverkan.directory.actor import actor_required

from .notify import mark_read, shown, unit_notifications, unread_count


@require_GET
@actor_required("read_personal")
def notifications(request):
    page = Paginator(unit_notifications(request.actor), 50).get_page(request.GET.get("sida"))
    rows = shown(request.actor, page)
    unread = {n.id for n in rows if n.read_at is None}
    mark_read(request.actor, unread)
    context = {"page": page, "rows": rows, "unread": unread}
    return render(request, "notifications/notifications.html", context)


def header_context(request):
    """The unit's unread notifications, for the header on every page."""
    actor = getattr(request, "actor", None)
    readable = actor is not None and actor.can("read_personal")
    return {"unread_notifications": unread_count(actor) if readable else 0}
