"""The published minutes as a PDF in the forums' layout (WeasyPrint): § numbers, notes,
decisions, attendance per organisation and "Protokollet ska skickas till"; secret items held
back."""

from django.utils import timezone

from samverkan.lib.pdf import render_pdf

from .models import Meeting


def minutes_context(meeting: Meeting, items) -> dict:
    """What the minutes show, on the page and in the PDF alike."""
    return {
        "meeting": meeting,
        "forum": meeting.forum,
        "items": list(
            items.prefetch_related("decisions__assignments", "decisions__referrals__to_forum")
        ),
        "attendance": list(meeting.attendance.select_related("principal")),
        "adjusters": list(meeting.adjusters.select_related("member__principal", "member__user")),
        "day": timezone.localtime(meeting.starts_at),
    }


def minutes_pdf(meeting: Meeting) -> bytes:
    """The public document: secret items appear by their § only."""
    context = minutes_context(meeting, meeting.items.all())
    context["public"] = True
    return render_pdf("forums/minutes_pdf.html", context)
