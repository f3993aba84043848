"""Exports neutralise formula injection (OWASP) in every CSV and Excel file; numbers stay."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.lib.exports import csv_response, neutralise, xlsx_response

ATTACKS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"]


@pytest.mark.parametrize("value", ATTACKS)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [-3, -1.5, 0, 12, None, "Kommun A", "a=b", "", "'=x"])
def test_numbers_and_plain_text_pass_unchanged(value):
    assert neutralise(value) == value


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_csv_cells_and_header_are_neutralised_and_negative_numbers_stay_numbers():
    response = csv_response("t.csv", ["=rubrik", "tal"], [["=1+1", -2.5], ["@x", -3]])
    assert read_csv(response) == [["'=rubrik", "tal"], ["'=1+1", "-2,5"], ["'@x", "-3"]]


def test_excel_cells_are_text_not_formulas_and_numbers_stay_numbers():
    response = xlsx_response("t.xlsx", {"Blad": (["-rubrik", "tal"], [["=1+1", -2], [None, 4]])})
    sheet = load_workbook(io.BytesIO(response.content))["Blad"]
    assert [c.value for c in sheet[1]] == ["'-rubrik", "tal"]
    assert [c.value for c in sheet[2]] == ["'=1+1", -2] and sheet["A2"].data_type == "s"
    assert sheet["B2"].data_type == "n" and sheet["A3"].value == "<5"


def test_audit_log_csv_neutralises_a_hostile_user_name(as_user, world):
    from samverkan.audit.log import record
    from samverkan.directory.actor import Actor

    world.ward_staff.username = "=cmd|' /C calc'!A0"
    world.ward_staff.save()
    staff = Actor(user=world.ward_staff, membership=world.ward_staff.memberships.get())
    record(staff, "patient.read", patient=world.patient)
    rows = read_csv(as_user(world.sysadmin).get(reverse("audit_export")))
    assert "'=cmd|' /C calc'!A0" in [row[1] for row in rows]
    assert "=cmd|' /C calc'!A0" not in [row[1] for row in rows]
