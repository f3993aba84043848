"""Payment-liability pages: the monthly statement per municipality (page, PDF, Excel), one stay
day by day, the average model; who may see lines, totals or nothing; audit; bad input."""

import html
import io
import re
import subprocess
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.cases import services
from samverkan.cases.testing import actor
from samverkan.followup.models import Agreement, DailyAmount
from samverkan.followup.payment.statement import statement
from samverkan.followup.payment.testing import at, payment_world, stay
from samverkan.testing import _user

from ..helpers import events, text

MARCH = {"manad": "2025-03", "kommun": "1080"}
URL = reverse("payment_statement")


@pytest.fixture(autouse=True)
def april_2025():
    with time_machine.travel(at(15, 12, month=4), tick=False):
        yield


@pytest.fixture
def w(world):
    return payment_world(world)


@pytest.fixture
def example(w):
    """DOMAIN.md §2: notice Mon 3 March 10:00, discharged Mon 10 March → 3 liable days."""
    w.case = stay(w, out=at(10, 14))
    return w


def get(client, name=URL, **params):
    return client.get(name if name.startswith("/") else reverse(name), params)


def plain(value: str) -> str:
    return " ".join(value.split())


def pdf_text(response, tmp_path) -> str:
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(response.content)
    command = ["pdftotext", "-layout", str(pdf), "-"]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    return plain(run.stdout)


def test_statement_shows_the_worked_example_line_by_line(example, as_user):
    response = get(as_user(example.region_reader), **MARCH)
    assert response.status_code == 200
    lines = response.context["lines"]
    assert len(lines) == 1 and lines[0].outcome.liable_days == 3
    assert lines[0].outcome.amount == 27900
    body = plain(text(response))
    assert "19400104-2383" in body and "Astrid Testsson" in body and "Ward" in body
    assert "2025-03-03 10:00" in body and "2025-03-10 14:00" in body
    assert "27 900" in body.replace("\xa0", " ")
    assert "Testöverenskommelsen" in body and "mars 2025" in body
    assert reverse("payment_stay", args=[example.case.public_id]) in body


def test_each_line_names_the_rule_that_stopped_liability(w, as_user):
    stay(w, out=at(5, 9))  # within the free days
    stay(w, w.protected, ready=at(28, 10))  # still in hospital, free days reach April
    stay(w, w.child, out=at(10, 14), recipients=[w.pcc])  # the municipality was left out
    lines = get(as_user(w.region_reader), **MARCH).context["lines"]
    reasons = {line.case.patient.given_name: line.outcome.stopped_by for line in lines}
    assert reasons == {
        "Astrid": "Utskriven inom fridagarna",
        "Sven": "Inom fridagarna",
        "Elsa": "Kommunen har inte fått inskrivningsmeddelande",
    }
    assert sum(line.outcome.liable_days for line in lines) == 0


def test_municipality_reads_its_own_statement_only(example, as_user):
    client = as_user(example.a_staff)
    response = get(client, manad="2025-03")
    assert response.status_code == 200 and len(response.context["lines"]) == 1
    assert [t.municipality.name for t in response.context["statement"].totals] == ["Kommun A"]
    assert get(client, manad="2025-03", kommun="1082").status_code == 403
    other = get(as_user(example.b_staff), manad="2025-03")
    assert other.status_code == 200 and other.context["lines"] == []


def test_role_without_the_right_gets_403(example, as_user):
    assert get(as_user(example.ward_staff), **MARCH).status_code == 403
    assert get(as_user(example.ward_staff), "payment_statement_pdf", **MARCH).status_code == 403
    assert get(as_user(example.ward_staff), "payment_average").status_code == 403


def test_analyst_sees_totals_never_lines(example, as_user):
    response = get(as_user(example.analyst), **MARCH)
    assert response.status_code == 200 and response.context["lines"] is None
    body = text(response)
    assert "19400104-2383" not in body and "Astrid" not in body
    totals = {t.municipality.name: t.liable_days for t in response.context["statement"].totals}
    assert totals == {"Kommun A": 3, "Kommun B": 0}
    sheet = load_workbook(
        io.BytesIO(get(as_user(example.analyst), "payment_statement_xlsx", **MARCH).content)
    )
    assert sheet.sheetnames == ["Summa"]
    assert not events("payment.statement").exists()


