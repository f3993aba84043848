"""The case page in the browser (issue 14 items 4–8): recipients by checkbox and directory
search, a rejection sent to the right unit, a conflict that keeps the input, confirmation
before an irreversible step, the print view; axe-core clean at 1280 and 768 px."""

from datetime import date

import pytest
from playwright.sync_api import expect

from samverkan.cases import receipts, services
from samverkan.cases.models import Case, Delivery
from samverkan.cases.testing import actor, notified, opened
from samverkan.directory.models import Unit

from .conftest import logged_in, screenshot, serious_violations


def case_url(case):
    return f"/arenden/{case.public_id}/"


def ward_on(page_for, w, case, viewport=None):
    """The ward's staff, logged in, on the case page."""
    page = logged_in(page_for, w.ward_staff, viewport)
    page.goto(case_url(case))
    return page


def medicine_31(w):
    return Unit.objects.create(
        principal=w.region, name="Medicinavdelning 31", kind="ward_somatic", hsa_id="T-m31"
    )


def open_every_form(page):
    """Open every action and wait for its form (loaded by HTMX on first opening)."""
    actions = page.locator("details.action")
    for i in range(actions.count()):
        if actions.nth(i).get_attribute("open") is None:
            actions.nth(i).locator("summary").first.click()
    expect(page.locator("details.action form")).to_have_count(
        page.locator("details.action").count()
    )


def open_action(page, summary):
    page.get_by_text(summary, exact=True).first.click()
    return page.locator("details[open] form").first


def test_recipients_are_ticked_and_another_is_found_in_the_directory(live_world, page_for):
    w = live_world
    medicine_31(w)
    case = opened(w)
    page = ward_on(page_for, w, case)
    form = open_action(page, "Skicka inskrivningsmeddelande")
    expect(form.get_by_label("A Needs – Kommun A")).to_be_checked()
    expect(form.get_by_label("Pcc – Region Test")).to_be_checked()
    form.get_by_text("Lägg till en enhet ur katalogen").click()
    form.get_by_label("Huvudman").select_option(label="Region Test")
    form.get_by_label("Enhet (namn, ort eller HSA-id)").fill("Medicin 31")
    found = form.get_by_label("Medicinavdelning 31 – Region Test")
    expect(found).to_be_visible()
    found.check()
    form.get_by_label("Enhet (namn, ort eller HSA-id)").fill("medicin")  # a new search
    expect(form.get_by_label("Medicinavdelning 31 – Region Test")).to_be_checked()  # kept
    form.get_by_label("Pcc – Region Test").uncheck()
    form.get_by_label("Beräknat utskrivningsdatum").fill("2026-12-20")
    screenshot(page, "case-recipients-1280")
    form.get_by_role("button", name="Skicka inskrivningsmeddelande").click()
    expect(page.get_by_text("Skicka inskrivningsmeddelande: klart.")).to_be_visible()
    units = set(Delivery.objects.values_list("unit__hsa_id", flat=True))
    assert units == {"TEST-a_needs", "T-m31"}


def test_a_rejection_is_sent_to_the_right_unit(live_world, page_for):
    w = live_world
    case = notified(w)
    receipts.reject(actor(w.a_staff), Delivery.objects.get(unit=w.a_needs), reason="not_registered")
    page = ward_on(page_for, w, case)
    expect(page.get_by_text("Orsak: Personen är inte folkbokförd här.")).to_be_visible()
    page.get_by_role("link", name="Skicka till rätt enhet").click()
    expect(page.get_by_role("heading", name="Skicka till rätt enhet")).to_be_visible()
    page.get_by_text("Lägg till en enhet ur katalogen").click()
    page.get_by_label("Huvudman").select_option(label="Kommun B")
    page.get_by_label("B Needs – Kommun B").check()
    screenshot(page, "case-resend-1280")
    page.get_by_role("button", name="Skicka till rätt enhet").click()
    expect(page.get_by_text("Skicka till rätt enhet: klart.")).to_be_visible()
    expect(page.get_by_text("Avvisade meddelanden")).to_have_count(0)
    assert Delivery.objects.filter(unit=w.b_needs, state="sent").exists()


