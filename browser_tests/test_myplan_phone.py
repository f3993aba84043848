"""Min plan on a phone (390 px wide) in Chromium: the e-ID login through the local identity
provider, the plan in large type without sideways scrolling, sharing with a next of kin."""

from playwright.sync_api import expect

from samverkan.accounts.testing import IDP_PASSWORD
from samverkan.myplan.testing import release_all, stay_with_plan

from .conftest import screenshot, serious_violations

PHONE = {"width": 390, "height": 844}


def e_id(page, person: str) -> None:
    page.goto("/min-plan/")
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    heading = "Logga in med e-legitimation (lokal testleverantör)"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    page.get_by_label("Person och kort").select_option(person)
    page.get_by_label("Lösenord (PIN)").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Legitimera").click()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_min_plan_on_a_phone(page_for, live_world, with_eid):
    release_all(live_world, *stay_with_plan(live_world))
    page = page_for(PHONE)
    e_id(page, "astrid")
    expect(page.get_by_role("heading", name="Din plan")).to_be_visible()
    expect(page.get_by_role("heading", name="Nästa steg")).to_be_visible()
    expect(page.get_by_role("link", name="0455-73 10 00")).to_be_visible()  # tap to call
    expect(page.get_by_text("Väga dig varje måndag")).to_be_visible()
    assert fits_the_screen(page)
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20  # large type
    assert serious_violations(page) == []
    screenshot(page, "myplan-phone")
    page.get_by_role("link", name="Dela planen med en närstående").click()
    page.get_by_label("Personnummer").fill("19750107-9292")
    page.get_by_label("Namn").fill("Karin Testsson")
    page.get_by_label("Relation").fill("dotter")
    page.get_by_role("button", name="Ge tillgång").click()
    expect(page.get_by_text("Karin Testsson kan nu läsa din plan.")).to_be_visible()
    assert fits_the_screen(page) and serious_violations(page) == []
    page.get_by_role("link", name="Tillbaka till din plan").click()
    page.get_by_role("link", name="Vem har läst min plan?").click()
    expect(page.get_by_role("cell", name="Du själv").first).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Min plan")).to_be_visible()
