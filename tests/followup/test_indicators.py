"""The indicators against hand-computed values on a small set (samverkan/followup/testing.py),
small-cell suppression, the exports read back, and the pages' access and bad input."""

import csv
import io
import subprocess
from datetime import date

import pytest
import time_machine
from openpyxl import load_workbook

from samverkan.followup import dashboard, goals
from samverkan.followup.indicators import Filters
from samverkan.followup.testing import at, stays
from samverkan.lib.testdata import born_between

NOV = Filters(date(2026, 11, 1), date(2026, 11, 30))
OCT = Filters(date(2026, 10, 1), date(2026, 10, 31))
QUERY = "date_from=2026-11-01&date_to=2026-11-30&baseline_from=2026-10-01&baseline_to=2026-10-31"
URL = f"/uppfoljning/?{QUERY}"


@pytest.fixture
def data(world, settings):
    settings.SMALL_CELL_LIMIT = 1  # the hand-computed values, unsuppressed
    return stays(world)


def row(table, name):
    return dict(zip(table.header, next(r for r in table.rows if r[0] == name), strict=True))


def test_los_indicators_match_the_hand_computed_values(data):
    total = row(dashboard.los_table(NOV, "municipality"), "Totalt")
    assert total["Vårdtillfällen"] == 7
    assert total["Med inskrivningsmeddelande (%)"] == 85.7
    assert total["Inskrivningsmeddelande inom 24 h (%)"] == 71.4
    assert total["Utskrivningsklara"] == 6
    assert total["Dagar som utskrivningsklar, medel"] == 1.8
    assert total["Dagar som utskrivningsklar, median"] == 1.5
    assert total["Hem samma dag (%)"] == 33.3
    assert total["Vårdplatser per dag med utskrivningsklara"] == 0.4  # 11 days / 30
    assert total["Återinskrivna inom 30 dagar (%)"] == 14.3
    assert total["Återinskrivna, med SIP (%)"] == 0.0
    assert total["Återinskrivna, utan SIP (%)"] == 16.7
    assert total["SIP kallad inom 3 dagar (%)"] == 100.0
    assert total["Till korttidsboende (%)"] == 14.3
    assert total["Till särskilt boende (%)"] == 14.3


def test_groups_split_the_stays(data):
    by_municipality = dashboard.los_table(NOV, "municipality")
    assert row(by_municipality, "Kommun A")["Vårdtillfällen"] == 6
    assert row(by_municipality, "Kommun B")["Dagar som utskrivningsklar, medel"] == 2.0
    by_care = dashboard.los_table(NOV, "care")
    assert row(by_care, "Psykiatrisk vård")["Vårdtillfällen"] == 1
    assert row(by_care, "Somatisk vård")["Vårdtillfällen"] == 6
    by_age = dashboard.los_table(NOV, "age")
    assert [r[0] for r in by_age.rows] == ["80+", "Totalt"]
    by_month = dashboard.los_table(Filters(date(2026, 10, 1), date(2026, 11, 30)), "month")
    assert [r[0] for r in by_month.rows] == ["okt 2026", "nov 2026", "Totalt"]
    assert row(by_month, "okt 2026")["Vårdtillfällen"] == 1
    # beds a day use each month's own days: October 2 ready days / 31, November 11 / 30
    assert row(by_month, "okt 2026")["Vårdplatser per dag med utskrivningsklara"] == 0.1


def test_filters_narrow_the_stays(data, world):
    only_b = Filters(NOV.date_from, NOV.date_to, municipality=world.muni_b.pk)
    assert row(dashboard.los_table(only_b, "municipality"), "Totalt")["Vårdtillfällen"] == 1
    psych = Filters(NOV.date_from, NOV.date_to, care="psychiatric")
    assert row(dashboard.los_table(psych, "care"), "Totalt")["Vårdtillfällen"] == 1
    young = Filters(NOV.date_from, NOV.date_to, age="18-64")
    assert dashboard.los_table(young, "age").rows[-1][1] == 0


def test_distribution_and_inhabitants(data):
    days = {r[0]: r[1] for r in dashboard.distribution_table(NOV).rows}
    assert days == {
        "0 dagar": 2,
        "1 dagar": 1,
        "2 dagar": 1,
        "3 dagar": 1,
        "4-7 dagar": 1,
        "8-14 dagar": 0,
        "15+ dagar": 0,
    }
    a = row(dashboard.municipality_table(NOV), "Kommun A")
    assert a["Utskrivningsklara per 1 000 invånare"] == 0.08  # 5 / 60,000
    assert a["Dagar som utskrivningsklar per 1 000 invånare"] == 0.15  # 9 / 60,000
    assert a["Utskrivningsklara 65+ per 1 000 invånare 65+"] == 0.42  # 5 / 12,000
    assert row(dashboard.municipality_table(NOV), "Kommun B")["Folkmängd 65+"] == "–"


