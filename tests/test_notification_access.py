"""Notifications, worklists and the start page are built through the access chokepoints: a unit
removed from a case, or whose SIP consent was revoked, no longer sees the person there; the
persons named are logged as read; an outsider gets 404 before any role check."""

from django.core.management import call_command
from django.urls import reverse

from samverkan.cases import services
from samverkan.cases.testing import actor, notified
from samverkan.notifications.models import Notification
from samverkan.sip import services as sips
from samverkan.sip.testing import consented, started, with_unit

from .helpers import events, text


def _deliver():
    call_command("run_worker", "--once")


def test_a_removed_unit_no_longer_sees_the_person(api, as_user, world):
    case = notified(world)
    _deliver()
    assert api.get(world.a_staff, "/notifications").json()["items"][0]["person"]
    services.interrupt(actor(world.ward_staff), case, reason="misdirected", unit=world.a_needs)
    _deliver()
    items = api.get(world.a_staff, "/notifications").json()["items"]
    assert items and all(i["person"] == "" and i["link"] == "" for i in items)
    assert "Astrid" not in str(items)
    worklist = api.get(world.a_staff, "/worklist").json()
    assert worklist["rows"] == [] and "Astrid" not in str(worklist)
    page = text(as_user(world.a_staff).get(reverse("start")))
    assert "Astrid" not in page
    page = text(as_user(world.a_staff).get(reverse("notifications")))
    assert "Astrid" not in page and "inte längre tillgång" in page


def test_reading_notifications_is_audited_per_person_shown(api, as_user, world):
    notified(world)
    _deliver()
    api.get(world.a_staff, "/notifications")
    assert events("notification.list", user=world.a_staff, patient=world.patient).count() == 1
    as_user(world.a_staff).get(reverse("notifications"))
    assert events("notification.list", user=world.a_staff, patient=world.patient).count() == 2


def test_a_revoked_consent_hides_the_person_in_sip_notifications(api, world):
    sip = with_unit(world, consented(world, started(world)), world.a_needs)
    _deliver()
    assert any(i["person"] for i in api.get(world.a_staff, "/notifications").json()["items"])
    consent = sip.consents.get()
    sips.revoke_consent(actor(world.pcc_staff), sip, consent)
    items = api.get(world.a_staff, "/notifications").json()["items"]
    assert items and not any(i["person"] or i["link"] for i in items)
    assert "Astrid" not in str(items)


def test_an_outsider_gets_404_before_any_role_check(api, world):
    notified(world)
    _deliver()
    first = Notification.objects.filter(unit=world.a_needs).first()
    assert api.post(world.analyst, f"/notifications/{first.pk}/read").status_code == 404
    assert api.post(world.b_staff, f"/notifications/{first.pk}/read").status_code == 404


def test_no_stored_text_names_the_person(world):
    notified(world)
    _deliver()
    assert Notification.objects.exists()
    assert not Notification.objects.filter(text__contains="Astrid").exists()
