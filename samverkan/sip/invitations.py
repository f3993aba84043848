"""Meeting invitations by e-mail with a calendar file (RFC 5545). Sent by the worker; the
e-mail and the file carry no personal data: time, place or link, and the plan's short id."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from samverkan.core.leases import worker_id
from samverkan.core.mailing import EmailMessage, send_each
from samverkan.lib import ics
from samverkan.notifications.notify import notify

from .models import Invitation, Meeting

BATCH = 200


def calendar_file(meeting: Meeting, now=None) -> str:
    sip = meeting.sip
    contact = meeting.unit
    description = (
        f"Möte om en samordnad individuell plan (SIP {sip.short_id}).\n"
        f"Kallad av {contact.name}"
        + (f", telefon {contact.phone}" if contact.phone else "")
        + ".\nUnderlaget finns i Samverkan för den som deltar med samtycke."
    )
    event = ics.Event(
        uid=str(meeting.public_id),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"SIP-möte ({sip.short_id})",
        description=description,
        place=meeting.place,
        web_link=meeting.web_link,
        organizer_name=contact.name,
        organizer_email=contact.mailbox,
    )
    return ics.calendar_file(event, "SIP", now)


def _mail(invitation: Invitation) -> EmailMessage:
    meeting = invitation.meeting
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d kl. %H:%M")
    mail = EmailMessage(
        f"Kallelse till SIP-möte {when}",
        f"Du är kallad till ett SIP-möte {when}.\n"
        + (f"Plats: {meeting.place}\n" if meeting.place else "")
        + (f"Länk: {meeting.web_link}\n" if meeting.web_link else "")
        + "\nKalenderfilen är bifogad.",
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )
    mail.attach("sip-mote.ics", calendar_file(meeting), "text/calendar; method=REQUEST")
    return mail


def _tell_the_inviter(invitation: Invitation) -> None:
    """After the last attempt the inviting unit is told (no personal data in the text)."""
    meeting = invitation.meeting
    notify(
        [meeting.unit],
        "sip_invitation_failed",
        f"Kallelsen kunde inte skickas till {invitation.email} (SIP {meeting.sip.short_id})",
        subject=meeting.sip,
        patient=meeting.sip.patient,
        link=reverse("sip_detail", args=[meeting.sip.public_id]),
    )


def send_invitations(now=None) -> int:
    """A worker job (samverkan/worker.py): e-mail pending invitations that have an address,
    each on its own (core.mailing)."""
    now = now or timezone.now()
    pending = Invitation.objects.exclude(email="").select_related(
        "meeting__sip__patient", "meeting__unit"
    )
    return send_each(pending, _mail, worker_id(), now, BATCH, on_failed=_tell_the_inviter)
