"""Every write of the forums: verb-named, one transaction each, audited. Published minutes are
locked: every change of a meeting's text goes through `_editable`."""

import uuid
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.core.errors import invalid
from samverkan.lib.uploads import ALLOWED_TYPES, checked_upload

from . import standing
from .access import require_secretary
from .models import (
    Adjuster,
    AgendaItem,
    Assignment,
    Attendance,
    Decision,
    Forum,
    Meeting,
    Member,
    Referral,
    Standing,
    WorkingGroup,
)

M = Meeting.Status
LOCKED = (M.ADJUSTED, M.PUBLISHED)
TAIL = 90  # positions of the standing items at the end (Uppföljning, Övrigt)
HEAD = [Standing.APPROVE_AGENDA, Standing.PREVIOUS, Standing.PARENT]


def _now(now):
    return now or timezone.now()


def _editable(meeting: Meeting) -> None:
    """The one lock: justerade and published minutes never change."""
    if meeting.status in LOCKED:
        raise invalid(
            None, "locked", "Protokollet är justerat eller publicerat och kan inte ändras."
        )


def _touch(actor, meeting: Meeting, action: str, detail=None) -> None:
    meeting.version += 1
    Meeting.objects.filter(pk=meeting.pk).update(version=meeting.version)
    record(actor, action, obj=meeting, detail=detail)


# --- planning -------------------------------------------------------------------------------


@transaction.atomic
def plan_meeting(actor, forum: Forum, *, starts_at, ends_at, place="", web_link="") -> Meeting:
    """A meeting in the forum's year plan, with its standing items."""
    require_secretary(actor, forum)
    _check_times(starts_at, ends_at)
    if not place and not web_link:
        raise invalid("place", "required", "Ange en plats eller en länk till det digitala mötet.")
    meeting = Meeting.objects.create(
        forum=forum, starts_at=starts_at, ends_at=ends_at, place=place, web_link=web_link
    )
    _standing_items(meeting)
    record(actor, "forum.meeting.plan", obj=meeting)
    return meeting


def _check_times(starts_at, ends_at) -> None:
    if ends_at <= starts_at:
        raise invalid("ends_at", "order", "Mötet måste sluta efter att det börjar.")
    if ends_at - starts_at > timedelta(hours=12):
        raise invalid("ends_at", "length", "Ett möte kan vara högst 12 timmar.")


def _standing_items(meeting: Meeting) -> None:
    kinds = [*HEAD, Standing.FOLLOWUP, Standing.OTHER]
    if meeting.forum.parent_id is None:
        kinds.remove(Standing.PARENT)
    for n, kind in enumerate(kinds):
        position = n + 1 if kind in HEAD else TAIL + n
        AgendaItem.objects.create(
            meeting=meeting,
            forum=meeting.forum,
            position=position,
            standing=kind,
            title=standing.title(meeting, kind),
            kinds="B" if kind in (Standing.APPROVE_AGENDA, Standing.PREVIOUS) else "I",
        )
    standing.fill(meeting)


@transaction.atomic
def plan_year(
    actor, forum: Forum, *, dates: list[date], start: time, end: time, place="", web_link=""
):
    """The year plan: one meeting per date, at the same time and place."""
    tz = timezone.get_current_timezone()
    return [
        plan_meeting(
            actor,
            forum,
            starts_at=datetime.combine(d, start, tz),
            ends_at=datetime.combine(d, end, tz),
            place=place,
            web_link=web_link,
        )
        for d in dates
    ]


@transaction.atomic
def change_meeting(
    actor, meeting: Meeting, *, starts_at, ends_at, place="", web_link=""
) -> Meeting:
    _editable(meeting)
    _check_times(starts_at, ends_at)
    meeting.starts_at, meeting.ends_at, meeting.place, meeting.web_link = (
        starts_at,
        ends_at,
        place,
        web_link,
    )
    meeting.save(update_fields=["starts_at", "ends_at", "place", "web_link"])
    _touch(actor, meeting, "forum.meeting.change")
    return meeting


# --- the agenda -----------------------------------------------------------------------------


def _kinds(kinds: str) -> str:
    picked = "".join(k for k in "BID" if k in (kinds or "").upper())
    if not picked or len(picked) != len(set((kinds or "").upper())):
        raise invalid(
            "kinds", "kinds", "Ange typ: B (beslut), I (information) och/eller D (diskussion)."
        )
    return picked


