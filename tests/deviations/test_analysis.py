"""The analysis: one feedback rate for everyone, counts by direction, category, unit, month
and year, the yearly report as page, PDF and Excel, small cells suppressed."""

import io
import subprocess
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samverkan.cases.testing import actor
from samverkan.deviations.models import Deviation
from samverkan.deviations.stats import Row, feedback_rate, yearly_report
from samverkan.deviations.testing import load_register, reported

from ..helpers import text

YEAR = 2023


@pytest.fixture
def figures_2023(w):
    """2023 in Blekinge: 233 reports municipality → region, 31 region → municipality. In the
    old systems the region counted feedback on 155 of the 186 it found, the municipalities on
    120 of 233. Here one register: 155 of 233 answered, and 24 of 31."""
    load_register(
        w,
        YEAR,
        {
            (w.a_needs, w.region, "routines_notice"): (150, 100),
            (w.b_needs, w.region, "sip"): (83, 55),
            (w.ward, w.muni_a, "communication"): (20, 16),
            (w.ward, w.muni_b, "medicines"): (11, 8),
        },
    )
    return w


def direction_table(report):
    return next(t for t in report.tables if t.key == "direction")


def test_the_2023_figures_give_one_rate_per_direction_on_both_sides(figures_2023, as_user, api):
    w = figures_2023
    seen = {}
    for user in (w.region_coord, w.a_coord, w.b_coord, w.analyst):
        response = as_user(user).get(reverse("deviation_analysis") + f"?ar={YEAR}")
        assert response.status_code == 200
        rows = direction_table(response.context["report"]).rows
        seen[user.username] = rows
        body = text(response)
        assert "66,5" in body and "77,4" in body  # 155/233 and 24/31
        stats = api.get(user, "/deviations/statistics", year=YEAR).json()
        assert stats["tables"][0]["rows"] == [list(r) for r in rows]
    assert len({repr(r) for r in seen.values()}) == 1
    municipality_to_region, region_to_municipality, total = seen["region_coord"]
    assert municipality_to_region[:6] == ["Kommun → region", 233, 0, 233, 155, 66.5]
    assert region_to_municipality[:6] == ["Region → kommun", 31, 0, 31, 24, 77.4]
    assert total[:5] == ["Totalt", 264, 0, 264, 179]


def test_feedback_rate_is_defined_once():
    start = timezone.make_aware(datetime(2023, 3, 1, 9))

    def row(state, days=None):
        feedback = start + timedelta(days=days) if days is not None else None
        return Row("m", "A", "R", "K", "u", "", state, start, feedback, start + timedelta(60), True)

    rate = feedback_rate(
        [row("answered", 10), row("closed", 70), row("assigned"), row("returned"), row("closed", 4)]
    )
    assert (rate.reported, rate.returned, rate.received, rate.answered) == (5, 1, 4, 3)
    assert rate.percent == 75.0 and rate.median_days == 10 and rate.on_time_percent == 66.7
    assert feedback_rate([]).percent is None


def test_small_cells_are_suppressed_for_those_who_may_not_see_them(w, as_user):
    for _ in range(3):
        reported(w)
    year = timezone.localdate().year
    mine = direction_table(yearly_report(actor(w.a_staff), year)).rows[0]
    assert mine[:4] == ["Kommun → region", 3, 0, 3]
    for user in (w.analyst, w.ward_staff, w.b_coord):  # three: nothing of them is shown
        report = yearly_report(actor(user), year)
        assert report.notice.startswith("För få avvikelser") and not any(
            t.rows for t in report.tables
        )
    assert "För få avvikelser" in text(as_user(w.analyst).get(reverse("deviation_analysis")))
    for _ in range(5):
        reported(w, by=w.ward_staff, to=w.muni_a)
    for user in (w.analyst, w.ward_staff, w.b_coord):
        theirs = direction_table(yearly_report(actor(user), year)).rows[0]
        assert theirs[1] is None and theirs[5] == "dolt", user
    body = text(as_user(w.analyst).get(reverse("deviation_analysis")))
    assert "&lt;5" in body and "visas som &lt;5" in body