def test_statement_reads_are_audited_per_person(w, as_user):
    stay(w, out=at(10, 14))
    stay(w, w.protected, out=at(4, 9))
    get(as_user(w.region_reader), **MARCH)
    shown = events("payment.statement", user=w.region_reader)
    assert sorted(e.patient.given_name for e in shown) == ["Astrid", "Sven"]
    get(as_user(w.region_reader), "payment_statement_xlsx", **MARCH)
    assert events("payment.statement", user=w.region_reader).count() == 4


def test_wrong_method_is_refused(example, as_user):
    client = as_user(example.region_reader)
    for name in ["payment_statement", "payment_statement_pdf", "payment_statement_xlsx"]:
        assert client.post(reverse(name)).status_code == 405
    assert client.post(reverse("payment_stay", args=[example.case.public_id])).status_code == 405
    assert client.post(reverse("payment_average")).status_code == 405


@pytest.mark.parametrize(
    "params, message",
    [
        ({"manad": "2025-13"}, "Månad: ange år och månad som ÅÅÅÅ-MM"),
        ({"manad": "mars"}, "Månad: ange år och månad som ÅÅÅÅ-MM"),
        ({"manad": "2017-12"}, "Månad: ange år och månad som ÅÅÅÅ-MM"),
        ({"kommun": "9999"}, "Kommun: välj en av kommunerna i listan."),
    ],
)
def test_bad_filter_gives_a_swedish_error_naming_the_field(example, as_user, params, message):
    response = get(as_user(example.region_reader), **params)
    assert response.status_code == 400 and message in text(response)
    assert not events("payment.statement").exists()
    assert get(as_user(example.region_reader), "payment_statement_pdf", **params).status_code == 400


def test_pdf_statement_reads_back(example, as_user, tmp_path):
    response = get(as_user(example.a_staff), "payment_statement_pdf", **MARCH)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "betalningsansvar-2025-03-1080.pdf" in response["Content-Disposition"]
    content = pdf_text(response, tmp_path)
    assert "Underlag för kommunalt betalningsansvar – Kommun A, mars 2025" in content
    assert "19400104-2383" in content and "Astrid Testsson" in content
    assert "Utskriven inom fridagarna" not in content
    assert "27 900" in content and "Testöverenskommelsen" in content


def test_excel_statement_reads_back_with_every_day(example, as_user):
    response = get(as_user(example.region_reader), "payment_statement_xlsx", **MARCH)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summa", "Underlag", "Dagar"]
    line = [c.value for c in book["Underlag"][2]]
    assert line == [
        "19400104-2383",
        "Astrid Testsson",
        "Ward",
        "2025-03-03 10:00",
        "2025-03-10 14:00",
        3,
        27900,
        None,  # nothing stopped liability
    ]
    days = [[c.value for c in row] for row in book["Dagar"].iter_rows(min_row=2)]
    assert [d[3] for d in days] == ["nej"] * 4 + ["ja"] * 3 + ["nej"]
    assert days[1][5] == "Fridag 1 av 3" and days[4][5] == "Betalningsansvar"
    assert sum(d[4] for d in days) == 27900
    summa = [[c.value for c in row] for row in book["Summa"].iter_rows(min_row=2)]
    assert summa[0] == ["Kommun A", 1, 1, 3, 27900] and summa[-1][0] == "Totalt"


def test_stay_page_shows_every_day_with_its_reason(example, as_user):
    url = reverse("payment_stay", args=[example.case.public_id])
    for user in (example.ward_staff, example.a_staff, example.region_reader):
        response = as_user(user).get(url)
        assert response.status_code == 200, user
        body = plain(text(response))
        assert "Fridag 3 av 3" in body and "Betalningsansvar" in body
        assert "Utskriven: utskrivningsdagen räknas inte" in body and "3 dagar" in body
        assert events("payment.read", user=user, patient=example.patient).count() == 1