@transaction.atomic
def add_item(
    actor,
    meeting: Meeting,
    *,
    title,
    kinds="I",
    presenter_name="",
    presenter_principal=None,
    description="",
    secret=False,
    referral=None,
) -> AgendaItem:
    """A point on the agenda, before the standing ones at the end; numbered at once when the
    minutes are already numbered."""
    _editable(meeting)
    last = meeting.items.filter(position__lt=TAIL).aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        forum=meeting.forum,
        position=last + 1,
        title=title,
        kinds=_kinds(kinds),
        presenter_name=presenter_name,
        presenter_principal=presenter_principal,
        description=description,
        secret=secret,
        referral=referral,
    )
    if meeting.items.filter(paragraph__isnull=False).exists():
        number_items(meeting)
        item.refresh_from_db(fields=["paragraph", "paragraph_year"])
    _touch(actor, meeting, "forum.agenda", {"item": str(item.public_id)})
    return item


@transaction.atomic
def change_item(
    actor,
    item: AgendaItem,
    *,
    title,
    kinds,
    presenter_name="",
    presenter_principal=None,
    description="",
    secret=False,
) -> AgendaItem:
    _editable(item.meeting)
    item.title, item.kinds, item.secret = title, _kinds(kinds), secret
    item.presenter_name, item.presenter_principal = presenter_name, presenter_principal
    item.description = description
    item.save()
    _touch(actor, item.meeting, "forum.agenda", {"item": str(item.public_id)})
    return item


@transaction.atomic
def attach_document(actor, item: AgendaItem, *, upload):
    """A document to an item, judged by its bytes (lib.uploads)."""
    _editable(item.meeting)
    data, content_type = checked_upload(upload)
    document = item.documents.create(
        file=ContentFile(data, name=uuid.uuid4().hex + ALLOWED_TYPES[content_type]),
        name=(upload.name or "handling")[:200],
        content_type=content_type,
        size=len(data),
        uploaded_by=actor.user,
    )
    _touch(actor, item.meeting, "forum.agenda", {"document": document.name})
    return document


@transaction.atomic
def embed_figures(actor, item: AgendaItem, *, source, year, month=None, now=None) -> AgendaItem:
    """Add a table of the follow-up as it stands now; stored, it never changes afterwards."""
    from .figures import SOURCES, snapshot

    _editable(item.meeting)
    if source not in SOURCES:
        raise invalid("source", "choice", "Välj dashboard, avvikelser eller betalningsansvar.")
    item.figures = [*item.figures, *snapshot(source, year, month, _now(now))]
    item.save(update_fields=["figures"])
    _touch(actor, item.meeting, "forum.minutes", {"figures": source})
    return item


# --- § numbering ----------------------------------------------------------------------------


def number_items(meeting: Meeting) -> None:
    """Give the meeting's unnumbered items the forum's next § numbers of the meeting's year, in
    agenda order. The one place that numbers: the forum row is locked while it counts, and the
    unique constraint backs it."""
    Forum.objects.select_for_update().filter(pk=meeting.forum_id).first()
    year = timezone.localtime(meeting.starts_at).year
    used = AgendaItem.objects.filter(forum_id=meeting.forum_id, paragraph_year=year)
    last = used.aggregate(m=Max("paragraph"))["m"] or 0
    for item in meeting.items.filter(paragraph__isnull=True).order_by("position", "id"):
        last += 1
        item.paragraph, item.paragraph_year = last, year
        item.save(update_fields=["paragraph", "paragraph_year"])


# --- the minutes ----------------------------------------------------------------------------


@transaction.atomic
def record_notes(actor, item: AgendaItem, *, notes, secret=None) -> AgendaItem:
    """The item's notes in the minutes (numbering the meeting's items on the first write)."""
    meeting = item.meeting
    _editable(meeting)
    number_items(meeting)
    item.refresh_from_db(fields=["paragraph", "paragraph_year"])
    item.notes = notes
    if secret is not None:
        item.secret = secret
    item.save(update_fields=["notes", "secret"])
    _touch(actor, meeting, "forum.minutes", {"item": str(item.public_id)})
    return item


def _att(text: str) -> str:
    text = (text or "").strip()
    if not text.lower().startswith("att "):
        raise invalid("text", "att", "Ett beslut skrivs som en att-sats: ”att …”.")
    return text


@transaction.atomic
def decide(actor, item: AgendaItem, *, text, creates="", **what) -> Decision:
    """An "att …" line of the item's decision; it may create an assignment, a working group
    or a referral to another forum (`creates` and its fields in `what`)."""
    meeting = item.meeting
    _editable(meeting)
    number_items(meeting)
    last = item.decisions.aggregate(m=Max("position"))["m"] or 0
    decision = Decision.objects.create(item=item, position=last + 1, text=_att(text))
    if creates:
        CREATES[creates](decision, **what)
    _touch(actor, meeting, "forum.minutes", {"decision": decision.pk, "creates": creates})
    return decision