def test_acknowledgement_times_per_unit(data):
    table = dashboard.acknowledgement_table(NOV)
    needs, pcc = row(table, "A Needs"), row(table, "Pcc")
    assert needs["Kvitterade före nästa avstämningstid (%)"] == 100.0
    assert needs["Timmar till kvittens, medel"] == 1.5
    assert pcc["Inom 24 h (%)"] == 0.0
    assert pcc["Kvitterade före nästa avstämningstid (%)"] == 0.0
    assert pcc["Timmar till kvittens, medel"] == 26.0


def test_effect_goals_compare_with_the_baseline(data):
    table = goals.goals_table(NOV, OCT)
    readmitted = row(table, "Återinskrivna inom 30 dagar (%)")
    assert list(readmitted.values())[1:] == ["Minska", 0.0, 14.3, 14.3, "Sämre"]
    housing = row(table, "Till korttidsboende efter utskrivning (%)")
    assert list(housing.values())[2:4] == [0.0, 14.3]


def test_small_cells_are_suppressed(data, settings):
    settings.SMALL_CELL_LIMIT = 5
    table = dashboard.los_table(NOV, "municipality")
    total, a, b = row(table, "Totalt"), row(table, "Kommun A"), row(table, "Kommun B")
    assert total["Vårdtillfällen"] == 7
    assert total["Återinskrivna inom 30 dagar (%)"] == "dolt"  # 1 readmission: a small cell
    assert total["Dagar som utskrivningsklar, medel"] == 1.8  # six values
    assert b["Vårdtillfällen"] is None and b["Dagar som utskrivningsklar, medel"] == "dolt"
    # secondary suppression: Totalt minus Kommun A would tell Kommun B's one stay
    assert a["Vårdtillfällen"] == "dolt" and a["Utskrivningsklara"] == "dolt"


def test_shares_hide_a_small_rest_and_rows_that_would_tell_a_hidden_one():
    assert dashboard.percent(996, 1000) == "dolt"  # 4 without: a small cell
    assert dashboard.percent(900, 1000) == 90.0
    assert dashboard.percent(0, 0) == "–"
    rows = [["a", 100, 50.0], ["b", None, None], ["c", 10, 20.0], ["d", 40, 10.0]]
    assert dashboard.protect(rows, [100, 2, 10, 40]) == set()
    assert rows == [
        ["a", 100, 50.0],
        ["b", None, None],
        ["c", "dolt", "dolt"],  # the lightest other row, hidden with it (not small itself)
        ["d", 40, 10.0],
    ]
    zeros = [["a", 0, "–"], ["b", None, "dolt"]]  # nothing shown to hide with: the total must go
    assert dashboard.protect(zeros, [0, 2]) == {1, 2}


def test_per_inhabitants_hides_one_persons_days(data, settings):
    settings.SMALL_CELL_LIMIT = 5
    b = row(dashboard.municipality_table(NOV), "Kommun B")  # one ready stay of two days
    assert b["Dagar som utskrivningsklar per 1 000 invånare"] == "dolt"


def test_days_are_counted_in_swedish_calendar_days(world, settings):
    """Ready 23:30 on 30 November, out 00:30 on 1 December: one day, discharged in December;
    discharged 00:30 on 1 November (23:30 UTC the day before): a November stay."""
    from samverkan.followup.testing import _patient, _stay

    settings.SMALL_CELL_LIMIT = 1
    numbers = born_between(1930, 1935)
    late = _patient(numbers[0], world.muni_a)
    early = _patient(numbers[1], world.muni_a)
    _stay(late, world.ward, at("11-29"), at("11-29", 10), at("11-30", 23, 30), at("12-01", 0, 30))
    _stay(early, world.ward, at("10-30"), at("10-30", 10), at("10-31", 12), at("11-01", 0, 30))
    december = Filters(date(2026, 12, 1), date(2026, 12, 31))
    assert dashboard.distribution_table(december).rows[1][1] == 1  # "1 dagar"
    assert row(dashboard.los_table(NOV, "month"), "nov 2026")["Vårdtillfällen"] == 1


def test_dashboard_page_with_charts(as_user, data, world):
    response = as_user(world.analyst).get(URL + "&by=municipality")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('<svg class="chart"') == 5
    assert "Kommun A" in text and "Effektmål" in text
    assert world.patient.identity not in text and "Person" not in text  # aggregates only


