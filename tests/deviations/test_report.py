"""Reporting a deviation to another principal: standalone or linked to a case, with the
patient minimised, to the receiving principal's coordinator."""

from django.urls import reverse

from samverkan.cases.testing import notified
from samverkan.deviations.models import Deviation, Event
from samverkan.deviations.testing import category, reported
from samverkan.notifications.models import OutboxItem

from ..helpers import events, text

URL = "/deviations"


def body(w, **extra):
    return {
        "to_principal": "10",
        "category": "routines_notice",
        "description": "Inskrivningsmeddelandet kom efter två dygn.",
        "suggested_action": "Påminn avdelningen om 24-timmarsregeln.",
        **extra,
    }


def test_report_from_the_page_reaches_the_coordinator(w, as_user):
    case = notified(w)
    client = as_user(w.a_staff)
    form = client.get(reverse("deviation_report") + f"?arende={case.public_id}")
    assert "Rapportera avvikelse" in text(form) and case.short_id in text(form)
    response = client.post(
        reverse("deviation_report"),
        {
            "to_principal": w.region.pk,
            "category": category().pk,
            "occurred_at": "2026-01-10T09:00",
            "description": "Inget inskrivningsmeddelande.",
            "case": str(case.public_id),
            "include_patient": "on",
        },
    )
    deviation = Deviation.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"{deviation.public_id}/")
    assert deviation.state == "received" and deviation.patient == w.patient
    assert deviation.direction == "municipality_region" and deviation.case == case
    assert (deviation.due_at - deviation.reported_at).days == 60
    assert Event.objects.get(deviation=deviation).kind == "reported"
    assert events("deviation.report", user=w.a_staff).exists()
    note = OutboxItem.objects.get(unit=w.region_dev, kind="deviation_received")
    assert "Astrid" not in note.text and note.link.endswith(f"{deviation.public_id}/")


def test_report_through_the_api_standalone(w, api):
    response = api.post(w.ward_staff, URL, body(w, to_principal="1080", category="medicines"))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["direction"] == "region_municipality" and data["patient"] is None
    assert data["state"] == "received" and data["history"][0]["kind"] == "reported"


def test_the_patient_may_be_left_out(w, api):
    case = notified(w)
    response = api.post(w.a_staff, URL, body(w, case=str(case.public_id), include_patient=False))
    assert response.status_code == 201 and response.json()["patient"] is None
    assert response.json()["case"] == str(case.public_id)
    assert Deviation.objects.get().patient is None


def test_a_case_the_unit_does_not_see_is_refused(w, api):
    case = notified(w)
    response = api.post(w.b_staff, URL, body(w, case=str(case.public_id)))
    assert response.status_code == 404  # an outsider: 404, as everywhere (issue 12, item 13)
    assert response.json()["errors"][0]["rule"] == "not_found"
    assert not Deviation.objects.exists()


def test_bad_input_names_the_field_and_writes_nothing(w, api, as_user):
    cases = [
        (body(w, to_principal="1080"), "to_principal", "invalid"),  # own principal
        (body(w, category="flyga"), "category", "unknown_category"),
        (body(w, description="  "), "description", "required"),
        (body(w, to_principal="99"), "to_principal", "unknown_principal"),
        (body(w, occurred_at="2999-01-01T10:00:00"), "occurred_at", "future"),
    ]
    for data, field, rule in cases:
        response = api.post(w.a_staff, URL, data)
        assert response.status_code == 400, data
        assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["rule"]) == (
            field,
            rule,
        )
    page = as_user(w.a_staff).post(reverse("deviation_report"), {"to_principal": w.region.pk})
    assert page.status_code == 400 and "Detta fält måste fyllas i." in text(page)
    assert not Deviation.objects.exists() and not events("deviation.report").exists()


def test_a_principal_without_coordinator_is_refused(w, api):
    from samverkan.directory.models import Principal

    Principal.objects.filter(pk=w.region.pk).update(deviation_unit=None)
    response = api.post(w.a_staff, URL, body(w))
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "no_coordinator"


def test_roles_that_may_not_report(w, api, as_user):
    assert api.post(w.analyst, URL, body(w)).status_code == 403
    assert api.post(w.ward_reader, URL, body(w, to_principal="1080")).status_code == 403
    assert as_user(w.ward_reader).get(reverse("deviation_report")).status_code == 403
    assert as_user(w.a_staff).delete(reverse("deviation_report")).status_code == 405
    assert not Deviation.objects.exists()


def test_a_repeated_request_reports_once(w, api):
    first = api.post(w.a_staff, URL, body(w), key="avv-1")
    again = api.post(w.a_staff, URL, body(w), key="avv-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and Deviation.objects.count() == 1
    assert api.post(w.a_staff, URL, body(w, description="Annat"), key="avv-1").status_code == 422


def test_categories_are_a_managed_list(w, api):
    codes = [c["code"] for c in api.get(w.a_staff, "/deviations/categories").json()]
    assert codes[:2] == ["routines", "routines_notice"] and "devices" in codes
    category("devices").__class__.objects.filter(code="devices").update(active=False)
    response = api.post(w.a_staff, URL, body(w, category="devices"))
    assert response.status_code == 400
    assert reported(w).reported_category.main.code == "routines"
