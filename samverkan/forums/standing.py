"""The agenda's standing items, filled in by themselves: Föregående protokoll lists the open
assignments and referrals of earlier meetings and the minutes left to adjust here; Protokoll
från names the forum above's latest published minutes."""

from django.utils import timezone

from .models import AgendaItem, Assignment, Meeting, Referral, Standing


def title(meeting: Meeting, kind: str) -> str:
    if kind == Standing.PARENT:
        return f"Protokoll från {meeting.forum.parent}"
    if kind == Standing.PREVIOUS:
        return "Föregående sammanträdesprotokoll"
    return Standing(kind).label


def open_assignments(meeting: Meeting):
    """Assignments given at the forum's earlier meetings and still open (secret items left out)."""
    return Assignment.objects.filter(
        forum_id=meeting.forum_id,
        status=Assignment.Status.OPEN,
        decision__item__meeting__starts_at__lt=meeting.starts_at,
        decision__item__secret=False,
    ).select_related("principal", "user", "decision__item")


def referrals(meeting: Meeting):
    """The forum's referrals from earlier meetings: still open, or answered since the last one."""
    sent = Referral.objects.filter(
        from_forum_id=meeting.forum_id, decision__item__meeting__starts_at__lt=meeting.starts_at
    ).select_related("to_forum", "answered_in__meeting", "decision__item")
    previous = _previous(meeting)
    since = previous.starts_at if previous else None
    return [r for r in sent if r.is_open or since is None or r.answered_at >= since]


def _previous(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(forum_id=meeting.forum_id, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .first()
    )


def _due(a: Assignment) -> str:
    if a.due_date:
        return f"senast {a.due_date:%Y-%m-%d}"
    return f"under {a.due_month:%Y-%m}" if a.due_month else "inget datum"


def previous_text(meeting: Meeting) -> str:
    from .services import waiting_for_next

    lines = [
        f"Protokollet från {m.starts_at:%Y-%m-%d} justeras vid detta möte."
        for m in waiting_for_next(meeting)
    ]
    found = list(open_assignments(meeting))
    if found:
        lines.append("Öppna uppdrag:")
        lines += [
            f"– § {a.decision.item.paragraph}: {a.text} ({a.person_name}, {a.principal}, {_due(a)})"
            for a in found
        ]
    for r in referrals(meeting):
        state = "väntar på svar" if r.is_open else f"besvarad: {r.answer}"
        lines.append(
            f"Remiss till {r.to_forum} (§ {r.decision.item.paragraph}): {r.question} – {state}"
        )
    return "\n".join(lines) or "Inga öppna uppdrag eller remisser från tidigare möten."


def parent_text(meeting: Meeting) -> str:
    latest = parent_minutes(meeting)
    if latest is None:
        return f"Inget publicerat protokoll från {meeting.forum.parent} före mötet."
    day = timezone.localtime(latest.starts_at).date()
    published = f"publicerat {latest.published_at:%Y-%m-%d}"
    return f"Protokoll från {meeting.forum.parent} {day:%Y-%m-%d} ({published})."


FILLERS = {Standing.PREVIOUS: previous_text, Standing.PARENT: parent_text}


def fill(meeting: Meeting) -> None:
    """Write the standing items' text as it stands now (until the minutes are published)."""
    for item in meeting.items.filter(standing__in=FILLERS):
        AgendaItem.objects.filter(pk=item.pk).update(description=FILLERS[item.standing](meeting))


def parent_minutes(meeting: Meeting) -> Meeting | None:
    """The forum above's latest published minutes before the meeting, to link to."""
    if not meeting.forum.parent_id:
        return None
    return (
        Meeting.objects.filter(
            forum_id=meeting.forum.parent_id,
            status=Meeting.Status.PUBLISHED,
            starts_at__lt=meeting.starts_at,
        )
        .order_by("-starts_at")
        .first()
    )
