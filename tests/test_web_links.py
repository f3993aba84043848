"""Web links typed by users (a SIP meeting's digital address) are https/http only, on the page,
in the API and in the service; a bad value stored before the rule is never shown as a link,
nor put in the e-mail or the calendar file."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samverkan.cases.testing import actor
from samverkan.lib.weblinks import is_web_link
from samverkan.sip import services
from samverkan.sip.invitations import calendar_file
from samverkan.sip.models import Meeting
from samverkan.sip.testing import consented, started, with_unit
from samverkan.worker import run_once
from tests.helpers import events, text

pytestmark = pytest.mark.django_db
BAD = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://mote.example/sip",
    "https://",
]


def shared(world):
    return consented(world, with_unit(world, started(world), world.a_needs))


def when(days=2):
    return timezone.localtime(timezone.now() + timedelta(days=days))


@pytest.mark.parametrize("value", ["https://mote.example/sip?id=1", "http://mote.example"])
def test_web_links_pass(value):
    assert is_web_link(value)


@pytest.mark.parametrize("value", BAD)
def test_other_schemes_are_not_web_links(value):
    assert not is_web_link(value)


@pytest.mark.parametrize("value", BAD[:4])
def test_the_service_refuses_and_writes_nothing(world, value):
    sip = shared(world)
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(
            actor(world.pcc_staff), sip, starts_at=when(), place="Vårdcentralen", link=value
        )
    assert error.value.error_dict["link"][0].code == "url"
    assert not Meeting.objects.exists() and not events("sip.meeting").exists()


def test_the_page_refuses_a_javascript_link_next_to_the_field(world, as_user):
    sip = shared(world)
    data = {
        "version": sip.version,
        "starts_at": when().strftime("%Y-%m-%dT%H:%M"),
        "minutes": 60,
        "place": "Vårdcentralen",
        "link": "javascript:alert(1)",
    }
    client = as_user(world.pcc_staff)
    response = client.post(reverse("sip_action", args=[sip.public_id, "meeting"]), data)
    assert response.status_code == 400 and "börjar med https://" in text(response)
    assert not Meeting.objects.exists()
    data["link"] = "mote.example/sip"  # the scheme left out: https is assumed
    response = client.post(reverse("sip_action", args=[sip.public_id, "meeting"]), data)
    assert response.status_code == 302 and Meeting.objects.get().link == "https://mote.example/sip"


def test_the_api_refuses_a_javascript_link_naming_the_field(world, api):
    sip = shared(world)
    body = {
        "version": sip.version,
        "starts_at": when().isoformat(),
        "place": "Vårdcentralen",
        "link": "javascript:alert(1)",
    }
    response = api.post(world.pcc_staff, f"/sips/{sip.public_id}/meetings", body)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "link",
            "rule": "url",
            "message": "Ange en webbadress som börjar med https:// eller http://.",
        }
    ]
    assert not Meeting.objects.exists() and not events("sip.meeting").exists()


def test_a_bad_link_stored_earlier_is_never_rendered_as_a_link(world, as_user, api):
    sip = shared(world)
    meeting = services.schedule_meeting(
        actor(world.pcc_staff), sip, starts_at=when(), place="Vårdcentralen"
    )
    Meeting.objects.filter(pk=meeting.pk).update(link="javascript:alert(1)")
    meeting.refresh_from_db()
    page = text(as_user(world.pcc_staff).get(reverse("sip_detail", args=[sip.public_id])))
    assert "Vårdcentralen" in page and "javascript:" not in page
    assert "javascript:" not in calendar_file(meeting)
    run_once()
    assert mail.outbox and all("javascript:" not in m.body for m in mail.outbox)
    found = api.get(world.pcc_staff, f"/sips/{sip.public_id}").json()["meetings"][0]
    assert found["link"] == ""


def test_a_good_link_is_shown_and_sent(world, as_user):
    sip = shared(world)
    meeting = services.schedule_meeting(
        actor(world.pcc_staff), sip, starts_at=when(), link="https://mote.example/sip"
    )
    page = text(as_user(world.pcc_staff).get(reverse("sip_detail", args=[sip.public_id])))
    assert 'href="https://mote.example/sip"' in page
    assert "URL:https://mote.example/sip" in calendar_file(meeting)
