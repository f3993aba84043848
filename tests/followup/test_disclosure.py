"""Disclosure control (issue 12, item 8): the pure rules table by table, and the dashboard and
monthly summary as a viewer who sees totals only gets them: whole months, nothing of a set of
fewer than SMALL_CELL_LIMIT stays, no zero that tells a hidden cell, on pages and in exports."""

import csv
import io
import subprocess
from datetime import date, timedelta
from itertools import product

import pytest
from openpyxl import load_workbook

from samverkan.cases.testing import actor
from samverkan.directory.models import Membership
from samverkan.followup import report as reports
from samverkan.followup.disclosure import disclosed, sees_stays
from samverkan.followup.indicators import DIMENSIONS, Filters
from samverkan.followup.testing import stays
from samverkan.lib import disclosure as rules
from samverkan.lib.disclosure import is_hidden

D = "dolt"

# column of parts, weights -> the protector's index (None: none to hide with, or no need)
PROTECTORS = [
    ([10, None, 7], [10, 2, 7], 2),  # the lightest shown non-zero
    ([10, None, 0], [10, 2, 0], 0),  # a zero protects nothing
    ([None, 0, 0], [3, 0, 0], None),  # the finding: nothing shown to hide with
    ([10, 20, 7], [10, 20, 7], None),  # nothing hidden, nothing to do
    ([50.0, D, 0.0], [10, 2, 9], 0),  # shares as counts: 0.0 % protects nothing
    ([True, None], [1, 2], None),  # a flag is not a figure
]

# column -> the shown cells that would reveal the hidden ones
REVEALING = [
    ([0, 0, 0, None, 0, 0, 0], [0, 1, 2, 4, 5, 6]),  # "3 dagar <5", every other bin 0
    ([None, None, 0], [2]),  # two small bins and a zero: the whole is in them
    ([None, "–", 0.0], [1, 2]),  # "–" (nothing counted) tells as much as 0
    ([None, 7, 0], []),  # a shown non-zero mixes with the hidden ones
    ([0, 0, 3], []),  # nothing hidden
    ([None, D], []),  # nothing shown
]

# rows, weights -> rows after, unprotected columns (their whole must go too)
PROTECTED = [
    (
        [["a", 0, 0], ["b", None, None], ["c", 0, 9]],
        [0, 2, 9],
        [["a", D, 0], ["b", None, None], ["c", D, D]],  # zeros go; 9 protects
        {1},
    ),
    ([["a", 10], ["b", None]], [10, 2], [["a", D], ["b", None]], set()),
    ([["a", 10], ["b", 12]], [10, 12], [["a", 10], ["b", 12]], set()),
    ([], [], [], set()),
]

# a line of counts whose whole is shown -> the line after, whether its whole must go
COUNT_LINES = [
    ([19, None], [D, None], False),  # the count beside a small one protects it
    ([19, None, 7], [19, None, D], False),  # the smallest shown non-zero
    ([None, 0, 0], [None, D, D], True),  # no protector: the zeros and the whole go
    ([D, None, 7], [D, None, 7], False),  # already protected: nothing more (idempotent)
    ([3, 0, 9], [3, 0, 9], False),  # nothing hidden
]

# grid with a total column -> after
GRIDS = [
    ([["jan", 19, None, 22], ["feb", 20, 6, 26]], [["jan", D, None, 22], ["feb", 20, D, 26]]),
    ([["jan", None, 0, 2]], [["jan", None, D, D]]),
    ([["a", 10, 12, 22]], [["a", 10, 12, 22]]),
]

# period -> the whole months it touches
MONTHS = [
    ((date(2026, 11, 9), date(2026, 11, 9)), (date(2026, 11, 1), date(2026, 11, 30))),
    ((date(2026, 11, 30), date(2026, 12, 1)), (date(2026, 11, 1), date(2026, 12, 31))),
    ((date(2024, 2, 10), date(2024, 2, 20)), (date(2024, 2, 1), date(2024, 2, 29))),
    ((date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 1, 1), date(2026, 12, 31))),
]


@pytest.mark.parametrize("column,weights,expected", PROTECTORS)
def test_protector(column, weights, expected):
    assert rules.protector(column, weights) == expected


@pytest.mark.parametrize("column,expected", REVEALING)
def test_revealing_zeros(column, expected):
    assert rules.revealing(column) == expected


@pytest.mark.parametrize("rows,weights,after,unprotected", PROTECTED)
def test_protect(rows, weights, after, unprotected):
    assert rules.protect(rows, weights) == unprotected
    assert rows == after


@pytest.mark.parametrize("line,after,unprotected", COUNT_LINES)
def test_protect_counts(line, after, unprotected):
    assert rules.protect_counts(line) is unprotected
    assert line == after


@pytest.mark.parametrize("rows,after", GRIDS)
def test_protect_grid(rows, after):
    rules.protect_grid(rows)
    assert rows == after


@pytest.mark.parametrize("period,expected", MONTHS)
def test_whole_months(period, expected):
    assert rules.whole_months(*period) == expected


@pytest.mark.parametrize("count,expected", [(0, True), (4, True), (5, False), (900, False)])
def test_too_few(count, expected):
    assert rules.too_few(count, 5) is expected


@pytest.fixture
def data(world, settings):
    settings.SMALL_CELL_LIMIT = 5
    return stays(world)


def region_reader(world):
    """A reader in the region's administration: reads every statement line, sees the stays."""
    Membership.objects.create(user=world.ward_reader, unit=world.analysis, role="reader")
    return actor(world.ward_reader, world.analysis)


def one_day(world, ward, day="2026-11-09") -> str:
    return f"date_from={day}&date_to={day}&ward={ward.pk}&by=ward"


