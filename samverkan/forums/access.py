"""The one way code reaches a forum's meetings: published minutes are public documents that
every logged-in user reads (secret items held back); drafts are seen by the forum's members
only (others get 404); only the secretary edits (other members 403). Reads are audited."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from samverkan.audit.log import record

from .models import AgendaItem, Assignment, Forum, Meeting, Member, Role

MISSING = "Mötet finns inte eller protokollet är inte publicerat än."


def memberships(user) -> QuerySet[Member]:
    return Member.objects.filter(user=user, active=True)


def member_of(user, forum: Forum) -> Member | None:
    return memberships(user).filter(forum=forum).first()


def is_member(user, forum: Forum) -> bool:
    return memberships(user).filter(forum=forum).exists()


def is_secretary(user, forum: Forum) -> bool:
    return memberships(user).filter(forum=forum, role=Role.SECRETARY).exists()


def visible_forums(actor) -> QuerySet[Forum]:
    """Every logged-in user sees the forums (their names, members and published minutes)."""
    return Forum.objects.all()


def _own_forums(actor) -> Q:
    return Q(forum_id__in=memberships(actor.user).values("forum_id"))


def visible_meetings(actor) -> QuerySet[Meeting]:
    """Published meetings, and every meeting of the actor's own forums."""
    return Meeting.objects.filter(Q(status=Meeting.Status.PUBLISHED) | _own_forums(actor))


def visible_items(actor) -> QuerySet[AgendaItem]:
    """Items of visible meetings; a secret item only to the forum's members."""
    own = Q(forum_id__in=memberships(actor.user).values("forum_id"))
    public = Q(meeting__status=Meeting.Status.PUBLISHED, secret=False)
    return AgendaItem.objects.filter(own | public)


def visible_assignments(actor) -> QuerySet[Assignment]:
    """Assignments of decisions in items the actor may read."""
    return Assignment.objects.filter(decision__item__in=visible_items(actor))


def get_meeting_for_actor(actor, public_id, *, write: bool = False) -> Meeting:
    """A meeting to read (audited) or to edit (the forum's secretary only)."""
    meeting = visible_meetings(actor).select_related("forum").filter(public_id=public_id).first()
    if meeting is None:
        raise Http404(MISSING)
    if write:
        require_secretary(actor, meeting.forum)
    else:
        record(actor, "forum.meeting.read", obj=meeting)
    return meeting


def require_secretary(actor, forum: Forum) -> None:
    if not is_secretary(actor.user, forum):
        raise PermissionDenied("Bara forumets sekreterare får ändra dagordning och protokoll.")


def get_item_for_actor(actor, meeting: Meeting, public_id) -> AgendaItem:
    """An item of a meeting already fetched through the chokepoint."""
    item = visible_items(actor).filter(meeting=meeting, public_id=public_id).first()
    if item is None:
        raise Http404("Punkten finns inte.")
    return item


def shown_items(actor, meeting: Meeting) -> QuerySet[AgendaItem]:
    return visible_items(actor).filter(meeting=meeting).select_related("presenter_principal")


def get_assignment_for_actor(actor, public_id) -> Assignment:
    found = visible_assignments(actor).select_related("forum").filter(public_id=public_id).first()
    if found is None:
        raise Http404("Uppdraget finns inte.")
    return found