def _assignment(
    decision: Decision,
    *,
    owner: Member | None = None,
    owner_name="",
    principal=None,
    due_date=None,
    due_month=None,
    task="",
    **_,
) -> Assignment:
    if due_date and due_month:
        raise invalid("due_month", "one_due", "Ange ett datum eller en månad, inte båda.")
    if owner is None and not (owner_name and principal):
        raise invalid(
            "owner", "required", "Ange vem som har uppdraget och från vilken organisation."
        )
    return Assignment.objects.create(
        forum=decision.item.forum,
        decision=decision,
        text=task or decision.text[4:][:500],
        user=owner.user if owner else None,
        name=owner_name if owner is None else owner.name,
        principal=principal or owner.principal,
        due_date=due_date,
        due_month=due_month.replace(day=1) if due_month else None,
    )


def _group(
    decision: Decision,
    *,
    group_name="",
    mandate="",
    convenor: Member | None = None,
    convenor_name="",
    principal=None,
    **_,
) -> WorkingGroup:
    if not group_name:
        raise invalid("group_name", "required", "Ange arbetsgruppens namn.")
    forum = decision.item.forum
    if forum.groups.filter(name=group_name).exists():
        raise invalid("group_name", "exists", "Forumet har redan en arbetsgrupp med det namnet.")
    return WorkingGroup.objects.create(
        forum=forum,
        name=group_name,
        mandate=mandate or decision.text,
        decision=decision,
        convenor_user=convenor.user if convenor else None,
        convenor_name=convenor_name or (convenor.name if convenor else ""),
        convenor_principal=principal or (convenor.principal if convenor else None),
    )


def _referral(decision: Decision, *, to_forum: Forum | None = None, question="", **_) -> Referral:
    forum = decision.item.forum
    if to_forum is None or to_forum == forum:
        raise invalid("to_forum", "required", "Välj ett annat forum att remittera till.")
    return Referral.objects.create(
        decision=decision, from_forum=forum, to_forum=to_forum, question=question or decision.text
    )


CREATES = {"assignment": _assignment, "group": _group, "referral": _referral}


@transaction.atomic
def withdraw_decision(actor, decision: Decision) -> None:
    """Strike an att-line (and what it created) before the minutes are locked."""
    meeting = decision.item.meeting
    _editable(meeting)
    if decision.referrals.filter(answered_at__isnull=False).exists():
        raise invalid(None, "answered", "Remissen är redan besvarad; beslutet kan inte strykas.")
    decision.assignments.all().delete()
    decision.referrals.all().delete()
    WorkingGroup.objects.filter(decision=decision).delete()
    decision.delete()
    _touch(actor, meeting, "forum.minutes", {"withdrawn": decision.text[:100]})


def strike_decision(actor, item: AgendaItem, *, decision: Decision) -> AgendaItem:
    """The page's "Stryk beslutet": a decision of this item (the form picks among them)."""
    if decision.item_id != item.pk:
        raise invalid("decision", "item", "Beslutet hör inte till punkten.")
    withdraw_decision(actor, decision)
    return item


# --- working groups -------------------------------------------------------------------------


def _group_locked(actor, group: WorkingGroup) -> WorkingGroup:
    require_secretary(actor, group.forum)
    return WorkingGroup.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def change_group(
    actor, group: WorkingGroup, *, mandate, status, convenor=None, convenor_name="", principal=None
) -> WorkingGroup:
    """The secretary changes a working group's mandate, convenor and status."""
    group = _group_locked(actor, group)
    if convenor is None and bool(convenor_name) != bool(principal):
        raise invalid("convenor_name", "both", "Ange både sammankallandes namn och organisation.")
    if status not in WorkingGroup.Status.values:
        raise invalid("status", "choice", "Okänd status för arbetsgruppen.")
    group.mandate, group.status = mandate, status
    group.convenor_user = convenor.user if convenor else None
    group.convenor_name = convenor.name if convenor else convenor_name
    group.convenor_principal = convenor.principal if convenor else principal
    group.save()
    record(actor, "forum.group", obj=group, detail={"status": status, "change": "group"})
    return group


