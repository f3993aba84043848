"""A deviation across two principals in Chromium, each unit in its own browser: municipality A
reports from the case page, the region's coordinator assigns it to the ward, the ward answers
with analysis and actions, the reporter acknowledges. Both sides see the same status; the
coordinator never sees the person; an outsider gets 404. axe-core checks the pages."""

from playwright.sync_api import expect

from samverkan.cases.testing import notified
from samverkan.deviations.models import Deviation
from samverkan.deviations.testing import with_coordinators

from .conftest import logged_in, screenshot, serious_violations


def open_from_worklist(page, section):
    page.goto("/")
    found = page.locator("section", has=page.get_by_role("heading", name=section))
    found.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Händelser")).to_be_visible()


def act(page, label, fill=None):
    page.get_by_text(label, exact=True).first.click()
    form = page.locator("details[open] form")
    if fill:
        fill(form)
    form.get_by_role("button", name=label).click()
    expect(page.get_by_text(f"{label}: klart.")).to_be_visible()


def test_report_triage_feedback_acknowledge(live_world, page_for):
    w = with_coordinators(live_world)
    case = notified(w)

    reporter = logged_in(page_for, w.a_staff)
    reporter.goto(f"/arenden/{case.public_id}/")
    reporter.get_by_role("link", name="Rapportera avvikelse").click()
    reporter.get_by_label("Till huvudman").select_option(label="Region Test")
    reporter.get_by_label("Kategori").select_option(
        label="Följer inte de gemensamma rutinerna: Inskrivningsmeddelande sent eller saknas"
    )
    reporter.get_by_label("Vad hände?").fill("Inskrivningsmeddelandet kom efter tre dygn.")
    reporter.get_by_label("Förslag till åtgärd").fill("Påminn om 24-timmarsregeln.")
    screenshot(reporter, "deviation-report")
    assert serious_violations(reporter) == []
    reporter.get_by_role("button", name="Rapportera").click()
    expect(reporter.get_by_text("Avvikelsen är rapporterad.")).to_be_visible()
    expect(reporter.get_by_text("Astrid Testsson")).to_be_visible()  # the reporter sees the case
    deviation_url = reporter.url

    coordinator = logged_in(page_for, w.region_coord)
    open_from_worklist(coordinator, "Avvikelser att fördela")
    expect(coordinator.get_by_text("Astrid Testsson")).to_have_count(0)
    expect(coordinator.get_by_text("Visas bara för enheter som deltar i ärendet.")).to_be_visible()
    act(
        coordinator,
        "Fördela till ansvarig enhet",
        lambda f: f.get_by_label("Ansvarig enhet").select_option(label="Ward"),
    )
    screenshot(coordinator, "deviation-assigned")
    assert serious_violations(coordinator) == []

    ward = logged_in(page_for, w.ward_staff)
    open_from_worklist(ward, "Avvikelser att återkoppla")
    act(
        ward,
        "Återkoppla",
        lambda f: (
            f.get_by_label("Analys").fill("Helgbemanning utan rutin för meddelanden."),
            f.get_by_label("Åtgärder").fill("Checklista för helg införd."),
        ),
    )

    open_from_worklist(reporter, "Återkoppling att ta ställning till")
    expect(reporter.get_by_text("Checklista för helg införd.")).to_be_visible()
    act(reporter, "Godta återkopplingen")
    expect(reporter.locator(".badge.state")).to_have_text("Avslutad")
    screenshot(reporter, "deviation-closed")

    coordinator.goto(deviation_url)
    expect(coordinator.locator(".badge.state")).to_have_text("Avslutad")
    assert Deviation.objects.get().state == "closed"

    outsider = logged_in(page_for, w.b_staff)
    assert outsider.goto(deviation_url).status == 404


def test_deviation_pages_pass_axe(live_world, page_for):
    from samverkan.deviations.testing import answered

    w = with_coordinators(live_world)
    answered(w, notified(w))
    page = logged_in(page_for, w.a_staff, {"width": 768, "height": 1000})
    found = {}
    for path in ("/", "/avvikelser/", "/avvikelser/analys/"):
        page.goto(path)
        if problems := serious_violations(page):
            found[path] = problems
    page.goto("/avvikelser/analys/")
    screenshot(page, "deviation-analysis")
    page.goto("/avvikelser/")
    page.locator("table a").first.click()
    if problems := serious_violations(page):
        found["detail"] = problems
    assert found == {}


def test_report_from_a_sip(live_world, page_for):
    """From the SIP page: the deviation names the plan; the person is shown to the reporter,
    who takes part with consent, and not to the region's coordinator, who does not."""
    from samverkan.sip.testing import consented, started, with_unit

    w = with_coordinators(live_world)
    sip = consented(w, with_unit(w, started(w), w.a_needs))
    reporter = logged_in(page_for, w.a_staff)
    reporter.goto(f"/sip/{sip.public_id}/")
    reporter.get_by_role("link", name="Rapportera avvikelse").click()
    expect(reporter.get_by_text(f"SIP {sip.short_id}")).to_be_visible()
    reporter.get_by_label("Till huvudman").select_option(label="Region Test")
    reporter.get_by_label("Kategori").select_option(label="SIP")
    reporter.get_by_label("Vad hände?").fill("Kallelsen till SIP-mötet kom samma dag.")
    assert serious_violations(reporter) == []
    reporter.get_by_role("button", name="Rapportera").click()
    expect(reporter.get_by_text("Avvikelsen är rapporterad.")).to_be_visible()
    expect(reporter.get_by_role("link", name=f"SIP {sip.short_id}")).to_be_visible()
    expect(reporter.get_by_text("Astrid Testsson").first).to_be_visible()
    assert Deviation.objects.get().sip == sip

    coordinator = logged_in(page_for, w.region_coord)
    open_from_worklist(coordinator, "Avvikelser att fördela")
    expect(coordinator.get_by_text("Astrid Testsson")).to_have_count(0)
    expect(
        coordinator.get_by_text("Visas bara för enheter som har tillgång till planen.")
    ).to_be_visible()
    screenshot(coordinator, "deviation-from-sip")
