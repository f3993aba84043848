"""Who sees a deviation: the reporting unit, the receiving coordinator and the responsible
unit; the patient only where the unit also sees the case; analysts aggregates only."""

from django.urls import reverse
from django.utils import timezone

from samverkan.cases.testing import notified
from samverkan.deviations.testing import assigned, reported

from ..helpers import events, text


def detail(d):
    return reverse("deviation_detail", args=[d.public_id])


def test_the_three_parties_read_others_get_404(w, as_user, api):
    d = assigned(w, notified(w))
    for user in (w.a_staff, w.region_coord, w.ward_staff, w.ward_reader):
        assert as_user(user).get(detail(d)).status_code == 200, user
    for user in (w.b_staff, w.b_coord, w.a_coord, w.ed_staff, w.other_ward_staff):
        assert as_user(user).get(detail(d)).status_code == 404, user
        assert api.get(user, f"/deviations/{d.public_id}").status_code == 404
    assert as_user(w.analyst).get(detail(d)).status_code == 404  # outsider before role
    assert api.get(w.analyst, "/deviations").status_code == 403
    assert as_user(w.analyst).get(reverse("deviation_list")).status_code == 403


def test_patient_only_to_units_that_see_the_case(w, as_user, api):
    case = notified(w)  # the ward and municipality A's needs assessment take part
    d = assigned(w, case)
    reporter = text(as_user(w.a_staff).get(detail(d)))
    assert "Astrid Testsson" in reporter
    assert events("deviation.read", user=w.a_staff, patient=w.patient).exists()
    coordinator = text(as_user(w.region_coord).get(detail(d)))
    assert "Astrid Testsson" not in coordinator and "Visas bara för enheter" in coordinator
    assert events("deviation.read", user=w.region_coord, patient=None).exists()
    body = api.get(w.region_coord, f"/deviations/{d.public_id}").json()
    assert body["patient"] is None and body["case"] is None
    assert api.get(w.ward_staff, f"/deviations/{d.public_id}").json()["patient"]["name"] == (
        "Astrid Testsson"
    )


def test_lists_show_the_units_deviations_without_persons(w, as_user, api):
    mine = reported(w, notified(w))
    reported(w, by=w.b_staff)
    listing = text(as_user(w.a_staff).get(reverse("deviation_list")))
    assert mine.short_id in listing and "Antal avvikelser: 1" in listing
    assert "Astrid" not in listing
    coordinator = api.get(w.region_coord, "/deviations").json()
    assert coordinator["count"] == 2
    sent = text(as_user(w.region_coord).get(reverse("deviation_list") + "?view=sent"))
    assert "Antal avvikelser: 0" in sent
    this_year = timezone.localdate().year
    for query, count in (
        (f"?year={this_year}", 2),
        (f"?year={this_year - 1}", 0),
        ("?state=closed", 0),
    ):
        page = text(as_user(w.region_coord).get(reverse("deviation_list") + query))
        assert f"Antal avvikelser: {count}" in page, query


def test_the_case_page_offers_a_report(w, as_user):
    case = notified(w)
    body = text(as_user(w.a_staff).get(reverse("case_detail", args=[case.public_id])))
    assert f"/avvikelser/ny/?arende={case.public_id}" in body