def test_stay_page_outsider_404_and_role_without_right_403(example, as_user):
    url = reverse("payment_stay", args=[example.case.public_id])
    assert as_user(example.b_staff).get(url).status_code == 404
    assert as_user(example.other_ward_staff).get(url).status_code == 404
    assert as_user(example.analyst).get(url).status_code == 404
    ward_analyst = _user("ward_analyst", example.ward, "analyst")
    assert as_user(ward_analyst).get(url).status_code == 403
    assert not events("payment.read").exists()


def test_retraction_and_a_declined_interruption_through_the_services(w, as_user):
    case = stay(w, ready=at(12, 10), retract=(at(3, 10), at(8, 9)))
    services.interrupt(
        actor(w.ward_staff), case, reason="declined", unit=w.a_needs, occurred_at=at(18, 9)
    )
    days = get(as_user(w.region_reader), **MARCH).context["lines"][0].outcome.days
    counted = [d.date.day for d in days if d.counted]
    assert counted == [7, 16, 17]
    assert any("återkallat" in d.reason for d in days)
    assert days[-1].reason == "Patienten avböjer insatser (från 2025-03-18)"


def test_a_month_holds_only_its_days_and_the_year_needs_its_amount(w, as_user):
    stay(w, ready=at(27, 10), out=at(5, 10, month=4))
    DailyAmount.objects.filter(year=2025).delete()
    client = as_user(w.region_reader)
    march = get(client, **MARCH).context["lines"][0].outcome
    april = get(client, manad="2025-04", kommun="1080").context["lines"][0].outcome
    assert (march.liable_days, april.liable_days) == (1, 4)
    assert march.amount == 0 and "Belopp per dag saknas för år 2025" in text(get(client, **MARCH))


