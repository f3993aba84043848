"""A whole stay in Chromium, each unit in its own browser: the ward opens the case and sends
the admission notice; the municipality and primary care acknowledge on their worklists;
the municipality plans support, primary care names the care contact; the ward updates ADL and
the expected date; a physician declares the patient ready with a SIP needed; primary care calls
the SIP; the ward discharges with the checklist. Through it all each receiving unit has one
worklist row for the patient, updates are shown as new, and one click acknowledges what is
open. The case closes; a unit outside the case sees none of it."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from samverkan.cases.models import Case

from .conftest import act, logged_in, screenshot


def browser_for(page_for, user):
    page = logged_in(page_for, user)
    expect(page.get_by_role("heading", name="Att göra nu")).to_be_visible()
    return page


def patient_rows(page):
    page.goto("/")
    return page.locator("li.row", has=page.get_by_role("link", name="Astrid Testsson"))


def acknowledge_from_worklist(page) -> int:
    """The patient has one row; one click acknowledges everything open. Returns the clicks."""
    expect(patient_rows(page)).to_have_count(1)
    page.get_by_role("button", name="Kvittera allt för Astrid Testsson").click()
    expect(page.get_by_text("Inget väntar just nu.")).to_be_visible()
    return 1


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
    clicks = {"muni": acknowledge_from_worklist(muni)}
    muni.goto(case_url)
    act(
        muni,
        "Planerade insatser",
        lambda f: f.get_by_label("Text").fill("Hemtjänst morgon och kväll"),
    )

    pcc = browser_for(page_for, w.pcc_staff)
    clicks["pcc"] = acknowledge_from_worklist(pcc)
    pcc.goto(case_url)
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
        lambda f: (
            f.get_by_label("Behövs SIP").select_option("1"),
            f.get_by_label("Samtycker patienten till SIP").select_option("1"),
        ),
    )
    pcc.goto(case_url)
    act(pcc, "Registrera kallelse till SIP")

    row = patient_rows(muni)
    expect(row).to_have_count(1)  # notice, support, contact, ADL, date, ready, SIP: one row
    expect(row).to_contain_text("Planera hemgång – utskrivningsklar")
    expect(row).to_contain_text("Nytt sedan du läste")
    screenshot(muni, "worklist-municipality-ready")
    clicks["muni"] += 1
    muni.get_by_role("button", name="Kvittera allt för Astrid Testsson").click()
    expect(muni.get_by_role("button", name="Kvittera allt för Astrid Testsson")).to_have_count(0)
    expect(muni.locator("li.row")).to_contain_text("Planera hemgång")  # still their move
    muni.goto(case_url)
    expect(muni.get_by_text("Dagar som utskrivningsklar")).to_be_visible()

    ward.goto(case_url)
    act(
        ward,
        "Skriv ut patienten",
        lambda f: (
            f.get_by_label("Skrivs ut till").select_option("home"),
            f.get_by_label("Läkemedelslista").check(),
            f.get_by_label("Läkemedel för minst tre dagar").check(),
            f.get_by_label("Omvårdnadsepikris/utskrivningsinformation").fill("Epikris skickad."),
        ),
    )
    for name, page in (("muni", muni), ("pcc", pcc)):
        expect(patient_rows(page)).to_have_count(1)
        clicks[name] += acknowledge_from_worklist(page)
    assert clicks == {"muni": 3, "pcc": 2}  # Cosmic Link: open and acknowledge each message
    ward.goto(case_url)
    act(
        ward,
        "Avsluta ärendet",
        lambda f: f.get_by_label("Jag förstår att ärendet avslutas").check(),
    )
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
    muni.get_by_role("button", name="Kvittera allt för Astrid Testsson").click()
    expect(muni.get_by_text("Inget väntar just nu.")).to_be_visible()
    assert muni.url.endswith("/")  # no page change: HTMX swapped the worklist
    assert Delivery.objects.get(unit=live_world.a_needs).state == "acknowledged"