@transaction.atomic
def add_group_member(actor, group: WorkingGroup, *, member=None, name="", principal=None):
    """A person of an organisation joins the group: a forum member, or a named person."""
    group = _group_locked(actor, group)
    if member is None and not (name and principal):
        raise invalid("name", "required", "Välj en ledamot eller ange namn och organisation.")
    user = member.user if member else None
    name = member.name if member else name
    if (
        user
        and group.members.filter(user=user).exists()
        or (not user and group.members.filter(user=None, name=name, principal=principal).exists())
    ):
        raise invalid("name", "exists", "Personen är redan med i arbetsgruppen.")
    added = group.members.create(
        user=user, name=name, principal=member.principal if member else principal
    )
    record(actor, "forum.group", obj=group, detail={"added": added.pk})
    return added


@transaction.atomic
def remove_group_member(actor, group: WorkingGroup, *, person) -> WorkingGroup:
    group = _group_locked(actor, group)
    if person.group_id != group.pk:
        raise invalid("person", "group", "Personen är inte med i arbetsgruppen.")
    person.delete()
    record(actor, "forum.group", obj=group, detail={"removed": person.person_name[:100]})
    return group


@transaction.atomic
def answer_referral(actor, meeting: Meeting, referral: Referral, *, answer, now=None) -> AgendaItem:
    """The receiving forum answers a referral in one of its meetings: an item of its own that
    links back to the question."""
    _editable(meeting)
    if referral.to_forum_id != meeting.forum_id:
        raise invalid(None, "forum", "Remissen är ställd till ett annat forum.")
    if not referral.is_open:
        raise invalid(None, "answered", "Remissen är redan besvarad.")
    item = referral.answer_items.filter(meeting=meeting).first() or add_item(
        actor,
        meeting,
        title=f"Remiss från {referral.from_forum}: {referral.question}"[:200],
        kinds="B",
        referral=referral,
    )
    Referral.objects.filter(pk=referral.pk).update(
        answer=answer, answered_at=_now(now), answered_in=item
    )
    record(actor, "forum.referral", obj=referral)
    return item


# --- attendance -----------------------------------------------------------------------------


@transaction.atomic
def record_attendance(actor, meeting: Meeting, *, statuses: dict, substitutes=()) -> Meeting:
    """Attendance per member ({member: status}) and substitutes (name, principal, for member)."""
    _editable(meeting)
    for member, status in statuses.items():
        Attendance.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={"status": status, "name": member.person_name, "principal": member.principal},
        )
    for name, principal in substitutes:
        Attendance.objects.create(
            meeting=meeting, name=name, principal=principal, status=Attendance.Status.SUBSTITUTE
        )
    _touch(actor, meeting, "forum.attendance")
    return meeting


def unrepresented(meeting: Meeting):
    """The member principals nobody attends for (a warning on the minutes)."""
    from samverkan.directory.models import Principal

    attending = meeting.attendance.exclude(status=Attendance.Status.ABSENT).values("principal_id")
    members = meeting.forum.members.filter(active=True).values("principal_id")
    return Principal.objects.filter(pk__in=members).exclude(pk__in=attending)


# --- justering and publication ---------------------------------------------------------------


@transaction.atomic
def send_for_adjusting(
    actor, meeting: Meeting, *, adjusters=(), adjust_by=None, at_next=False, now=None
):
    """Name the adjusters and the deadline (default: the forum's days after the meeting), or
    leave the justering to the next meeting's Föregående protokoll."""
    _editable(meeting)
    if not adjusters and not at_next:
        raise invalid(
            "adjusters", "required", "Välj justerare eller att protokollet justeras vid nästa möte."
        )
    if any(a.forum_id != meeting.forum_id for a in adjusters):
        raise invalid("adjusters", "member", "Justerare måste vara ledamöter i forumet.")
    day = timezone.localtime(meeting.starts_at).date()
    meeting.adjust_by = (
        None if at_next else adjust_by or day + timedelta(days=meeting.forum.adjust_days)
    )
    if meeting.adjust_by and meeting.adjust_by < day:
        raise invalid("adjust_by", "order", "Sista dag för justering kan inte vara före mötet.")
    number_items(meeting)
    meeting.adjust_at_next, meeting.status = at_next, M.ADJUSTING
    meeting.save(update_fields=["adjust_by", "adjust_at_next", "status"])
    meeting.adjusters.all().delete()
    Adjuster.objects.bulk_create([Adjuster(meeting=meeting, member=a) for a in adjusters])
    from .mail import tell_adjusters

    tell_adjusters(meeting, adjusters)
    _touch(actor, meeting, "forum.adjusting", {"adjusters": [a.pk for a in adjusters]})
    return meeting


