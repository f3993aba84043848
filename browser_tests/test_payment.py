"""Payment liability in Chromium: the municipality opens its monthly statement from the menu,
follows a line to the stay's days and their reasons; a bad month names the field; axe-core
finds no serious violations on the statement or the stay page."""

import time_machine
from playwright.sync_api import expect

from samverkan.followup.payment.testing import at, payment_world, stay

from .conftest import logged_in, screenshot, serious_violations


def test_statement_line_to_its_days(live_world, page_for):
    w = payment_world(live_world)
    with time_machine.travel(at(15, 12, month=4)):  # entered then: within a year of the stay
        stay(w, out=at(10, 14))  # the worked example: 3 liable days
    page = logged_in(page_for, w.a_staff)
    page.get_by_role("link", name="Betalningsansvar").click()
    page.get_by_label("Månad").fill("2025-03")
    page.get_by_role("button", name="Visa").click()
    lines = page.locator(
        "section", has=page.get_by_role("heading", name="Kommun A: vårdtillfällen")
    )
    expect(lines.get_by_text("Astrid Testsson")).to_be_visible()
    expect(lines.get_by_role("cell", name="27 900").first).to_be_visible()
    screenshot(page, "payment-statement")
    assert serious_violations(page) == []

    lines.get_by_role("link", name="19400104-2383").click()
    expect(page.get_by_role("heading", name="Betalningsansvar dag för dag")).to_be_visible()
    expect(page.get_by_text("Fridag 3 av 3")).to_be_visible()
    expect(page.get_by_text("Utskriven: utskrivningsdagen räknas inte")).to_be_visible()
    screenshot(page, "payment-stay")
    assert serious_violations(page) == []

    page.goto("/uppfoljning/betalningsansvar/?manad=2025-13")
    expect(page.get_by_role("alert")).to_contain_text("Månad: ange år och månad som ÅÅÅÅ-MM")