def figures(report) -> list:
    """Every number the report shows: table cells and what the charts draw."""
    cells = [v for t in report.tables for row in t.rows for v in row[1:]]
    return [v for v in cells if isinstance(v, int | float) and not isinstance(v, bool)]


def test_who_sees_the_stays(world):
    assert not any(sees_stays(actor(u)) for u in (world.analyst, world.ward_admin, world.a_staff))
    assert not sees_stays(actor(world.ward_staff)) and not sees_stays(actor(world.sysadmin))
    assert sees_stays(region_reader(world))


def test_one_day_and_a_ward_shows_no_stay_to_an_analyst(as_user, data, world):
    """The finding: 14 November on the psychiatric ward is one stay (S7, two days ready)."""
    response = as_user(world.analyst).get(
        "/uppfoljning/?" + one_day(world, world.psych_ward, "2026-11-14")
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "För få vårdtillfällen för att visas (färre än 5) 2026-11-01–2026-11-30" in text
    assert '<svg class="chart"' not in text and "<table" not in text and "<td>" not in text
    assert 'value="2026-11-01"' in text and 'value="2026-11-30"' in text  # the months counted


def test_one_day_and_a_ward_snaps_to_the_month_and_hides_the_distribution(as_user, data, world):
    """The somatic ward has 6 stays in November, 1 on the 9th: the month is shown, and its
    bins (each 1 or 2 stays) with every zero beside them, as "dolt"."""
    report = disclosed(
        actor(world.analyst),
        reports.dashboard,
        Filters(date(2026, 11, 9), date(2026, 11, 9), ward=world.ward.pk),
        Filters(date(2026, 11, 8), date(2026, 11, 8), ward=world.ward.pk),
        by="ward",
    )
    assert (report.filters.date_from, report.filters.date_to) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    assert report.baseline.date_from == date(2026, 11, 1) and not report.notice
    assert report.stays == 6
    days = report.table("days")
    assert all(is_hidden(v) for row in days.rows for v in row[1:])


def test_a_viewer_who_sees_the_stays_keeps_the_day(data, world):
    f = Filters(date(2026, 11, 14), date(2026, 11, 14), ward=world.psych_ward.pk)
    report = disclosed(region_reader(world), reports.dashboard, f, f, by="ward")
    assert report.filters == f and not report.notice and report.stays == 1
    assert report.table("los").rows[0][1] is None  # small cells stay suppressed for all


def test_the_exports_of_a_withheld_dashboard_hold_no_figure(as_user, data, world):
    client = as_user(world.analyst)
    query = one_day(world, world.psych_ward, "2026-11-14")
    book = load_workbook(io.BytesIO(client.get(f"/uppfoljning/export.xlsx?{query}").content))
    assert len(book.sheetnames) == 5
    for sheet in book:
        values = [c.value for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
        assert len(values) == 1 and values[0].startswith("För få vårdtillfällen")
    for key in ("los", "days", "inhabitants", "goals", "acknowledgements"):
        response = client.get(f"/uppfoljning/export.csv?{query}&tabell={key}")
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert len(lines) == 2 and lines[1][0].startswith("För få vårdtillfällen"), key


def test_the_monthly_summary_of_a_small_month_holds_no_figure(as_user, data, world):
    """October has one stay (S8): nothing of it on the page, in the PDF or in Excel."""
    client = as_user(world.analyst)
    text = client.get("/uppfoljning/manadsrapport/?manad=2026-10").content.decode()
    assert "För få vårdtillfällen" in text and '<svg class="chart"' not in text
    response = client.get("/uppfoljning/manadsrapport.pdf?manad=2026-10")
    pdf = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "För få vårdtillfällen" in pdf and "Kommun A" not in pdf and "Vårdtillfällen" not in pdf
    book = load_workbook(
        io.BytesIO(client.get("/uppfoljning/manadsrapport.xlsx?manad=2026-10").content)
    )
    for sheet in book:
        values = [c.value for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
        assert len(values) == 1 and values[0].startswith("För få vårdtillfällen")
    assert "Kommun A" in client.get("/uppfoljning/manadsrapport/?manad=2026-11").content.decode()


PERIODS = [
    (date(2026, 11, 9), date(2026, 11, 9)),
    (date(2026, 11, 14), date(2026, 11, 14)),
    (date(2026, 10, 20), date(2026, 11, 12)),
]


def narrowings(world) -> list[dict]:
    return [
        {},
        {"ward": world.ward.pk},
        {"ward": world.psych_ward.pk},
        {"municipality": world.muni_b.pk},
        {"care": "psychiatric"},
        {"age": "80+"},
    ]


def test_every_table_and_chart_keeps_the_rule(data, world):
    """For every grouping, narrowing and period an analyst may ask for: whole months; nothing
    shown of fewer than 5 stays; in every table of parts no column tells a hidden cell by
    zeros, and a column with no protector hides its total."""
    analyst = actor(world.analyst)
    checked = 0
    for by, narrow, (start, end) in product(DIMENSIONS, narrowings(world), PERIODS):
        f = Filters(start, end, **narrow)
        report = disclosed(analyst, reports.dashboard, f, f.shifted(date(2026, 9, 3), start), by=by)
        for counted in (report.filters, report.baseline):
            assert (counted.date_from.day, (counted.date_to + timedelta(days=1)).day) == (1, 1)
        if report.stays < 5:
            assert report.notice and not report.charts and not figures(report)
            continue
        checked += 1
        for table in report.tables:
            for column in table.columns() if table.parts else []:
                assert rules.revealing(column) == [], (by, narrow, table.key, column)
    assert checked > 10
