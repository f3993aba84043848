"""A whole stay in Chromium, each unit in its own browser: the ward opens the case and sends
the admission notice; the municipality and primary care acknowledge on their worklists;
primary care names the care contact; the ward updates ADL and the expected date; a physician
declares the patient ready; the municipality sees the clock; the ward discharges with the
checklist; all acknowledge; the case closes. A unit outside the case sees none of it."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from samverkan.cases.models import Case

from .conftest import act, logged_in, screenshot


def browser_for(page_for, user):
    page = logged_in(page_for, user)
    expect(page.get_by_role("heading", name="Att göra nu")).to_be_visible()
    return page


def acknowledge_from_worklist(page, section):
    page.goto("/")
    worklist_section = page.locator("section", has=page.get_by_role("heading", name=section))
    worklist_section.get_by_role("link", name="Astrid Testsson").first.click()
    page.get_by_role("button", name="Kvittera").first.click()
    expect(page.get_by_text("Klart.")).to_be_visible()


def in_days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def test_a_whole_stay_across_units(live_world, page_for):
    w = live_world
    ward = browser_for(page_for, w.ward_staff)
    ward.get_by_role("link", name="Sök person").first.click()
    ward.get_by_label("Personnummer, samordningsnummer eller reservnummer").fill("19400104-2383")
    ward.get_by_role("button", name="Sök").click()
    ward.get_by_label("Beräknat utskrivningsdatum").fill(in_days(1))
    ward.get_by_role("button", name="Öppna ärende").click()
    expect(ward.get_by_text("Samordningsärendet är öppnat.")).to_be_visible()
    case_url = ward.url
    act(ward, "Skicka inskrivningsmeddelande")
    screenshot(ward, "case-ward")

    muni = browser_for(page_for, w.a_staff)
    screenshot(muni, "worklist-municipality")
    acknowledge_from_worklist(muni, "Nya meddelanden att kvittera")

    pcc = browser_for(page_for, w.pcc_staff)
    acknowledge_from_worklist(pcc, "Nya meddelanden att kvittera")
    act(
        pcc,
        "Utse fast vårdkontakt",
        lambda f: f.get_by_label("Fast vårdkontakt (namn, titel)").fill("Ulla Strand, dsk"),
    )

    ward.goto(case_url)
    act(
        ward,
        "Uppdatera ADL-status",
        lambda f: (
            f.get_by_label("Bad/dusch", exact=True).select_option("dependent"),
            f.get_by_label("Bad/dusch, anteckning").fill("Duschstol"),
        ),
    )
    act(
        ward,
        "Ändra beräknat utskrivningsdatum",
        lambda f: f.get_by_label("Nytt beräknat utskrivningsdatum").fill(in_days(3)),
    )

    doctor = browser_for(page_for, w.ward_physician)
    doctor.goto(case_url)
    act(
        doctor,
        "Förklara utskrivningsklar",
        lambda f: f.get_by_label("Behövs SIP").select_option("0"),
    )

    muni.goto("/")
    expect(muni.get_by_role("heading", name="Utskrivningsklara patienter")).to_be_visible()
    muni.goto(case_url)
    expect(muni.get_by_text("Dagar som utskrivningsklar")).to_be_visible()
    muni.get_by_role("button", name="Kvittera").first.click()

    ward.goto(case_url)
    act(
        ward,
        "Skriv ut",
        lambda f: (
            f.get_by_label("Skrivs ut till").select_option("home"),
            f.get_by_label("Läkemedelslista").check(),
            f.get_by_label("Läkemedel för minst tre dagar").check(),
            f.get_by_label("Omvårdnadsepikris/utskrivningsinformation").fill("Epikris skickad."),
        ),
    )
    for page in (muni, pcc):
        page.goto(case_url)
        while page.get_by_role("button", name="Kvittera").count():
            page.get_by_role("button", name="Kvittera").first.click()
            page.wait_for_load_state()
    ward.goto(case_url)
    act(ward, "Avsluta ärendet")
    expect(ward.locator(".badge.state")).to_have_text("Avslutad")
    screenshot(ward, "case-closed")
    assert Case.objects.get().state == "closed"

    outsider = browser_for(page_for, w.b_staff)
    expect(outsider.get_by_text("Astrid Testsson")).to_have_count(0)
    response = outsider.goto(case_url)
    assert response.status == 404
    expect(outsider.get_by_role("heading", name="Sidan finns inte")).to_be_visible()


def test_acknowledge_in_place_on_the_worklist(live_world, page_for):
    from samverkan.cases.models import Delivery
    from samverkan.cases.testing import notified

    notified(live_world)
    muni = browser_for(page_for, live_world.a_staff)
    section = muni.locator(
        "section", has=muni.get_by_role("heading", name="Nya meddelanden att kvittera")
    )
    section.get_by_role("button", name="Kvittera").click()
    expect(muni.get_by_text("Inget väntar just nu.")).to_be_visible()
    assert muni.url.endswith("/")  # no page change: HTMX swapped the worklist
    assert Delivery.objects.get(unit=live_world.a_needs).state == "acknowledged"