def test_exports_read_back(as_user, data, world):
    client = as_user(world.ward_staff)
    book = load_workbook(io.BytesIO(client.get(f"/uppfoljning/export.xlsx?{QUERY}").content))
    sheet = book["LOS-indikatorer per månad"]
    header = [c.value for c in sheet[1]]
    values = [c.value for c in sheet[2]]
    assert values[0] == "nov 2026" and values[header.index("Vårdtillfällen")] == 7
    assert "Effektmål mot basperiod" in book.sheetnames
    response = client.get(f"/uppfoljning/export.csv?{QUERY}&tabell=los")
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert (
        lines[1][0] == "nov 2026"
        and lines[1][lines[0].index("Återinskrivna inom 30 dagar (%)")] == "14,3"
    )


def test_monthly_summary(as_user, data, world):
    response = as_user(world.analyst).get("/uppfoljning/manadsrapport/?manad=2026-11")
    text = response.content.decode()
    assert response.status_code == 200 and "november 2026" in text
    assert text.count('<svg class="chart"') == 2


def test_monthly_summary_as_pdf_and_excel(as_user, data, world):
    client = as_user(world.analyst)
    response = client.get("/uppfoljning/manadsrapport.pdf?manad=2026-11")
    assert response["Content-Type"] == "application/pdf"
    pdf = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "november 2026" in pdf and "Kommun A" in pdf and "Inga personuppgifter" in pdf
    book = load_workbook(
        io.BytesIO(client.get("/uppfoljning/manadsrapport.xlsx?manad=2026-11").content)
    )
    sheet = book["LOS-indikatorer per kommun"]
    assert [c.value for c in sheet[2]][:2] == ["Kommun A", 6]
    assert client.get("/uppfoljning/manadsrapport.doc?manad=2026-11").status_code == 404
    assert client.get("/uppfoljning/export.doc").status_code == 404


def test_default_period_is_the_last_twelve_whole_months(as_user, data, world):
    with time_machine.travel("2026-12-05 10:00 +0100", tick=False):
        text = as_user(world.analyst).get("/uppfoljning/").content.decode()
    assert "2025-12-01–2026-11-30" in text


@pytest.mark.parametrize(
    "query,field,message",
    [
        ("date_from=2026-11-30&date_to=2026-11-01", "date_to", "Slutdatum måste vara samma"),
        ("date_from=2026-13-01", "date_from", "Fyll i ett giltigt datum"),
        ("by=shoe", "by", "Välj ett giltigt alternativ"),
        ("date_from=2000-01-01&date_to=2026-11-01", "date_to", "högst tio år"),
        ("date_from=0001-01-01&date_to=0001-01-05", "date_from", "från 2000 till 2100"),
        ("date_from=9999-12-01&date_to=9999-12-31", "date_from", "från 2000 till 2100"),
        ("baseline_from=1900-01-01", "baseline_from", "från 2000 till 2100"),
        ("baseline_to=9999-12-31", "baseline_to", "från 2000 till 2100"),
        ("date_from=2000-01-01&date_to=2000-02-01", "baseline_from", "tidigast år 2000"),
    ],
)
def test_bad_input_names_the_field(as_user, world, query, field, message):
    response = as_user(world.analyst).get(f"/uppfoljning/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'id="id_{field}"' in response.content.decode()


def test_access_and_methods(client, as_user, world):
    assert client.get("/uppfoljning/").status_code == 302  # to the login page
    analyst = as_user(world.analyst)
    assert analyst.post("/uppfoljning/").status_code == 405
    assert analyst.get("/uppfoljning/export.csv?tabell=nope").status_code == 404
    for month in ("2026-xx", "9999-12", "0001-01", "1-1", "2026-13"):
        response = analyst.get(f"/uppfoljning/manadsrapport/?manad={month}")
        assert response.status_code == 400 and "ÅÅÅÅ-MM" in response.content.decode()


def test_a_row_does_not_tell_a_small_rest():
    from samverkan.followup.indicators import NAMES, Histogram

    counts = dict.fromkeys(NAMES, 0) | {"stays": 10, "ready": 7, "with_sip": 15}
    counts |= {"readmitted": 8, "readmitted_sip": 7, "readmitted_no_sip": 1}
    row = dashboard.los_row("x", counts | {"stays": 40}, Histogram({0: 7}), 30)
    assert row[4] == 7  # 40 stays, 7 ready: the rest is large
    row = dashboard.los_row("x", counts, Histogram({0: 7}), 30)
    assert row[4] == "dolt"  # 10 stays, 7 ready would tell that 3 were never ready
    row = dashboard.los_row("x", counts | {"stays": 40}, Histogram({0: 7}), 30)
    assert row[10] == row[11] == "dolt"  # "utan SIP" is 1 of 25: both splits hidden
