"""The follow-up dashboard in Chromium: an analyst opens it from the menu, chooses a period and a
grouping, sees the charts drawn from the database and the tables, downloads the Excel file, and
opens the monthly summary. axe-core checks both pages."""

from openpyxl import load_workbook
from playwright.sync_api import expect

from samverkan.followup.testing import stays

from .conftest import logged_in, screenshot, serious_violations


def test_dashboard_with_charts_tables_and_export(live_world, page_for, settings, tmp_path):
    settings.SMALL_CELL_LIMIT = 1  # the small test set, unsuppressed
    stays(live_world)
    page = logged_in(page_for, live_world.analyst)
    page.get_by_role("link", name="Uppföljning").click()
    page.get_by_label("Utskrivna från").fill("2026-11-01")
    page.get_by_label("Utskrivna till").fill("2026-11-30")
    page.get_by_label("Gruppera efter").select_option(label="Kommun")
    page.get_by_label("Basperiod från").fill("2026-10-01")
    page.get_by_label("Basperiod till").fill("2026-10-31")
    page.get_by_role("button", name="Visa").click()

    charts = page.locator("svg.chart")
    expect(charts).to_have_count(5)
    expect(charts.first).to_be_visible()
    assert charts.first.bounding_box()["height"] > 50
    expect(page.get_by_role("img", name="Dagar som utskrivningsklar per kommun")).to_be_visible()
    los = page.get_by_role("region", name="LOS-indikatorer per kommun")
    expect(los.get_by_role("rowheader", name="Kommun A")).to_be_visible()
    expect(los.get_by_role("row", name="Totalt")).to_contain_text("14,3")  # readmitted, %
    assert serious_violations(page) == []
    screenshot(page, "followup-dashboard")

    with page.expect_download() as download:
        page.get_by_role("link", name="Alla tabeller som Excel").click()
    path = tmp_path / "uppfoljning.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path)["LOS-indikatorer per kommun"]
    assert [c.value for c in sheet[2]][:2] == ["Kommun A", 6]

    page.get_by_role("link", name="Månadsrapport till samverkansgruppen").click()
    page.get_by_label("Månad").fill("2026-11")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("november 2026")
    expect(page.locator("svg.chart")).to_have_count(2)
    assert serious_violations(page) == []
    screenshot(page, "followup-monthly")
