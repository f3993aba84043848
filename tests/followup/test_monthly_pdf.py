"""The monthly summary's PDF shows every table whole: landscape pages, every column header and
every value of each table's last column in its text, and no word outside its page."""

import re
import subprocess
from datetime import date
from html import unescape

import pytest
from django.utils.formats import localize

from samverkan.followup import report as reports
from samverkan.followup.testing import stays
from samverkan.lib.tables import Table

URL = "/uppfoljning/manadsrapport.pdf?manad=2026-11"
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>')


@pytest.fixture
def summary(as_user, world, settings):
    """The PDF's pages as (width, height, words), and the report it was made from."""
    settings.SMALL_CELL_LIMIT = 1  # every figure shown
    stays(world)
    response = as_user(world.analyst).get(URL)
    assert response["Content-Type"] == "application/pdf"
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    pages = [
        (float(w), float(h), [(float(a), float(b), unescape(t)) for a, b, t in WORD.findall(body)])
        for w, h, body in PAGE.findall(boxes)
    ]
    raw = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    report = reports.summary(reports.month_filters(date(2026, 11, 1)))
    return pages, " ".join(raw.split()), report


def test_every_page_is_landscape_and_no_word_is_cut(summary):
    pages, _, _ = summary
    assert pages
    for width, height, words in pages:
        assert width > height
        outside = [t for x0, x1, t in words if x0 < 0 or x1 > width]
        assert not outside


def test_every_header_and_the_last_column_of_every_table_are_printed(summary):
    _, text, report = summary
    words = set(text.split())
    assert len(report.tables) == 3
    for table in report.tables:
        assert table.title in text
        for header in table.header:
            assert " ".join(header.split()) in text, header
        for row in table.rows:
            assert localize(row[-1]) in words, (table.title, row)


def test_a_wide_table_is_split_into_even_parts_led_by_the_row_labels():
    header = ["Kommun", *(f"K{i}" for i in range(1, 15))]
    table = Table("los", "LOS", header, [["A", *range(1, 15)], ["Totalt", *range(2, 16)]])
    parts = table.split(7)
    assert [len(p.header) for p in parts] == [6, 6, 5]
    assert [p.title for p in parts][-1] == "LOS (del 3 av 3)"
    assert [p.rows[1][0] for p in parts] == ["Totalt"] * 3
    assert [v for p in parts for v in p.rows[0][1:]] == list(range(1, 15))
    assert Table("x", "X", ["A", "B"], [["a", 1]]).split(7)[0].title == "X"
