"""Feedback: the responsible unit answers with analysis and actions by the deadline (shown on
worklists, overdue marked); the reporter acknowledges or asks for more; the history is kept."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from samverkan.cases.testing import actor
from samverkan.core.worklists import panels
from samverkan.deviations import services
from samverkan.deviations.models import Deviation
from samverkan.deviations.testing import answered, assigned, reported
from samverkan.notifications.models import OutboxItem

from ..helpers import events, text


def path(d, verb=""):
    return f"/deviations/{d.public_id}" + (f"/{verb}" if verb else "")


def fresh(d) -> Deviation:
    return Deviation.objects.get(pk=d.pk)


def section(user, key, now=None):
    found = dict((k, e) for k, _t, e in panels(actor(user), now or timezone.now()))
    return found.get(key, [])  # a module with nothing to show has no sections


def test_responsible_unit_gives_feedback_on_the_page(w, as_user):
    d = assigned(w)
    client = as_user(w.ward_staff)
    assert "Avvikelser att återkoppla" in text(client.get(reverse("start")))
    response = client.post(
        reverse("deviation_action", args=[d.public_id, "feedback"]),
        {"version": d.version, "analysis": "Helgbemanning.", "actions": "Checklista införd."},
    )
    assert response.status_code == 302
    d = fresh(d)
    assert d.state == "answered" and d.feedback_at and d.days_to_feedback() == 0
    assert events("deviation.feedback", user=w.ward_staff).exists()
    assert OutboxItem.objects.filter(unit=w.a_needs, kind="deviation_feedback").exists()
    body = text(as_user(w.a_staff).get(reverse("deviation_detail", args=[d.public_id])))
    assert "Checklista införd." in body and "Godta återkopplingen" in body


def test_feedback_needs_analysis_and_actions(w, api, as_user):
    d = assigned(w)
    response = api.post(
        w.ward_staff, path(d, "feedback"), {"version": d.version, "analysis": "x", "actions": ""}
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "actions"
    page = as_user(w.ward_staff).post(
        reverse("deviation_action", args=[d.public_id, "feedback"]), {"version": d.version}
    )
    assert page.status_code == 400 and "Detta fält måste fyllas i." in text(page)
    assert fresh(d).state == "assigned" and not events("deviation.feedback").exists()


def test_only_the_responsible_unit_answers(w, api):
    d = assigned(w)
    data = {"version": d.version, "analysis": "a", "actions": "b"}
    assert api.post(w.ed_staff, path(d, "feedback"), data).status_code == 404
    assert api.post(w.region_coord, path(d, "feedback"), data).status_code == 403
    assert api.post(w.ward_reader, path(d, "feedback"), data).status_code == 403
    assert fresh(d).state == "assigned"
    assert api.post(w.ward_staff, path(d, "feedback"), data).status_code == 200
    twice = api.post(w.ward_staff, path(d, "feedback"), {**data, "version": d.version + 1})
    assert twice.status_code == 409 and twice.json()["errors"][0]["rule"] == "state"


def test_reporter_acknowledges(w, api):
    d = answered(w)
    assert len(section(w.a_staff, "deviations_to_judge")) == 1
    response = api.post(w.a_staff, path(d, "acknowledge"), {"version": d.version})
    assert response.status_code == 200 and response.json()["state"] == "closed"
    assert [e["kind"] for e in response.json()["history"]] == [
        "reported",
        "assigned",
        "feedback",
        "acknowledged",
    ]
    assert events("deviation.acknowledge").exists()
    assert section(w.a_staff, "deviations_to_judge") == []
    again = api.post(w.a_staff, path(d, "acknowledge"), {"version": d.version + 1})
    assert again.status_code == 409


def test_reporter_asks_for_more_and_gets_a_new_deadline(w, api):
    start = timezone.now() - timedelta(days=70)
    d = answered(w, now=start)
    response = api.post(w.a_staff, path(d, "more"), {"version": d.version, "text": "Vilken rutin?"})
    assert response.status_code == 200
    d = fresh(d)
    assert d.state == "assigned" and d.feedback_at == start  # the first feedback still counts
    assert d.due_at > timezone.now() + timedelta(days=59) and d.feedback_due_at < timezone.now()
    assert OutboxItem.objects.filter(unit=w.ward, kind="deviation_more").exists()
    services.give_feedback(actor(w.ward_staff), d, analysis="Rutin X.", actions="Utbildning.")
    assert fresh(d).feedback_at == start
    assert api.post(w.ward_staff, path(d, "more"), {"version": 99, "text": "x"}).status_code == 403


def test_ask_for_more_needs_a_text(w, api):
    d = answered(w)
    response = api.post(w.a_staff, path(d, "more"), {"version": d.version, "text": " "})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "text"
    assert fresh(d).state == "answered"


def test_the_deadline_is_tracked_and_overdue_marked(w, as_user, settings):
    d = assigned(w)
    assert d.due_at - d.reported_at == timedelta(days=60)
    entry = section(w.ward_staff, "deviations_to_answer")[0]
    assert entry.due_at == d.due_at and not entry.overdue
    with time_machine.travel(d.reported_at + timedelta(days=61), tick=False):
        entry = section(w.ward_staff, "deviations_to_answer")[0]
        assert entry.overdue
        body = text(as_user(w.ward_staff).get(reverse("start")))
        assert "försenad" in body
        listing = text(as_user(w.region_coord).get(reverse("deviation_list")))
        assert "(försenad)" in listing
    settings.DEVIATION_FEEDBACK_DAYS = 30
    assert reported(w).due_at - timezone.now() < timedelta(days=31)


def test_both_sides_see_the_same_status_and_dates(w, api):
    d = answered(w)
    seen = [api.get(u, path(d)).json() for u in (w.a_staff, w.region_coord, w.ward_staff)]
    keys = ("state", "reported_at", "due_at", "feedback_at", "days_to_feedback", "history")
    assert all({k: s[k] for k in keys} == {k: seen[0][k] for k in keys} for s in seen)
