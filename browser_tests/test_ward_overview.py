"""The ward overview in the browser: axe-core clean at 1280 and 768 px, a row per in-patient
(cards on a tablet), and sorting by clicking a column header."""

from datetime import date

import pytest
from playwright.sync_api import expect

from samverkan.cases import services
from samverkan.cases.testing import actor, in_patients

from .conftest import logged_in, screenshot, serious_violations


def names(page):
    return page.locator("table.overview tbody td[data-label=Patient] a").all_inner_texts()


@pytest.mark.parametrize("width", [1280, 1024, 768])
def test_sort_by_click_and_no_serious_violations(live_world, page_for, width):
    w = live_world
    for unit, name in ((w.a_needs, "Biståndsenheten Karlskrona"), (w.pcc, "Vårdcentralen Wämö")):
        unit.name = name  # names as long as the real ones
        unit.save()
    cases = in_patients(live_world, 3)  # admitted 2, 3 and 4 hours ago
    services.send_admission_notice(
        actor(live_world.ward_staff), cases[1], expected_discharge_date=date.today()
    )
    page = logged_in(page_for, live_world.ward_staff, {"width": width, "height": 1000})
    page.get_by_role("link", name="Inneliggande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inneliggande på")
    assert names(page) == ["Test Efternamn0", "Test Efternamn1", "Test Efternamn2"]
    assert serious_violations(page) == []
    screenshot(page, f"ward-overview-{width}")
    page.get_by_role("link", name="Inskriven", exact=True).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Inskriven")
    assert names(page) == ["Test Efternamn2", "Test Efternamn1", "Test Efternamn0"]
    page.get_by_role("link", name="Inskriven", exact=True).click()
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Inskriven")
    assert names(page) == ["Test Efternamn0", "Test Efternamn1", "Test Efternamn2"]
    cells = page.locator("tbody tr").first.locator("td")
    if width == 768:  # a card: the cells stacked, each with its column's name
        boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
        assert all(b["y"] < c["y"] for b, c in zip(boxes, boxes[1:], strict=False))
        label = cells.nth(1).evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Inskriven"'
    else:  # every column on screen, without scrolling the table either
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")
