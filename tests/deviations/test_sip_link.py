"""A deviation linked to a SIP: the patient comes from the plan and is shown only to the
deviation's parties that may also see the SIP (samverkan/sip/access.py), so a revoked consent
hides the person again."""

from django.urls import reverse

from samverkan.cases.testing import actor, notified
from samverkan.deviations import services
from samverkan.deviations.models import Deviation
from samverkan.deviations.testing import category
from samverkan.sip import services as sip_services
from samverkan.sip.testing import consented, started, with_unit

from ..helpers import events, text

URL = "/deviations"
NAME = "Astrid Testsson"


def shared_sip(w):
    """Started by the region's primary care; municipality A's needs assessment takes part
    with the person's consent for both principals."""
    return consented(w, with_unit(w, started(w), w.a_needs))


def body(sip, **extra):
    return {
        "to_principal": "10",
        "category": "sip",
        "description": "Kallelsen till SIP-mötet kom samma dag.",
        "sip": str(sip.public_id),
        **extra,
    }


def from_municipality(w, sip, **extra):
    return services.report(
        actor(w.a_staff),
        to_principal=w.region,
        category=category("sip"),
        description="Kallelsen kom för sent.",
        sip=sip.public_id,
        **extra,
    )


def page(user_client, deviation):
    return text(user_client.get(reverse("deviation_detail", args=[deviation.public_id])))


def revoke(w, sip):
    sip.refresh_from_db()
    sip_services.revoke_consent(actor(w.pcc_staff), sip, sip.consents.get())


def test_the_sip_page_offers_a_report_and_the_form_names_the_plan(w, as_user):
    sip = shared_sip(w)
    plan = text(as_user(w.a_staff).get(reverse("sip_detail", args=[sip.public_id])))
    link = f"{reverse('deviation_report')}?sip={sip.public_id}"
    assert link in plan
    form = as_user(w.a_staff).get(link)
    assert form.status_code == 200 and f"SIP {sip.short_id}" in text(form)
    assert f'value="{sip.public_id}"' in form.content.decode()
    reader = w.ward_reader
    with_unit(w, sip, w.ward)
    assert link not in text(as_user(reader).get(reverse("sip_detail", args=[sip.public_id])))


def test_report_from_the_page_takes_the_patient_from_the_sip(w, as_user):
    sip = shared_sip(w)
    response = as_user(w.a_staff).post(
        reverse("deviation_report"),
        {
            "to_principal": w.region.pk,
            "category": category("sip").pk,
            "occurred_at": "2026-01-10T09:00",
            "description": "Kallelsen kom samma dag som mötet.",
            "sip": str(sip.public_id),
            "include_patient": "on",
        },
    )
    deviation = Deviation.objects.get()
    assert response.status_code == 302
    assert deviation.sip == sip and deviation.case is None and deviation.patient == w.patient
    event = events("deviation.report", user=w.a_staff).get()
    assert event.detail["sip"] is True and event.detail["case"] is False


def test_report_through_the_api_with_a_sip(w, api):
    sip = shared_sip(w)
    first = api.post(w.a_staff, URL, body(sip), key="avv-sip-1")
    again = api.post(w.a_staff, URL, body(sip), key="avv-sip-1")
    assert first.status_code == again.status_code == 201, first.json()
    assert again["Idempotent-Replayed"] == "true" and Deviation.objects.count() == 1
    data = first.json()
    assert data["sip"] == str(sip.public_id) and data["case"] is None
    assert data["patient"]["name"] == NAME
    left_out = api.post(w.a_staff, URL, body(sip, include_patient=False)).json()
    assert left_out["patient"] is None and left_out["sip"] == str(sip.public_id)
    schema = api.get(w.a_staff, "/openapi.json").json()["components"]["schemas"]
    assert (
        "sip" in schema["ReportIn"]["properties"] and "sip" in schema["DeviationOut"]["properties"]
    )


def test_patient_only_to_parties_that_may_see_the_sip(w, as_user, api):
    sip = shared_sip(w)
    d = from_municipality(w, sip)
    assert NAME in page(as_user(w.a_staff), d)  # the reporter takes part with consent
    coordinator = page(as_user(w.region_coord), d)  # the region's coordinator does not
    assert NAME not in coordinator and "har tillgång till planen" in coordinator
    assert f"SIP {sip.short_id}" not in coordinator
    assert events("deviation.read", user=w.region_coord, patient=None).exists()
    seen = api.get(w.region_coord, f"/deviations/{d.public_id}").json()
    assert seen["patient"] is None and seen["sip"] is None
    services.assign(actor(w.region_coord), d, unit=w.pcc)  # the SIP's initiating unit
    assert NAME in page(as_user(w.pcc_staff), d)
    assert api.get(w.pcc_staff, f"/deviations/{d.public_id}").json()["sip"] == str(sip.public_id)
    assert events("deviation.read", user=w.pcc_staff, patient=w.patient).exists()
    listing = text(as_user(w.a_staff).get(reverse("deviation_list")))
    assert d.short_id in listing and NAME not in listing


def test_an_outsider_gets_404_and_cannot_link_the_sip(w, as_user, api):
    sip = shared_sip(w)
    d = from_municipality(w, sip)
    for user in (w.b_staff, w.b_coord, w.ward_staff):
        assert as_user(user).get(reverse("deviation_detail", args=[d.public_id])).status_code == 404
        assert api.get(user, f"/deviations/{d.public_id}").status_code == 404
    refused = api.post(w.b_staff, URL, body(sip))
    assert refused.status_code == 404
    assert Deviation.objects.count() == 1


def test_a_unit_whose_consent_was_revoked_no_longer_sees_the_person(w, as_user, api):
    sip = shared_sip(w)
    d = from_municipality(w, sip)
    revoke(w, sip)
    reporter = page(as_user(w.a_staff), d)  # still the reporter, no longer in the plan
    assert NAME not in reporter and "en SIP som din enhet inte har tillgång till" in reporter
    assert api.get(w.a_staff, f"/deviations/{d.public_id}").json()["patient"] is None
    assert as_user(w.a_staff).get(reverse("sip_detail", args=[sip.public_id])).status_code == 404
    refused = api.post(w.a_staff, URL, body(sip))
    assert refused.status_code == 404
    form = as_user(w.a_staff).get(f"{reverse('deviation_report')}?sip={sip.public_id}")
    assert f"SIP {sip.short_id}" not in text(form)
    assert Deviation.objects.count() == 1


def test_roles_methods_and_bad_input(w, as_user, api):
    sip = shared_sip(w)
    case = notified(w)
    with_unit(w, sip, w.ward)
    assert api.post(w.ward_reader, URL, body(sip, to_principal="1080")).status_code == 403
    assert api.post(w.analyst, URL, body(sip)).status_code == 403
    assert (
        as_user(w.a_staff).put(f"{reverse('deviation_report')}?sip={sip.public_id}").status_code
        == 405
    )
    both = api.post(w.a_staff, URL, body(sip, case=str(case.public_id)))
    assert both.status_code == 400
    assert (both.json()["errors"][0]["field"], both.json()["errors"][0]["rule"]) == (
        "sip",
        "one_link",
    )
    bad = as_user(w.a_staff).post(
        reverse("deviation_report"),
        {"to_principal": w.region.pk, "category": category("sip").pk, "sip": "inte-ett-id"},
    )
    assert bad.status_code == 400 and "Länken till planen är ogiltig." in text(bad)
    assert as_user(w.a_staff).get(f"{reverse('deviation_report')}?sip=x").status_code == 200
    assert not Deviation.objects.exists() and not events("deviation.report").exists()
