"""The whole "Logga in med SITHS" flow in Chromium against the local identity provider."""

from playwright.sync_api import expect

from samverkan.accounts.testing import IDP_PASSWORD, link

from .conftest import screenshot, serious_violations


def siths(page, person: str) -> None:
    """From Samverkan's login page through the IdP's, as `person`."""
    page.goto("/logga-in/")
    page.get_by_role("link", name="Logga in med SITHS").click()
    heading = "Logga in med SITHS (lokal testleverantör)"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    page.get_by_label("Person och kort").select_option(person)
    page.get_by_label("Lösenord (PIN)").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Legitimera").click()


def test_siths_login_choose_assignment_and_logout(page_for, live_world, with_idp):
    from samverkan.directory.models import Membership

    w = live_world
    Membership.objects.create(user=w.ward_staff, unit=w.ed, role="staff")
    link(w.ward_staff, "TEST-E-TWO")
    page = page_for()
    page.goto("/logga-in/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Logga in med SITHS").click()
    expect(
        page.get_by_role("heading", name="Logga in med SITHS (lokal testleverantör)")
    ).to_be_visible()
    page.get_by_label("Person och kort").select_option("two_units")
    page.get_by_label("Lösenord (PIN)").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Legitimera").click()
    expect(page.get_by_role("heading", name="Välj uppdrag")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "login-choose-assignment")
    page.get_by_label("Ed").check()
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    assert "Ed" in page.locator("header").inner_text()
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in", exact=True)).to_be_visible()
    # the IdP's session ended too: logging in again asks for the card
    page.get_by_role("link", name="Logga in med SITHS").click()
    expect(page.get_by_role("button", name="Legitimera")).to_be_visible()


def test_no_membership_page_in_the_browser(page_for, live_world, with_idp):
    page = page_for()
    siths(page, "stranger")
    expect(page.get_by_role("heading", name="Du saknar behörighet i Samverkan")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "login-no-membership")