def test_a_conflict_keeps_the_input_and_sends_again(live_world, page_for):
    w = live_world
    case = notified(w)
    page = ward_on(page_for, w, case)
    form = open_action(page, "Ändra beräknat utskrivningsdatum")
    form.get_by_label("Nytt beräknat utskrivningsdatum").fill("2026-12-20")
    services.update_expected_discharge(
        actor(w.ward_physician), case, expected_discharge_date=date(2026, 12, 24)
    )  # another user saves first
    form.get_by_role("button", name="Ändra beräknat utskrivningsdatum").click()
    table = page.locator("table.differences")
    expect(table).to_contain_text("2026-12-24")
    expect(table).to_contain_text("2026-12-20")
    expect(page.get_by_label("Nytt beräknat utskrivningsdatum")).to_have_value("2026-12-20")
    screenshot(page, "case-conflict-1280")
    page.get_by_role("button", name="Skicka igen: ändra beräknat utskrivningsdatum").click()
    expect(page.get_by_text("Ändra beräknat utskrivningsdatum: klart.")).to_be_visible()
    case.refresh_from_db()
    assert case.expected_discharge_date == date(2026, 12, 20)


def test_interrupting_needs_the_confirmation(live_world, page_for):
    w = live_world
    case = notified(w)
    page = ward_on(page_for, w, case)
    form = open_action(page, "Avbryt processen")
    form.get_by_label("Orsak").select_option(label="Patienten har avlidit")
    form.get_by_role("button", name="Avbryt processen").click()
    expect(page.get_by_text("Bekräfta att du förstår vad som händer").first).to_be_visible()
    case.refresh_from_db()
    assert case.state == "admitted"
    form = page.locator("details[open] form").first
    form.get_by_label("Jag förstår att processen avbryts", exact=False).check()
    screenshot(page, "case-confirm-1280")
    form.get_by_role("button", name="Avbryt processen").click()
    expect(page.get_by_text("Avbryt processen: klart.")).to_be_visible()
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED


def test_the_print_view_from_its_own_link(live_world, page_for):
    w = live_world
    case = notified(w)
    services.name_care_contact(actor(w.pcc_staff), case, name="Eva, dsk", phone="0455-73 10 11")
    page = ward_on(page_for, w, case)
    page.get_by_role("link", name="Utskriftsvy (dokument att skriva ut på papper)").click()
    expect(page.get_by_role("heading", name="Information vid utskrivning")).to_be_visible()
    expect(page.get_by_role("link", name="0455-73 10 11")).to_have_attribute(
        "href", "tel:0455731011"
    )
    expect(page.get_by_text("Utskriftsdatum", exact=False)).to_be_visible()
    screenshot(page, "case-print-1280")
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [1280, 768])
def test_the_case_page_has_no_serious_violations(live_world, page_for, width):
    w = live_world
    Unit.objects.filter(pk=w.a_needs.pk).update(phone="0455-30 30 00")
    case = notified(w)
    receipts.reject(actor(w.pcc_staff), Delivery.objects.get(unit=w.pcc), reason="not_known")
    page = ward_on(page_for, w, case, {"width": width, "height": 1000})
    open_every_form(page)
    screenshot(page, f"case-page-{width}")
    assert serious_violations(page) == []
    form = page.locator("details.action", has_text="Avbryt processen").locator("form")
    form.get_by_role("button", name="Avbryt processen").click()  # refused: not confirmed
    expect(page.get_by_text("Bekräfta att du förstår vad som händer").first).to_be_visible()
    open_every_form(page)
    screenshot(page, f"case-page-errors-{width}")
    assert serious_violations(page) == []
    delivery = Delivery.objects.get(unit=w.pcc)
    page.goto(f"{case_url(case)}skicka-om/formular/?delivery={delivery.public_id}&q=needs")
    screenshot(page, f"case-resend-{width}")
    assert serious_violations(page) == []
    page.goto(f"{case_url(case)}utskrift/")
    screenshot(page, f"case-print-{width}")
    assert serious_violations(page) == []
