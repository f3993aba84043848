"""The forum API: forums, meetings with agenda and minutes, decisions and open assignments,
with the conventions of the rest (tokens, Idempotency-Key, bounded fields, structured errors).
Reads and writes go through the forums' chokepoint and services."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from samverkan.core.errors import invalid
from samverkan.directory.models import Principal
from samverkan.forums import services
from samverkan.forums.access import (
    get_assignment_for_actor,
    get_item_for_actor,
    get_meeting_for_actor,
    shown_items,
    visible_forums,
    visible_meetings,
)
from samverkan.forums.followup import open_assignments
from samverkan.forums.models import Forum, Member

from .cases import ERRORS, page_of
from .idempotency import locate
from .schemas import AccountText, In, Line, Paging, WebLink

router = Router(tags=["Forum"])

Kinds = Literal["B", "I", "D", "BI", "BD", "ID", "BID"]


class ForumOut(Schema):
    id: UUID
    name: str
    parent: UUID | None


class DecisionOut(Schema):
    text: str
    assignments: list[UUID]
    referrals: list[UUID]


class ItemOut(Schema):
    id: UUID
    paragraph: int | None = Field(description="§ number, per forum and calendar year")
    title: str
    kinds: str = Field(description="B beslut, I information, D diskussion")
    standing: str
    presenter: str
    presenter_principal: str | None
    description: str
    notes: str
    secret: bool = Field(description="Secret items are shown to the forum's members only")
    decisions: list[DecisionOut]
    figures: list[dict]


class AttendanceOut(Schema):
    name: str
    principal: str
    status: str


class MeetingOut(Schema):
    id: UUID
    forum: UUID
    starts_at: datetime
    ends_at: datetime
    place: str
    web_link: str
    status: str
    adjust_by: date | None
    published_at: datetime | None
    items: list[ItemOut]
    attendance: list[AttendanceOut]
    unrepresented: list[str] = Field(description="Member principals nobody attends for")
    version: int


class MeetingSummary(Schema):
    id: UUID
    starts_at: datetime
    status: str


class AssignmentOut(Schema):
    id: UUID
    forum: UUID
    meeting: UUID
    paragraph: int | None
    text: str
    owner: str
    principal: str
    due_date: date | None
    due_month: str | None = Field(description="YYYY-MM")
    overdue: bool
    status: str


class AssignmentPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AssignmentOut]


class MeetingPlanIn(In):
    starts_at: datetime
    ends_at: datetime
    place: Line = ""
    web_link: WebLink = Field("", max_length=500)


class ItemIn(In):
    title: str = Field(min_length=1, max_length=200)
    kinds: Kinds = "I"
    presenter_name: str = Field("", max_length=120)
    presenter_principal: str | None = Field(None, max_length=4, description="Principal code")
    description: AccountText = ""
    secret: bool = False


class DecisionIn(In):
    text: str = Field(min_length=1, max_length=1000, description='An "att …" line')
    creates: Literal["", "assignment", "group", "referral"] = ""
    owner_name: str = Field("", max_length=120)
    owner_username: str | None = Field(None, max_length=150, description="A forum member's user")
    principal: str | None = Field(None, max_length=4, description="Principal code")
    task: str = Field("", max_length=500)
    due_date: date | None = None
    due_month: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    group_name: str = Field("", max_length=120)
    mandate: AccountText = ""
    to_forum: UUID | None = None
    question: str = Field("", max_length=1000)


class DoneIn(In):
    note: str = Field("", max_length=1000)


def _principal(code: str | None, field: str):
    if not code:
        return None
    found = Principal.objects.filter(code=code).first()
    if found is None:
        raise invalid(field, "unknown_principal", "Okänd huvudman.")
    return found


def _forum(actor, forum_id) -> Forum:
    forum = visible_forums(actor).filter(public_id=forum_id).first()
    if forum is None:
        raise Http404("Forumet finns inte.")
    return forum


def _item_out(item) -> dict:
    return {
        "id": item.public_id,
        "paragraph": item.paragraph,
        "title": item.title,
        "kinds": item.kinds,
        "standing": item.standing,
        "presenter": item.presenter_name,
        "presenter_principal": item.presenter_principal.code if item.presenter_principal else None,
        "description": item.description,
        "notes": item.notes,
        "secret": item.secret,
        "figures": item.figures,
        "decisions": [
            {
                "text": d.text,
                "assignments": [a.public_id for a in d.assignments.all()],
                "referrals": [r.public_id for r in d.referrals.all()],
            }
            for d in item.decisions.all()
        ],
    }


def meeting_out(actor, m) -> dict:
    items = shown_items(actor, m).prefetch_related("decisions__assignments", "decisions__referrals")
    return {
        **{f: getattr(m, f) for f in ("starts_at", "ends_at", "place", "web_link", "status")},
        **{f: getattr(m, f) for f in ("adjust_by", "published_at", "version")},
        "id": m.public_id,
        "forum": m.forum.public_id,
        "items": [_item_out(i) for i in items],
        "attendance": [
            {"name": a.name, "principal": a.principal.code, "status": a.status}
            for a in m.attendance.select_related("principal")
        ],
        "unrepresented": [p.code for p in services.unrepresented(m)],
    }


def _shown(request, forum_meeting_id) -> dict:
    locate(request, f"/api/v1/meetings/{forum_meeting_id}")
    return meeting_out(request.auth, get_meeting_for_actor(request.auth, forum_meeting_id))


MEETING = {200: MeetingOut, **ERRORS}


@router.get("/forums", response={200: list[ForumOut], **ERRORS})
def forums(request):
    found = visible_forums(request.auth).select_related("parent")
    return [
        {"id": f.public_id, "name": f.name, "parent": f.parent and f.parent.public_id}
        for f in found
    ]


@router.get("/forums/{forum_id}/meetings", response={200: list[MeetingSummary], **ERRORS})
def meetings(request, forum_id: UUID):
    forum = _forum(request.auth, forum_id)
    found = visible_meetings(request.auth).filter(forum=forum)
    return [{"id": m.public_id, "starts_at": m.starts_at, "status": m.status} for m in found]


@router.post("/forums/{forum_id}/meetings", response={201: MeetingOut, **ERRORS})
def plan(request, forum_id: UUID, body: MeetingPlanIn):
    meeting = services.plan_meeting(request.auth, _forum(request.auth, forum_id), **body.dict())
    return Status(201, _shown(request, meeting.public_id))


@router.get("/meetings/{forum_meeting_id}", response=MEETING)
def get_meeting(request, forum_meeting_id: UUID):
    return meeting_out(request.auth, get_meeting_for_actor(request.auth, forum_meeting_id))


@router.post("/meetings/{forum_meeting_id}/items", response=MEETING)
def add_item(request, forum_meeting_id: UUID, body: ItemIn):
    meeting = get_meeting_for_actor(request.auth, forum_meeting_id, write=True)
    data = body.dict()
    data["presenter_principal"] = _principal(data["presenter_principal"], "presenter_principal")
    services.add_item(request.auth, meeting, **data)
    return _shown(request, forum_meeting_id)


def _decision_args(meeting, body: DecisionIn) -> dict:
    data = body.dict()
    username = data.pop("owner_username")
    data["owner"] = None
    if username:
        data["owner"] = Member.objects.filter(forum=meeting.forum, user__username=username).first()
        if data["owner"] is None:
            raise invalid("owner_username", "member", "Användaren är inte ledamot i forumet.")
    data["principal"] = _principal(data["principal"], "principal")
    month = data["due_month"]
    data["due_month"] = date(int(month[:4]), int(month[5:]), 1) if month else None
    forum = data["to_forum"]
    data["to_forum"] = Forum.objects.filter(public_id=forum).first() if forum else None
    return data


@router.post("/meetings/{forum_meeting_id}/items/{item_id}/decisions", response=MEETING)
def decide(request, forum_meeting_id: UUID, item_id: UUID, body: DecisionIn):
    meeting = get_meeting_for_actor(request.auth, forum_meeting_id, write=True)
    item = get_item_for_actor(request.auth, meeting, item_id)
    services.decide(request.auth, item, **_decision_args(meeting, body))
    return _shown(request, forum_meeting_id)


@router.post("/meetings/{forum_meeting_id}/adjust", response=MEETING)
def adjust(request, forum_meeting_id: UUID):
    """A named adjuster adjusts the minutes within the deadline."""
    services.adjust(request.auth, get_meeting_for_actor(request.auth, forum_meeting_id))
    return _shown(request, forum_meeting_id)


@router.post("/meetings/{forum_meeting_id}/publish", response=MEETING)
def publish(request, forum_meeting_id: UUID):
    """Adjusted minutes are published: locked, a PDF, e-mailed to the distribution list."""
    meeting = get_meeting_for_actor(request.auth, forum_meeting_id, write=True)
    services.publish(request.auth, meeting)
    return _shown(request, forum_meeting_id)


def assignment_out(a, today) -> dict:
    item = a.decision.item
    return {
        "id": a.public_id,
        "forum": a.forum.public_id,
        "meeting": item.meeting.public_id,
        "paragraph": item.paragraph,
        "text": a.text,
        "owner": a.person_name,
        "principal": a.principal.code,
        "due_date": a.due_date,
        "due_month": f"{a.due_month:%Y-%m}" if a.due_month else None,
        "overdue": a.is_overdue(today),
        "status": a.status,
    }


@router.get("/forum-assignments", response={200: AssignmentPage, **ERRORS})
def assignments(request, q: Query[Paging]):
    """Open assignments of the decisions you may read."""
    today = timezone.localdate()
    found = open_assignments(request.auth).order_by("due_date", "due_month", "id")
    return page_of(found, q, lambda a: assignment_out(a, today))


@router.get("/forum-assignments/{assignment_id}", response={200: AssignmentOut, **ERRORS})
def get_assignment(request, assignment_id: UUID):
    assignment = get_assignment_for_actor(request.auth, assignment_id)
    return assignment_out(assignment, timezone.localdate())


@router.post("/forum-assignments/{assignment_id}/done", response={200: AssignmentOut, **ERRORS})
def done(request, assignment_id: UUID, body: DoneIn):
    assignment = get_assignment_for_actor(request.auth, assignment_id)
    services.complete_assignment(request.auth, assignment, **body.dict())
    locate(request, f"/api/v1/forum-assignments/{assignment_id}")
    return get_assignment(request, assignment_id)
