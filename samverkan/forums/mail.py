"""A forum's e-mail: the invitation with the agenda and a calendar file to the members, the
published minutes as PDF to the distribution list; in-app notifications to the members' units.
Mails are queued in the service's transaction and sent by the worker (core.mailing)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from samverkan.core.leases import worker_id
from samverkan.core.mailing import EmailMessage, send_each
from samverkan.lib import ics
from samverkan.notifications.notify import notify

from .models import Mail, Meeting

BATCH = 200


def _units(members) -> list:
    """The units of the members' users, once each (notifications go to units)."""
    from samverkan.directory.models import Unit

    users = [m.user_id for m in members if m.user_id]
    return list(Unit.objects.filter(memberships__user_id__in=users).distinct())


def _when(meeting: Meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d kl. %H:%M")


def _queue(meeting: Meeting, kind: str, addresses) -> int:
    rows = [Mail(meeting=meeting, kind=kind, email=a) for a in dict.fromkeys(addresses) if a]
    return len(Mail.objects.bulk_create(rows, ignore_conflicts=True))


def queue_invitations(meeting: Meeting) -> int:
    members = list(meeting.forum.members.filter(active=True).select_related("user"))
    link = reverse("meeting_detail", args=[meeting.public_id])
    text = f"Kallelse till {meeting.forum} {_when(meeting)}"
    notify(_units(members), "forum_invitation", text, subject=meeting.forum, link=link)
    return _queue(meeting, Mail.Kind.INVITATION, [m.address for m in members])


def queue_minutes(meeting: Meeting) -> int:
    members = list(meeting.forum.members.filter(active=True).select_related("user"))
    link = reverse("meeting_detail", args=[meeting.public_id])
    text = f"Protokollet från {meeting.forum} {_when(meeting)} är publicerat"
    notify(_units(members), "forum_minutes", text, subject=meeting.forum, link=link)
    return _queue(meeting, Mail.Kind.MINUTES, meeting.forum.recipients())


def tell_adjusters(meeting: Meeting, adjusters) -> None:
    link = reverse("meeting_detail", args=[meeting.public_id])
    text = f"Protokollet från {meeting.forum} {_when(meeting)} ska justeras"
    notify(_units(adjusters), "forum_adjusting", text, subject=meeting.forum, link=link)


def event(meeting: Meeting) -> ics.Event:
    secretary = meeting.forum.members.filter(role="secretary", active=True).first()
    return ics.Event(
        uid=str(meeting.public_id),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"{meeting.forum}",
        description=f"Möte i {meeting.forum}. Dagordningen finns i Samverkan och i kallelsen.",
        place=meeting.place,
        web_link=meeting.web_link,
        organizer_name=secretary.person_name if secretary else "",
        organizer_email=secretary.address if secretary else "",
    )


def _invitation_file(meeting: Meeting) -> tuple:
    return ("mote.ics", ics.calendar_file(event(meeting), "Forum"), "text/calendar; method=REQUEST")


def _minutes_file(meeting: Meeting) -> tuple:
    day = timezone.localtime(meeting.starts_at).date()
    return (f"protokoll-{day:%Y-%m-%d}.pdf", bytes(meeting.pdf), "application/pdf")


KINDS = {  # kind -> (subject, body template, attachment)
    Mail.Kind.INVITATION: ("Kallelse", "forums/invitation.txt", _invitation_file),
    Mail.Kind.MINUTES: ("Protokoll", "forums/minutes.txt", _minutes_file),
}


def _mail(row: Mail) -> EmailMessage:
    meeting, (subject, template, attachment) = row.meeting, KINDS[row.kind]
    when = _when(meeting)
    context = {"meeting": meeting, "items": meeting.items.filter(secret=False), "when": when}
    body = render_to_string(template, context)
    mail = EmailMessage(
        f"{subject}: {meeting.forum} {when}", body, settings.DEFAULT_FROM_EMAIL, [row.email]
    )
    mail.attach(*attachment(meeting))
    return mail


def send_forum_mail(now=None) -> int:
    """A worker job (samverkan/worker.py): invitations and minutes, each mail on its own."""
    now = now or timezone.now()
    pending = Mail.objects.select_related("meeting__forum")
    return send_each(pending, _mail, worker_id(), now, BATCH)