@transaction.atomic
def adjust(actor, meeting: Meeting, now=None) -> Meeting:
    """A named adjuster adjusts, within the deadline; the last one makes the minutes adjusted."""
    now = _now(now)
    if meeting.status != M.ADJUSTING:
        raise invalid(None, "state", "Protokollet väntar inte på justering.")
    mine = meeting.adjusters.filter(member__user=actor.user, adjusted_at__isnull=True).first()
    if mine is None:
        raise invalid(None, "adjuster", "Du är inte utsedd att justera detta protokoll.")
    if meeting.adjust_overdue(timezone.localdate(now)):
        raise invalid(
            None,
            "deadline",
            f"Tiden för justering gick ut {meeting.adjust_by:%Y-%m-%d}; "
            "protokollet justeras vid nästa möte.",
        )
    Adjuster.objects.filter(pk=mine.pk).update(adjusted_at=now)
    if not meeting.adjusters.filter(adjusted_at__isnull=True).exists():
        _adjusted(meeting, now)
    _touch(actor, meeting, "forum.adjust")
    return meeting


def _adjusted(meeting: Meeting, now, at=None) -> None:
    meeting.status, meeting.adjusted_at, meeting.adjusted_in = M.ADJUSTED, now, at
    meeting.save(update_fields=["status", "adjusted_at", "adjusted_in"])


def waiting_for_next(meeting: Meeting):
    """Earlier minutes of the forum to adjust at this meeting: left to it, or past their
    deadline."""
    earlier = Meeting.objects.filter(
        forum_id=meeting.forum_id, starts_at__lt=meeting.starts_at, status=M.ADJUSTING
    )
    today = timezone.localdate(meeting.starts_at)
    return [m for m in earlier if m.adjust_at_next or m.adjust_overdue(today)]


@transaction.atomic
def adjust_previous(actor, meeting: Meeting, now=None) -> list[Meeting]:
    """Under Föregående protokoll the meeting adjusts the earlier minutes left to it."""
    _editable(meeting)
    found = waiting_for_next(meeting)
    if not found:
        raise invalid(
            None, "nothing", "Det finns inget tidigare protokoll att justera vid detta möte."
        )
    item = meeting.items.filter(standing=Standing.PREVIOUS).first()
    for earlier in found:
        _adjusted(earlier, _now(now), meeting)
        record(actor, "forum.adjust", obj=earlier, detail={"at": str(meeting.public_id)})
        if item is not None:
            decide(actor, item, text=f"att justera protokollet från {earlier.starts_at:%Y-%m-%d}")
    return found


@transaction.atomic
def publish(actor, meeting: Meeting, now=None) -> Meeting:
    """Adjusted minutes become a public document: locked, a PDF, e-mailed to the distribution
    list."""
    now = _now(now)
    if meeting.status != M.ADJUSTED:
        raise invalid(None, "state", "Protokollet måste vara justerat innan det publiceras.")
    number_items(meeting)
    standing.fill(meeting)  # the last time: published text never changes
    meeting.status, meeting.published_at, meeting.published_by = M.PUBLISHED, now, actor.user
    from .mail import queue_minutes
    from .pdf import minutes_pdf

    meeting.pdf = minutes_pdf(meeting)
    meeting.save(update_fields=["status", "published_at", "published_by", "pdf"])
    queue_minutes(meeting)
    _touch(actor, meeting, "forum.publish")
    return meeting


# --- invitation and follow-up ---------------------------------------------------------------


@transaction.atomic
def invite(actor, meeting: Meeting, now=None) -> int:
    """Send the agenda: a notification to the members' units and an e-mail with a calendar file
    to each member with an address (once per address)."""
    _editable(meeting)
    if meeting.status != M.PLANNED:
        raise invalid(None, "state", "Kallelsen är redan skickad.")
    standing.fill(meeting)
    meeting.status, meeting.invited_at = M.INVITED, _now(now)
    meeting.save(update_fields=["status", "invited_at"])
    from .mail import queue_invitations

    count = queue_invitations(meeting)
    _touch(actor, meeting, "forum.invite", {"emails": count})
    return count


@transaction.atomic
def complete_assignment(actor, assignment: Assignment, *, note="", now=None) -> Assignment:
    """The owner (or the forum's secretary) reports an assignment done."""
    from .access import is_secretary

    if assignment.user_id != actor.user.pk and not is_secretary(actor.user, assignment.forum):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(
            "Bara den som har uppdraget eller forumets sekreterare kan klarmarkera det."
        )
    if assignment.status == Assignment.Status.DONE:
        raise invalid(None, "state", "Uppdraget är redan klart.")
    assignment.status, assignment.done_at, assignment.done_note = (
        Assignment.Status.DONE,
        _now(now),
        note,
    )
    assignment.save(update_fields=["status", "done_at", "done_note"])
    record(actor, "forum.assignment", obj=assignment)
    return assignment
