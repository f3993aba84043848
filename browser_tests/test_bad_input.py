"""Bad input in the forms gives a clear Swedish message next to the field and changes nothing:
a future time, and an action the case's state no longer allows (a stale page)."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from samverkan.cases.models import Case
from samverkan.cases.testing import notified, opened

from .conftest import logged_in, screenshot


def test_future_time_is_refused_next_to_the_field(live_world, page_for):
    case = opened(live_world)
    page = logged_in(page_for, live_world.ward_staff)
    page.goto(f"/arenden/{case.public_id}/")
    page.get_by_text("Skicka inskrivningsmeddelande", exact=True).first.click()
    form = page.locator("details[open] form")
    form.get_by_label("Beräknat utskrivningsdatum").fill("2026-12-10")
    later = timezone.localtime() + timedelta(days=2)
    form.get_by_label("Tidpunkt (om annan än nu)").fill(later.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_role("button", name="Skicka inskrivningsmeddelande").click()
    field = page.locator("details[open] .field.has-error")
    expect(field.get_by_text("Tidpunkt (om annan än nu)")).to_be_visible()
    expect(field.get_by_role("alert")).to_have_text("Tidpunkten får inte ligga i framtiden.")
    screenshot(page, "bad-input")
    assert Case.objects.get().notice_sent_at is None


def test_a_stale_page_cannot_act_twice(live_world, page_for):
    case = notified(live_world)
    first = logged_in(page_for, live_world.ward_physician)
    second = page_for()
    second.context.add_cookies(first.context.cookies())
    for page in (first, second):
        page.goto(f"/arenden/{case.public_id}/")
        page.get_by_text("Förklara utskrivningsklar", exact=True).first.click()
        page.locator("details[open] form").get_by_label("Behövs SIP").select_option("0")
    first.locator("details[open] form").get_by_role("button").click()
    expect(first.get_by_text("Förklara utskrivningsklar: klart.")).to_be_visible()
    second.locator("details[open] form").get_by_role("button").click()
    # merged onto the new version, where the state check says what happened in between
    expect(second.get_by_role("status")).to_contain_text("ärendet är utskrivningsklar")
    assert Case.objects.get().ready_periods.count() == 1