def test_statement_queries_do_not_grow_with_the_stays(w, django_assert_max_num_queries):
    from samverkan.directory.models import Principal

    stay(w, out=at(10, 14))
    municipalities = list(Principal.objects.filter(kind="municipality"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        statement(date(2025, 3, 1), municipalities)
    stay(w, w.protected, out=at(12, 14))
    stay(w, w.child, out=at(11, 14))
    with django_assert_max_num_queries(len(one.captured_queries)):
        result = statement(date(2025, 3, 1), municipalities)
    assert len(result.lines) == 3


def test_average_model_per_municipality_and_month(averaged, as_user):
    w = averaged
    response = get(as_user(w.analyst), "payment_average", ar="2025")
    assert response.status_code == 200
    rows = average_rows(response)
    march = rows["Kommun A", "Somatisk vård", 3]
    assert (march.patients, march.days, march.mean, march.rolling_mean) == (2, 8, 4.0, 4.0)
    assert march.liable_days == 4.0 and march.amount == 37200
    april = rows["Kommun A", "Somatisk vård", 4]
    assert april.patients == 0 and april.rolling_mean == 4.0 and april.liable_days == 0
    assert rows["Kommun A", "Psykiatrisk vård", 3].patients == 0
    assert "Genomsnitt 2025" in text(response) and "Person" not in text(response)
    statement_page = get(as_user(w.region_reader), **MARCH)
    assert "genomsnittsmodellen" in text(statement_page)
    assert get(as_user(w.analyst), "payment_average", ar="tjugo").status_code == 400
    assert "År: ange ett årtal" in text(get(as_user(w.analyst), "payment_average", ar="tjugo"))


def test_amounts_of_the_law_are_seeded(db):
    amounts = dict(DailyAmount.objects.values_list("year", "amount"))
    assert {y: amounts.get(y) for y in (2019, 2020, 2022)} == {2019: 7800, 2020: 8200, 2022: 9300}
    assert 2021 not in amounts


def test_system_admin_keeps_agreements_in_admin(w, as_user):
    assert as_user(w.sysadmin).get("/admin/followup/agreement/add/").status_code == 200
    assert as_user(w.sysadmin).get("/admin/followup/dailyamount/").status_code == 200
    assert as_user(w.a_admin).get("/admin/followup/agreement/").status_code in (302, 403)


def test_the_menu_leads_those_who_may_see_it(w, as_user):
    link = f'href="{URL}"'
    for user in (w.region_reader, w.a_staff, w.analyst):
        assert link in text(as_user(user).get(reverse("contacts"))), user
    assert link not in text(as_user(w.ward_staff).get(reverse("contacts")))


# --- the average model as PDF and Excel, small cells, defaults, the rules in words ---------


def words(response) -> str:
    """The page's text as a reader sees it: tags out, entities decoded, spaces collapsed."""
    return plain(html.unescape(re.sub(r"<[^>]+>", " ", text(response))))


def sheet_rows(response, sheet) -> list[list]:
    book = load_workbook(io.BytesIO(response.content))
    return [[c.value for c in row] for row in book[sheet].iter_rows(min_row=2)]


def average_agreement(region, name: str, valid_from: date, **terms) -> Agreement:
    return Agreement.objects.create(
        region=region, name=name, valid_from=valid_from, model="average", **terms
    )


def average_rows(response) -> dict:
    return {
        (r.municipality.name, r.area, r.row.month.month): r.row
        for r in response.context["average"].rows
    }


@pytest.fixture
def averaged(w):
    """Two stays of Kommun A discharged in March 2025 under an average-model agreement."""
    average_agreement(
        w.region, "Genomsnitt 2025", date(2025, 1, 1), free_days=2, psychiatry_free_days=5
    )
    stay(w, out=at(10, 14))  # 7 days
    stay(w, w.protected, out=at(4, 9))  # 1 day
    return w


def test_average_model_reads_back_from_pdf_and_excel(averaged, as_user, tmp_path):
    client = as_user(averaged.region_reader)
    page = get(client, "payment_average", ar="2025")
    assert reverse("payment_average_pdf") + "?ar=2025" in text(page)
    response = get(client, "payment_average_pdf", ar="2025")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "betalningsansvar-genomsnitt-2025.pdf" in response["Content-Disposition"]
    content = pdf_text(response, tmp_path)
    assert "Betalningsansvar – genomsnittsmodell 2025" in content
    assert "Kommun A Somatisk vård 2025-03 2 8 4,0 4,0 2 4,0 37 200" in content
    workbook = get(client, "payment_average_xlsx", ar="2025")
    assert "betalningsansvar-genomsnitt-2025.xlsx" in workbook["Content-Disposition"]
    rows = sheet_rows(workbook, "Genomsnittsmodell 2025")
    march = ["Kommun A", "Somatisk vård", "2025-03", 2, 8, 4.0, 4.0, 2, 4.0, 37200]
    assert march in rows
    assert {r[2] for r in rows} == {"2025-01", "2025-02", "2025-03", "2025-04"}  # not May on
    assert len(rows) == 2 * 2 * 4  # municipalities × care areas × months so far
    assert get(client, "payment_average_xlsx", ar="tjugo").status_code == 400
    assert get(as_user(averaged.ward_staff), "payment_average_pdf").status_code == 403


def test_average_model_hides_small_cells_from_those_who_see_totals_only(averaged, as_user):
    client = as_user(averaged.analyst)
    rows = sheet_rows(get(client, "payment_average_xlsx", ar="2025"), "Genomsnittsmodell 2025")
    by_month = {(r[0], r[1], r[2]): r[3:] for r in rows}
    hidden = ["<5", "dolt", "dolt", "dolt", 2, "dolt", "dolt"]
    assert by_month["Kommun A", "Somatisk vård", "2025-03"] == hidden
    # April has no patients, but its rolling mean still comes from March's two.
    assert by_month["Kommun A", "Somatisk vård", "2025-04"] == [
        0,
        0,
        "–",
        "dolt",
        2,
        "dolt",
        "dolt",
    ]
    assert by_month["Kommun B", "Somatisk vård", "2025-03"] == [0, 0, "–", "–", 2, 0.0, 0]
    body = words(get(client, "payment_average", ar="2025"))
    assert "Kommun A Somatisk vård 2025-03 <5 dolt dolt dolt 2 dolt dolt" in body
    assert "visas som <5" in body


def test_statement_totals_hide_small_cells_unless_the_reader_sees_the_lines(example, as_user):
    analyst = as_user(example.analyst)
    body = words(get(analyst, **MARCH))
    assert "Kommun A <5 <5 dolt dolt" in body and "Kommun B 0 0 0 0" in body
    assert "Totalt <5 <5 dolt dolt" in body
    summa = sheet_rows(get(analyst, "payment_statement_xlsx", **MARCH), "Summa")
    assert summa[0] == ["Kommun A", "<5", "<5", "dolt", "dolt"]
    reader = words(get(as_user(example.region_reader), **MARCH))
    assert "Kommun A 1 1 3 27 900" in reader and "dolt" not in reader
    own = words(get(as_user(example.a_staff), **MARCH))
    assert "Kommun A 1 1 3 27 900" in own and "Totalt" not in own  # one municipality: no sum


def test_small_cell_limit_comes_from_the_settings(example, as_user, settings):
    settings.SMALL_CELL_LIMIT = 1
    body = words(get(as_user(example.analyst), **MARCH))
    assert "Kommun A 1 1 3 27 900" in body and "<" not in body.split("Summa per kommun")[1]


def test_statement_opens_on_the_last_whole_month_with_the_own_municipality(example, as_user):
    response = get(as_user(example.a_staff))
    assert response.context["statement"].month == date(2025, 3, 1)  # today is 15 April
    assert response.context["municipality"].code == "1080" and len(response.context["lines"]) == 1
    options = [label for _, label in response.context["form"].fields["kommun"].choices]
    assert options == ["Välj kommun", "Kommun A"]
    assert 'value="2025-03"' in text(response)
    assert f"{reverse('payment_statement_pdf')}?manad=2025-03&amp;kommun=1080" in text(response)


def test_the_pages_state_the_agreement_rules_in_words(w, as_user):
    Agreement.objects.filter(region=w.region).update(
        cutoff_hour=12, psychiatry_free_days=5, psychiatry_notice_day_is_day_zero=False
    )
    body = words(get(as_user(w.region_reader), **MARCH))
    assert (
        "Somatisk vård: 3 fridagar, meddelandedagen är dag 0, ett meddelande efter kl. 12 "
        "räknas från nästa dag." in body
    )
    assert (
        "Psykiatrisk vård: 5 fridagar, meddelandedagen är första fridagen, ett meddelande" in body
    )
    assert "kommunen har fått inskrivningsmeddelande; kommunen har fått meddelandet om" in body
    average_page = words(get(as_user(w.analyst), "payment_average", ar="2025"))
    assert "använder den individuella modellen" in average_page


def test_psychiatry_settings_are_loaded_from_the_agreement(w):
    from samverkan.followup.payment import facts

    Agreement.objects.filter(region=w.region).update(psychiatry_cutoff_hour=16)
    (terms,) = facts.agreements()[w.region.pk]
    assert terms.psychiatry_cutoff_hour == 16 and terms.psychiatry_notice_day_is_day_zero is None


def test_stay_page_marks_days_without_an_amount(example, as_user):
    DailyAmount.objects.filter(year=2025).delete()
    url = reverse("payment_stay", args=[example.case.public_id])
    body = words(as_user(example.region_reader).get(url))
    assert "Fridag 1 av 3 " in body and "– Fridag 1 av 3" in body
    assert "saknas Betalningsansvar – belopp saknas för år 2025" in body
    assert "3 dagar 0 (belopp saknas för år 2025)" in body
    assert "Blekinge" not in body and "3 fridagar, meddelandedagen är dag 0" in body


# --- who reads the lines: the municipality's administration and needs assessment only -----


def test_a_municipal_unit_outside_the_statement_reads_no_lines_and_no_stays(example, as_user):
    """A school-health nurse of Kommun A reads no resident's line or stay page."""
    school = as_user(example.school_staff)
    for name in ["payment_statement", "payment_statement_pdf", "payment_statement_xlsx"]:
        assert get(school, name, **MARCH).status_code == 403, name
    assert get(school, "payment_average", ar="2025").status_code == 403
    url = reverse("payment_stay", args=[example.case.public_id])
    assert school.get(url).status_code == 404
    assert not events("payment.statement").exists() and not events("payment.read").exists()
    needs = get(as_user(example.a_staff), **MARCH)  # the unit that receives the notices
    assert needs.status_code == 200 and len(needs.context["lines"]) == 1
    assert as_user(example.a_staff).get(url).status_code == 200
    administration = _user(
        "a_office", _unit(example.muni_a, "a_office", "administration"), "reader"
    )
    assert len(get(as_user(administration), **MARCH).context["lines"]) == 1


def _unit(principal, name, kind):
    from samverkan.directory.models import Unit

    return Unit.objects.create(
        principal=principal, name=name, kind=kind, hsa_id=f"SE-{principal.code}-{name}"
    )


# --- secondary suppression: Totalt less the shown rows must not reveal a hidden cell -------


def _municipality_b_stays(w, n: int):
    from samverkan.patients.models import Patient

    for i in range(n):
        patient = Patient.objects.create(
            identity=f"1950010{i}0000",
            identity_kind="personnummer",
            birth_date="1950-01-01",
            given_name=f"Bengt{i}",
            family_name="Bsson",
            registered_municipality=w.muni_b,
        )
        stay(w, patient, out=at(10, 14))


@pytest.fixture
def three_and_one(w, settings):
    """Kommun A three stays, Kommun B one (each 3 liable days); small cells are 1–2."""
    settings.SMALL_CELL_LIMIT = 3
    for patient in (w.patient, w.protected, w.child):
        stay(w, patient, out=at(10, 14))
    _municipality_b_stays(w, 1)
    return w


def test_totals_hide_a_second_cell_where_the_sum_would_reveal_a_small_one(three_and_one, as_user):
    summa = sheet_rows(
        get(as_user(three_and_one.analyst), "payment_statement_xlsx", **MARCH), "Summa"
    )
    assert summa == [
        ["Kommun A", "dolt", "dolt", "dolt", "dolt"],  # 3, 3, 9, 83 700 would give B away
        ["Kommun B", "<3", "<3", "dolt", "dolt"],
        ["Totalt", 4, 4, 12, 111600],
    ]
    body = words(get(as_user(three_and_one.analyst), **MARCH))
    assert "Kommun A dolt dolt dolt dolt" in body and "Totalt 4 4 12 111 600" in body


def test_totals_hide_the_sum_when_the_reader_knows_every_other_row(three_and_one, as_user):
    """A unit admin of Kommun A reads A's lines: Totalt less A would be B."""
    summa = sheet_rows(
        get(as_user(three_and_one.a_admin), "payment_statement_xlsx", **MARCH), "Summa"
    )
    assert summa == [
        ["Kommun A", 3, 3, 9, 83700],
        ["Kommun B", "<3", "<3", "dolt", "dolt"],
        ["Totalt", "dolt", "dolt", "dolt", "dolt"],
    ]
    exact = sheet_rows(
        get(as_user(three_and_one.region_reader), "payment_statement_xlsx", **MARCH), "Summa"
    )
    assert exact[-1] == ["Totalt", 4, 4, 12, 111600] and exact[1] == ["Kommun B", 1, 1, 3, 27900]


def test_secondary_suppression_picks_the_smallest_other_row_and_spares_empty_ones():
    from samverkan.directory.models import Principal
    from samverkan.followup.payment.report import totals_table
    from samverkan.followup.payment.statement import Statement, Total

    def total(name, stays):
        return Total(Principal(name=name), stays, stays, 3 * stays, 9300 * 3 * stays)

    totals = [total("A", 2), total("B", 0), total("C", 9), total("D", 6)]
    result = Statement(date(2025, 3, 1), [], totals, False, None)
    rows = totals_table(result, readable=[]).rows
    assert rows == [
        ["A", None, None, "dolt", "dolt"],
        ["B", 0, 0, 0, 0],  # nothing to protect with: an empty row shows it is empty
        ["C", 9, 9, 27, 251100],
        ["D", "dolt", "dolt", "dolt", "dolt"],  # the smallest row that is not empty
        ["Totalt", 17, 17, 51, 474300],
    ]
    every = [t.municipality for t in totals]
    assert totals_table(result, every).rows[0] == ["A", 2, 2, 6, 55800]


# --- the average model: the agreement per month and per the ward's region ----------------


def test_average_model_takes_each_months_agreement(averaged, as_user):
    """From 1 March a new agreement: the notice day is day 1, 1 free day, a 1-month mean."""
    average_agreement(
        averaged.region,
        "Ny från mars",
        date(2025, 3, 1),
        free_days=1,
        notice_day_is_day_zero=False,
        rolling_months=1,
    )
    response = get(as_user(averaged.region_reader), "payment_average", ar="2025")
    rows = average_rows(response)
    march = rows["Kommun A", "Somatisk vård", 3]
    assert (march.patients, march.days, march.mean, march.rolling_mean) == (2, 10, 5.0, 5.0)
    assert (march.free_days, march.window, march.liable_days) == (1, (2,), 8.0)
    assert rows["Kommun A", "Somatisk vård", 2].free_days == 2
    body = words(response)
    assert "januari–februari: Genomsnitt 2025 , genomsnittsmodellen" in body
    assert (
        "mars–december: Ny från mars , genomsnittsmodellen, rullande medelvärde över 1 månad;"
        in body
    )
    assert "somatisk vård: 1 fridag, meddelandedagen är första fridagen" in body


def test_average_model_takes_the_agreement_of_the_wards_region(averaged, as_user):
    from samverkan.directory.models import Principal

    other = Principal.objects.create(code="12", name="Region Annan", kind="region")
    average_agreement(other, "Annans", date(2024, 1, 1), free_days=9)
    rows = average_rows(get(as_user(averaged.region_reader), "payment_average", ar="2025"))
    march = rows["Kommun A", "Somatisk vård", 3]  # the ward is Region Test's: 2 free days
    assert (march.free_days, march.liable_days) == (2, 4.0)


def test_average_page_states_its_difference_from_the_individual_model(averaged, as_user, tmp_path):
    """The worked example: 3 days individually, 7 − 3 = 4 on average, said plainly."""
    sentence = "i den individuella modellen 3 dagar med betalningsansvar"
    assert sentence in words(get(as_user(averaged.analyst), "payment_average", ar="2025"))
    content = pdf_text(get(as_user(averaged.analyst), "payment_average_pdf", ar="2025"), tmp_path)
    assert "7 − 3 = 4 dagar" in content


def test_each_ready_period_keeps_its_own_sip_judgement(w, as_user):
    """SIP needed at the first notice, not at the second: the first period waits for the
    call, the second does not, though the case now says SIP is not needed."""
    Agreement.objects.filter(region=w.region).update(requires_sip_called=True)
    case = stay(
        w, ready=at(12, 10), out=at(20, 10), retract=(at(3, 10), at(10, 9)), sip=(True, False)
    )
    assert case.sip_needed is False
    days = get(as_user(w.region_reader), **MARCH).context["lines"][0].outcome.days
    assert [d.date.day for d in days if d.counted] == [16, 17, 18, 19]
    assert {d.date.day for d in days if d.kind == "blocked"} == {7, 8, 9}
    body = words(as_user(w.region_reader).get(reverse("payment_stay", args=[case.public_id])))
    assert "2025-03-03 10:00 (SIP behövs), 2025-03-12 10:00 (SIP behövs inte)" in body


def test_the_menu_offers_the_statement_only_to_those_who_may_read_it(as_user, world):
    link = 'href="/uppfoljning/betalningsansvar/"'
    assert link in text(as_user(world.a_staff).get("/"))  # needs assessment
    assert link in text(as_user(world.analyst).get("/"))  # totals
    assert link not in text(as_user(world.school_staff).get("/"))  # 403 there: no link


def test_excel_statement_neutralises_a_name_that_starts_like_a_formula(example, as_user):
    example.case.patient.given_name = '=HYPERLINK("http://angripare.example")'
    example.case.patient.save()
    response = get(as_user(example.region_reader), "payment_statement_xlsx", **MARCH)
    cell = load_workbook(io.BytesIO(response.content))["Underlag"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK(")
