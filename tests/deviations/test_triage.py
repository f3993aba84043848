"""The receiving principal's coordinator triages: assigns to the responsible unit,
re-categorises (both categories kept) or returns a misdirected deviation."""

from django.urls import reverse

from samverkan.deviations.models import Deviation
from samverkan.deviations.testing import assigned, category, reported
from samverkan.notifications.models import OutboxItem

from ..helpers import events, text


def path(d, verb=""):
    return f"/deviations/{d.public_id}" + (f"/{verb}" if verb else "")


def page(d, action):
    return reverse("deviation_action", args=[d.public_id, action])


def fresh(d) -> Deviation:
    return Deviation.objects.get(pk=d.pk)


def test_coordinator_assigns_on_the_page(w, as_user):
    d = reported(w)
    client = as_user(w.region_coord)
    assert "Avvikelser att fördela" in text(client.get(reverse("start")))  # worklist
    body = text(client.get(reverse("deviation_detail", args=[d.public_id])))
    assert "Fördela till ansvarig enhet" in body and "Godta återkopplingen" not in body
    response = client.post(page(d, "assign"), {"version": d.version, "unit": w.ward.pk})
    assert response.status_code == 302
    d = fresh(d)
    assert d.state == "assigned" and d.responsible_unit == w.ward and d.assigned_at
    assert events("deviation.assign", user=w.region_coord).exists()
    assert OutboxItem.objects.filter(unit=w.ward, kind="deviation_assigned").exists()
    assert (
        as_user(w.ward_staff).get(reverse("deviation_detail", args=[d.public_id])).status_code
        == 200
    )


def test_assign_only_inside_the_receiving_principal(w, api):
    d = reported(w)
    response = api.post(w.region_coord, path(d, "assign"), {"version": 1, "unit": "TEST-a_home"})
    assert response.status_code == 400 and response.json()["errors"][0]["rule"] == "principal"
    assert fresh(d).state == "received"


def test_recategorise_keeps_both_categories(w, api):
    d = reported(w)
    response = api.post(
        w.region_coord, path(d, "category"), {"version": d.version, "category": "communication"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["reported_category"] == "routines_notice" and data["category"] == "communication"
    assert data["history"][-1]["kind"] == "recategorised"
    assert events("deviation.recategorise").exists()
    again = api.post(
        w.region_coord, path(d, "category"), {"version": d.version + 1, "category": "communication"}
    )
    assert again.status_code == 400 and again.json()["errors"][0]["rule"] == "unchanged"


def test_return_as_misdirected(w, api, as_user):
    d = reported(w)
    response = api.post(
        w.region_coord, path(d, "return"), {"version": d.version, "reason": "Gäller kommun B."}
    )
    assert response.status_code == 200 and response.json()["state"] == "returned"
    assert OutboxItem.objects.filter(unit=w.a_needs, kind="deviation_returned").exists()
    body = text(as_user(w.a_staff).get(reverse("deviation_detail", args=[d.public_id])))
    assert "Gäller kommun B." in body
    later = api.post(w.region_coord, path(d, "assign"), {"version": 2, "unit": "TEST-ward"})
    assert later.status_code == 409 and later.json()["errors"][0]["rule"] == "state"


def test_return_needs_a_reason(w, api):
    d = reported(w)
    response = api.post(w.region_coord, path(d, "return"), {"version": d.version, "reason": ""})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    assert fresh(d).state == "received" and not events("deviation.return").exists()


def test_only_the_receiving_coordinator_triages(w, api):
    d = reported(w)
    data = {"version": d.version, "unit": "TEST-ward"}
    assert api.post(w.b_coord, path(d, "assign"), data).status_code == 404
    assert api.post(w.other_ward_staff, path(d, "assign"), data).status_code == 404
    assert api.post(w.a_staff, path(d, "assign"), data).status_code == 403  # the reporter
    assert api.post(w.analyst, path(d, "assign"), data).status_code == 404
    assert fresh(d).state == "received"


def test_read_only_coordinator_gets_403(w, api):
    from samverkan.directory.models import Membership

    reader = Membership.objects.create(user=w.b_staff, unit=w.region_dev, role="reader")
    w.b_staff.memberships.exclude(pk=reader.pk).delete()
    d = reported(w)
    assert api.get(w.b_staff, path(d)).status_code == 200
    response = api.post(w.b_staff, path(d, "assign"), {"version": 1, "unit": "TEST-ward"})
    assert response.status_code == 403


def test_stale_version_is_a_conflict(w, api, as_user):
    d = assigned(w)
    response = api.post(w.region_coord, path(d, "assign"), {"version": 1, "unit": "TEST-ed"})
    assert response.status_code == 409 and response.json()["errors"][0]["rule"] == "conflict"
    page_response = as_user(w.region_coord).post(
        page(d, "recategorise"), {"version": 1, "category": category("sip").pk}
    )
    assert page_response.status_code == 400 and "ändrats av någon annan" in text(page_response)
    assert fresh(d).category.code == "routines_notice"


def test_reassign_before_feedback(w, api):
    d = assigned(w)
    response = api.post(
        w.region_coord, path(d, "assign"), {"version": d.version, "unit": "TEST-ed"}
    )
    assert (
        response.status_code == 200 and response.json()["responsible_unit"]["hsa_id"] == "TEST-ed"
    )
    assert api.get(w.ward_staff, path(d)).status_code == 404  # no longer the ward's


def test_wrong_method_and_unknown_action(w, as_user):
    d = reported(w)
    client = as_user(w.region_coord)
    assert client.get(page(d, "assign")).status_code == 405
    assert client.post(page(d, "flyga"), {}).status_code == 404
