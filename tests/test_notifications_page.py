"""The Notiser page: the unit's notifications, newest first; opening it marks those shown read
by the reader (the first reader is kept), and the header's unread count follows. A role without
personal data is refused; a POST is not allowed."""

from django.urls import reverse

from samverkan.cases.testing import actor, notified
from samverkan.notifications.models import Notification
from samverkan.notifications.notify import mark_read
from samverkan.worker import run_once

from .helpers import text


def test_opening_the_page_marks_the_shown_read(as_user, world):
    notified(world)
    run_once()
    client = as_user(world.a_staff)
    assert client.get(reverse("start")).context["unread_notifications"] == 1
    response = client.get(reverse("notifications"))
    note = Notification.objects.get(unit=world.a_needs)
    assert response.status_code == 200 and response.context["unread"] == {note.pk}
    assert '<span class="badge">Ny</span>' in text(response) and "Astrid Testsson" in text(response)
    assert note.read_by == world.a_staff and note.read_at
    again = client.get(reverse("notifications"))
    assert again.context["unread"] == set() and '<span class="badge">Ny</span>' not in text(again)
    assert client.get(reverse("start")).context["unread_notifications"] == 0


def test_the_first_reader_is_kept_and_a_unit_marks_only_its_own(world):
    notified(world)
    run_once()
    note = Notification.objects.get(unit=world.a_needs)
    other = Notification.objects.exclude(unit=world.a_needs).first()
    assert mark_read(actor(world.a_staff), [note.pk, other.pk]) == 1
    assert mark_read(actor(world.a_admin), [note.pk]) == 0
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_by == world.a_staff and other.read_at is None


def test_roles_without_personal_data_and_wrong_methods_are_refused(as_user, world):
    assert as_user(world.analyst).get(reverse("notifications")).status_code == 403
    assert as_user(world.a_staff).post(reverse("notifications")).status_code == 405
