"""Till journalen: a ward nurse sees a message to the record system that failed and sends it
again in the browser; the page has no serious accessibility violations."""

from django.utils import timezone
from playwright.sync_api import expect

from samverkan.cases.testing import notified
from samverkan.fhir.models import OutboundMessage

from .conftest import logged_in, serious_violations


def test_a_failed_message_is_sent_again(page_for, live_world):
    w = live_world
    case = notified(w)
    row = OutboundMessage.objects.create(
        source="browser-test",
        event="notice-acknowledged",
        case=case,
        ward=w.ward,
        bundle={"resourceType": "Bundle"},
        created_at=timezone.now(),
        state=OutboundMessage.State.FAILED,
        failed_at=timezone.now(),
        attempts=5,
        last_error="Mottagaren svarade 500 transient-error.",
    )
    page = logged_in(page_for, w.ward_staff)
    page.get_by_role("link", name="Inneliggande").click()  # the ward's way in (and the notice's)
    page.get_by_role("link", name="Meddelanden till journalsystemet som inte gått fram").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Meddelanden till journalsystemet som inte gått fram"
    )
    expect(page.get_by_role("cell", name=case.short_id, exact=True)).to_be_visible()
    expect(page.get_by_text("Mottagaren svarade 500")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name=f"Skicka igen: Kvittens {case.short_id}").click()
    expect(page.get_by_text("Meddelandet skickas igen vid nästa körning.")).to_be_visible()
    expect(page.get_by_text("Inga misslyckade meddelanden.")).to_be_visible()
    row.refresh_from_db()
    assert row.state == OutboundMessage.State.PENDING