def test_counts_by_category_month_unit_and_year(figures_2023):
    w = figures_2023
    tables = {t.key: t for t in yearly_report(actor(w.analyst), YEAR).tables}
    categories = {r[0]: r[-1] for r in tables["category"].rows}
    assert categories["Följer inte de gemensamma rutinerna"] == 150 and categories["SIP"] == 83
    assert sum(r[-1] for r in tables["month"].rows) == 264 and len(tables["month"].rows) == 12
    reporters = {r[0]: r[-1] for r in tables["reporter"].rows}
    assert reporters["A Needs"] == 150 and reporters["Ward"] == 31
    receivers = {r[0]: r[1] for r in tables["receiver"].rows}
    assert receivers == {"Kommun A": 20, "Kommun B": 11, "Region Test": 233}
    years = tables["year"].rows
    assert [r[:3] for r in years] == [
        ["2023", "Kommun → region", 233],
        ["2023", "Region → kommun", 31],
    ]
    assert Deviation.objects.count() == 264


def test_excel_reads_back(figures_2023, as_user):
    response = as_user(figures_2023.analyst).get(reverse("deviation_analysis_xlsx", args=[YEAR]))
    assert response.status_code == 200 and "avvikelser-2023.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Per riktning"]
    assert [c.value for c in sheet[1]][:6] == [
        "Riktning",
        "Rapporterade",
        "Returnerade (felskickade)",
        "Att återkoppla",
        "Med återkoppling",
        "Andel återkopplade (%)",
    ]
    assert [c.value for c in sheet[2]][:6] == ["Kommun → region", 233, 0, 233, 155, 66.5]
    assert "Per kategori" in book.sheetnames and "Per månad" in book.sheetnames


def test_excel_marks_suppressed_cells(w, as_user):
    reported(w)
    for _ in range(5):
        reported(w, by=w.ward_staff, to=w.muni_a)
    year = timezone.localdate().year
    response = as_user(w.analyst).get(reverse("deviation_analysis_xlsx", args=[year]))
    sheet = load_workbook(io.BytesIO(response.content))["Per riktning"]
    assert sheet["B2"].value == "<5"


def test_pdf_yearly_report(figures_2023, as_user, tmp_path):
    response = as_user(figures_2023.a_coord).get(reverse("deviation_analysis_pdf", args=[YEAR]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    content = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    content = " ".join(content.split())
    assert "Avvikelser i samverkan mellan region och kommuner – 2023" in content
    assert "Kommun → region" in content and "66,5" in content and "77,4" in content
    assert "Per kategori" in content and "Per månad" in content


def test_analysis_needs_a_valid_year(w, as_user):
    client = as_user(w.analyst)
    assert client.get(reverse("deviation_analysis") + "?ar=tjugo").status_code == 404
    assert client.post(reverse("deviation_analysis")).status_code == 405


def test_no_line_of_any_table_tells_a_hidden_cell(figures_2023):
    """Each month of 2023 has a few region → municipality reports: without protection the
    month's total less its shown count would tell them. Every table, every line: checked."""
    from samverkan.lib.disclosure import protect_counts, revealing

    w = figures_2023
    tables = yearly_report(actor(w.analyst), YEAR).tables
    month = next(t for t in tables if t.key == "month")
    assert all(r[2] is None and r[1] == "dolt" and r[3] != "dolt" for r in month.rows)
    for table in tables:
        columns = table.columns()
        if table.header[-1] == "Totalt":  # a grid: its rows are lines with a total too
            lines = [list(c) for c in columns[:-1]] + [list(r[1:-1]) for r in table.rows]
            for line, row in zip(lines[len(columns) - 1 :], table.rows, strict=True):
                assert not protect_counts(line) or row[-1] == "dolt", table.key
            assert lines == [list(c) for c in columns[:-1]] + [r[1:-1] for r in table.rows]
        else:
            assert all(revealing(c) == [] for c in columns), table.key


def test_excel_pdf_and_api_of_too_few_hold_no_figure(w, as_user, api):
    for _ in range(2):
        reported(w)
    year = timezone.localdate().year
    client = as_user(w.analyst)
    book = load_workbook(
        io.BytesIO(client.get(reverse("deviation_analysis_xlsx", args=[year])).content)
    )
    for sheet in book:
        values = [c.value for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
        assert len(values) == 1 and values[0].startswith("För få avvikelser")
    response = client.get(reverse("deviation_analysis_pdf", args=[year]))
    pdf = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "För få avvikelser" in pdf and "Kommun → region" not in pdf
    stats = api.get(w.analyst, "/deviations/statistics", year=year).json()
    assert stats["notice"].startswith("För få") and not any(t["rows"] for t in stats["tables"])
