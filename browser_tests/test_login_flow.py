"""A person logs in through the real login page in Chromium and lands on the Swedish start page."""

from playwright.sync_api import expect

from samverkan.testing import PASSWORD

from .conftest import screenshot


def log_in(page, username, password=PASSWORD):
    page.goto("/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_login_lands_on_the_swedish_start_page(live_world, page_for):
    page = page_for()
    page.goto("/")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    screenshot(page, "login")
    log_in(page, "ward_staff")
    expect(page.get_by_role("heading", name="Att göra nu – Ward")).to_be_visible()
    expect(page.get_by_role("link", name="Sök person").first).to_be_visible()
    screenshot(page, "start")


def test_wrong_password_shows_a_swedish_message(live_world, page_for):
    page = page_for()
    log_in(page, "ward_staff", "fel-lösenord")
    expect(page.get_by_text("Fel användarnamn eller lösenord.")).to_be_visible()


def test_look_up_and_read_a_person_on_a_tablet(live_world, page_for):
    page = page_for({"width": 800, "height": 1100})
    log_in(page, "ward_staff")
    page.get_by_role("link", name="Sök person").first.click()
    page.get_by_label("Personnummer, samordningsnummer eller reservnummer").fill("19400104-2384")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_text("Kontrollsiffran stämmer inte.")).to_be_visible()
    page.get_by_label("Personnummer, samordningsnummer eller reservnummer").fill("19400104-2383")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_text("Astrid Testsson")).to_be_visible()
    screenshot(page, "patient")
