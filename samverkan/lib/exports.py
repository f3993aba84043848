"""Tables out: small-cell suppression, CSV and Excel responses (read back in the tests).

Every exported cell, CSV or Excel, passes `neutralise` (OWASP "CSV injection"): a text that a
spreadsheet would read as a formula gets a leading apostrophe; numbers stay numbers."""

import csv
import io
import re

from django.conf import settings
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


HIDDEN = "dolt"  # a share, mean or other figure hidden with a small cell (not itself a count)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a formula


def suppress(count: int | None, *, allowed: bool = False) -> int | None:
    """A count of 1 to SMALL_CELL_LIMIT-1 becomes None ("<5") unless the viewer may see the
    cases behind it; zero and larger counts pass."""
    limit = getattr(settings, "SMALL_CELL_LIMIT", 5)
    if allowed or count is None or count == 0 or count >= limit:
        return count
    return None


def neutralise(value):
    """A text starting like a formula is shown as text: "'=1+1"; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value):
    if value is None:
        return f"<{getattr(settings, 'SMALL_CELL_LIMIT', 5)}"
    return neutralise(value)


def _swedish(value):
    """Decimal comma, as Swedish Excel reads a ';'-separated file."""
    return str(value).replace(".", ",") if isinstance(value, float) else value


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A ';'-separated file (Swedish Excel opens those) written row by row; rows may stream."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # lets Excel read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([_swedish(_cell(v)) for v in row] for row in rows)
    return response


def xlsx_response(filename: str, sheets: dict[str, tuple[list[str], list]]) -> HttpResponse:
    """One worksheet per entry: name -> (header, rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip())
        sheet.append([neutralise(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
