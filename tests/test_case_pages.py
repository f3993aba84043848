"""The LOS process in the browser's pages: worklist, case list, case page, actions, receipts,
print view, notifications — each with access, audit and bad input."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samverkan.cases.models import Case, Delivery
from samverkan.cases.testing import notified, opened, ready
from samverkan.testing import grant

from .helpers import events, text


def detail(case):
    return reverse("case_detail", args=[case.public_id])


def action(case, key):
    return reverse("case_action", args=[case.public_id, key])


def test_worklist_shows_what_to_do_and_overdue(as_user, world):
    opened(world, now=timezone.now() - timedelta(hours=30))
    body = text(as_user(world.ward_staff).get(reverse("start")))
    assert "Skicka inskrivningsmeddelande" in body and "försenat sedan" in body
    assert "Astrid Testsson" in body


def test_case_page_for_a_participant_marks_my_notices_read(as_user, world):
    case = notified(world)
    response = as_user(world.a_staff).get(detail(case))
    body = text(response)
    assert response.status_code == 200 and "Att kvittera för A Needs" in body
    assert "Inskrivningsmeddelande" in body and "Kvittera" in body
    assert Delivery.objects.get(unit=world.a_needs).state == "read"
    assert events("case.read", user=world.a_staff).exists()
    assert "Förklara utskrivningsklar" not in body  # only what the role and state allow


def test_outsiders_get_404_also_analysts(as_user, world):
    case = notified(world)
    for outsider in (world.b_staff, world.other_ward_staff, world.analyst):
        assert as_user(outsider).get(detail(case)).status_code == 404  # before any role check
    assert as_user(world.ward_staff).post(detail(case)).status_code == 405


def test_ward_sends_the_notice_from_the_page(as_user, world):
    case = opened(world)
    client = as_user(world.ward_staff)
    assert "Skicka inskrivningsmeddelande" in text(client.get(detail(case)))
    response = client.post(
        action(case, "notice"),
        {
            "version": case.version,
            "expected_discharge_date": timezone.localdate().isoformat(),
            "recipients": [world.a_needs.hsa_id, world.pcc.hsa_id],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.notice_sent_at and Delivery.objects.count() == 2


def test_bad_input_is_shown_next_to_the_field_and_changes_nothing(as_user, world):
    case = opened(world)
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(world.ward_staff).post(
        action(case, "notice"),
        {
            "version": case.version,
            "expected_discharge_date": timezone.localdate().isoformat(),
            "recipients": [world.a_needs.hsa_id],
            "occurred_at": future,
        },
    )
    assert response.status_code == 400
    assert "Tidpunkten får inte ligga i framtiden." in text(response)
    case.refresh_from_db()
    assert case.notice_sent_at is None and not Delivery.objects.exists()


def test_state_and_version_errors_are_clear(as_user, world):
    case = opened(world)
    response = as_user(world.ward_physician).post(
        action(case, "ready"), {"version": case.version, "sip_needed": "0"}
    )
    assert response.status_code == 400 and "inskrivningsmeddelandet" in text(response)
    response = as_user(world.ward_staff).post(
        action(case, "expected"),
        {"version": case.version + 5, "expected_discharge_date": "2026-12-02"},
    )
    assert response.status_code == 400 and "Någon annan har ändrat ärendet" in text(response)


def test_roles_and_outsiders_on_actions(as_user, world):
    case = notified(world)
    data = {"version": case.version, "sip_needed": "0"}
    assert as_user(world.ward_staff).post(action(case, "ready"), data).status_code == 403
    assert as_user(world.ward_reader).post(action(case, "ready"), data).status_code == 403
    assert as_user(world.b_staff).post(action(case, "ready"), data).status_code == 404
    assert as_user(world.ward_physician).get(action(case, "ready")).status_code == 405
    assert as_user(world.ward_physician).post(action(case, "flyga"), data).status_code == 404
    response = as_user(world.ward_physician).post(action(case, "ready"), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "ready"


def test_receipts_from_the_page(as_user, world):
    case = notified(world)
    mine = Delivery.objects.get(unit=world.a_needs)
    url = reverse("delivery_action", args=[mine.public_id, "acknowledge"])
    assert as_user(world.pcc_staff).post(url).status_code == 404
    assert as_user(world.a_staff).get(url).status_code == 405
    assert as_user(world.a_staff).post(url).status_code == 302
    mine.refresh_from_db()
    assert mine.state == "acknowledged"
    theirs = Delivery.objects.get(unit=world.pcc)
    forward = reverse("delivery_action", args=[theirs.public_id, "forward"])
    response = as_user(world.pcc_staff).post(forward, {"to": world.a_home.pk}, follow=True)
    assert "Välj ett giltigt alternativ" in text(response)  # not inside the own principal
    reject = reverse("delivery_action", args=[theirs.public_id, "reject"])
    as_user(world.pcc_staff).post(reject, {"reason": "not_known", "confirm": "on"})
    assert as_user(world.pcc_staff).get(detail(case)).status_code == 404


def test_open_case_from_the_person_page(as_user, world):
    grant(world.patient, world.ward, world.ward_staff)
    client = as_user(world.ward_staff)
    page = text(client.get(reverse("patient_detail", args=[world.patient.public_id])))
    assert "Öppna samordningsärende" in page
    response = client.post(
        reverse("case_open", args=[world.patient.public_id]),
        {"expected_discharge_date": timezone.localdate().isoformat()},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == detail(case)
    assert (
        as_user(world.a_staff)
        .post(reverse("case_open", args=[world.patient.public_id]))
        .status_code
        == 404
    )


def test_case_list_filters_and_search(as_user, world):
    case = ready(world)
    client = as_user(world.a_staff)
    body = text(client.get(reverse("case_list"), {"state": "ready"}))
    assert "Astrid Testsson" in body and "Antal ärenden: 1" in body
    assert "Antal ärenden: 0" in text(client.get(reverse("case_list"), {"state": "closed"}))
    assert "Identitetsnummer" not in body  # municipality: no search by number
    ward = as_user(world.ward_staff)
    posted = ward.post(reverse("case_list"), {"identity": "19400104-2383", "state": "all"})
    assert posted.status_code == 302 and "1940" not in posted.url  # never in a URL or a log
    found = text(ward.get(posted.url))
    assert str(case.public_id) in found and 'value="19400104-2383"' in found
    assert "Antal ärenden: 1" in text(ward.get(reverse("case_list"), {"identity": "19400104-2384"}))
    bad = ward.get(ward.post(reverse("case_list"), {"identity": "19400104-2384"}).url)
    assert "Kontrollsiffran stämmer inte." in text(bad)
    assert "Antal ärenden: 0" in text(as_user(world.b_staff).get(reverse("case_list")))


def test_print_view_and_notifications(as_user, world):
    case = notified(world)
    response = as_user(world.a_staff).get(reverse("case_print", args=[case.public_id]))
    assert response.status_code == 200 and "data-print" in text(response)
    assert (
        as_user(world.b_staff).get(reverse("case_print", args=[case.public_id])).status_code == 404
    )
    call_command("run_worker", "--once")
    client = as_user(world.a_staff)
    assert 'aria-label="1 olästa"' in text(client.get(reverse("case_list")))
    assert "· Astrid Testsson" in text(client.get(reverse("notifications")))
    assert 'aria-label="1 olästa"' not in text(client.get(reverse("case_list")))


# start: session, the user with their memberships, the LOS sections (2), one query asking
# the other modules (SIP, deviations, forums) whether they have anything, the read log (its
# INSERT and COMMIT, and on PostgreSQL its BEGIN), the downtime banner (which also gives the
# start page its reconciliation reminders), unread notifications
@pytest.mark.parametrize("page,most", [("start", 10), ("case", 19)])
def test_pages_use_a_fixed_number_of_queries(
    as_user, world, django_assert_max_num_queries, page, most
):
    case = ready(world)
    for _ in range(3):
        from samverkan.cases import services
        from samverkan.cases.testing import actor

        services.record_adl(actor(world.ward_staff), case, items={"feeding": {"level": "partly"}})
        case.refresh_from_db()
    client = as_user(world.ward_staff)
    url = reverse("start") if page == "start" else detail(case)
    with django_assert_max_num_queries(most):  # however many messages and ADL rows
        assert client.get(url).status_code == 200


def test_acknowledge_from_the_worklist_with_htmx(as_user, world):
    notified(world)
    mine = Delivery.objects.get(unit=world.a_needs)
    client = as_user(world.a_staff)
    assert "Kvittera" in text(client.get(reverse("start")))
    url = reverse("delivery_action", args=[mine.public_id, "acknowledge"])
    response = client.post(url, HTTP_HX_REQUEST="true", follow=True)
    assert response.status_code == 200 and "Inget väntar just nu." in text(response)
    mine.refresh_from_db()
    assert mine.state == "acknowledged"


def test_care_request_page(as_user, world):
    client = as_user(world.a_staff)
    assert "Ny vårdbegäran" in text(client.get(reverse("care_request")))
    data = {
        "identity": "19400104-2383",
        "hospital_unit": world.ed.pk,
        "consent": "on",
        "health_status": "Feber",
        "contact": "Hemsjukvården 0455-1",
    }
    response = client.post(reverse("care_request"), {**data, "consent": ""})
    assert response.status_code == 400 and "samtycke krävs" in text(response)
    assert not Case.objects.exists()
    response = client.post(reverse("care_request"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == detail(case)
    assert case.state == "requested"
    assert as_user(world.ward_staff).post(reverse("care_request"), data).status_code == 403
    assert as_user(world.ward_reader).get(reverse("care_request")).status_code == 403


def test_attach_and_download_on_the_case_page(as_user, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = ready(world)
    upload = SimpleUploadedFile("epikris.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    client = as_user(world.ward_staff)
    response = client.post(action(case, "attach"), {"version": case.version, "file": upload})
    assert response.status_code == 302
    attachment = case.attachments.get()
    url = reverse("case_attachment", args=[case.public_id, attachment.public_id])
    assert "epikris.pdf" in text(client.get(detail(case)))
    download = as_user(world.a_staff).get(url)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert events("case.attachment_read", user=world.a_staff).exists()
    assert as_user(world.b_staff).get(url).status_code == 404


def test_interruption_for_one_unit_on_the_page(as_user, world):
    case = notified(world)
    response = as_user(world.ward_staff).post(
        action(case, "interrupt"),
        {"version": case.version, "reason": "declined", "unit": world.a_needs.pk, "confirm": "on"},
    )
    assert response.status_code == 302
    assert as_user(world.a_staff).get(detail(case)).status_code == 404
    case.refresh_from_db()
    assert case.state == "admitted"


def test_action_forms_load_on_demand(as_user, world):
    case = opened(world)
    url = reverse("case_action_form", args=[case.public_id, "notice"])
    client = as_user(world.ward_staff)
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in text(fragment)
    assert 'name="recipients"' in text(fragment) and "checked" in text(fragment)
    assert "<html" in text(client.get(url))  # without JavaScript: a page of its own
    assert (
        client.get(reverse("case_action_form", args=[case.public_id, "close"])).status_code == 404
    )  # not offered in this state
    assert as_user(world.b_staff).get(url).status_code == 404
    assert as_user(world.ward_reader).get(url).status_code == 403
