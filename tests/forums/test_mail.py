"""The invitation with the agenda (notification and e-mail with a calendar file) and the
published minutes (PDF) to the distribution list, through the real local SMTP server."""

import email
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from samverkan.cases.testing import actor
from samverkan.forums import services
from samverkan.forums.mail import send_forum_mail
from samverkan.forums.models import Mail
from samverkan.forums.testing import at, meeting, published
from samverkan.notifications.models import Notification
from tests.test_worker_faults import smtp  # noqa: F401 - the aiosmtpd fixture

pytestmark = pytest.mark.django_db


def parts(raw: str) -> dict:
    """{content type: payload} of a received message."""
    message = email.message_from_bytes(raw.encode())
    return {
        p.get_content_type(): p.get_payload(decode=True)
        if p.get_content_type() == "application/pdf"
        else p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8")
        for p in message.walk()
        if not p.is_multipart()
    }


def test_the_invitation_reaches_the_members_with_the_agenda_and_a_calendar_file(fw, smtp):  # noqa: F811
    m = meeting(fw)
    services.add_item(
        actor(fw.ward_staff),
        m,
        title="Utskrivningsklara",
        kinds="BI",
        presenter_name="Eva Karlsson",
    )
    services.add_item(actor(fw.ward_staff), m, title="Hemlig punkt", kinds="D", secret=True)
    assert services.invite(actor(fw.ward_staff), m) == 3  # the three with an address
    assert send_forum_mail() == 3 and send_forum_mail() == 0  # each once
    to = sorted(rcpt[0] for rcpt, _ in smtp.messages)
    assert to == ["nils@test.invalid", "ordf@test.invalid", "sekreterare@test.invalid"]
    found = parts(smtp.messages[0][1])
    body = found["text/plain"]
    assert "Utskrivningsklara (B/I) – Eva Karlsson" in body and "Hemlig" not in body
    ics = found["text/calendar"]
    assert f"UID:{m.public_id}@samverkan" in ics and "SUMMARY:Samverkansgruppen" in ics
    assert "LOCATION:Rum 1" in ics and "PRODID:-//Samverkan//Forum//SV" in ics
    call_command("run_worker", "--once")
    units = set(Notification.objects.filter(kind="forum_invitation").values_list("unit", flat=True))
    assert units == {fw.ward.pk, fw.a_needs.pk, fw.b_needs.pk}  # the members' units
    assert Notification.objects.filter(unit=fw.pcc).count() == 0


def test_invited_twice_is_refused(fw):
    m = meeting(fw)
    services.invite(actor(fw.ward_staff), m)
    with pytest.raises(Exception, match="redan skickad"):
        services.invite(actor(fw.ward_staff), m)
    assert Mail.objects.count() == 3


def test_the_published_minutes_go_to_the_distribution_list_as_pdf(fw, smtp):  # noqa: F811
    m = published(fw, meeting(fw, date(2026, 3, 10)), now=at(date(2026, 3, 11)))
    assert send_forum_mail(timezone.now()) == 2
    to = sorted(rcpt[0] for rcpt, _ in smtp.messages)
    assert to == ["arkiv@test.invalid", "kansli@test.invalid"]
    found = parts(smtp.messages[0][1])
    assert found["application/pdf"] == bytes(m.pdf)
    assert "justerat och publicerat" in found["text/plain"]
