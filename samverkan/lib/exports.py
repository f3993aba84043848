"""Tables out: small-cell suppression, CSV and Excel responses (read back in the tests)."""

import csv
import io
import re

from django.conf import settings
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


HIDDEN = "dolt"  # a share, mean or other figure hidden with a small cell (not itself a count)


def suppress(count: int | None, *, allowed: bool = False) -> int | None:
    """A count of 1 to SMALL_CELL_LIMIT-1 becomes None ("<5") unless the viewer may see the
    cases behind it; zero and larger counts pass."""
    limit = getattr(settings, "SMALL_CELL_LIMIT", 5)
    if allowed or count is None or count == 0 or count >= limit:
        return count
    return None


def _cell(value):
    return f"<{getattr(settings, 'SMALL_CELL_LIMIT', 5)}" if value is None else value


def _swedish(value):
    """Decimal comma, as Swedish Excel reads a ';'-separated file."""
    return str(value).replace(".", ",") if isinstance(value, float) else value


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # Swedish Excel opens ';'-separated files
    writer.writerow(header)
    writer.writerows([_swedish(_cell(v)) for v in row] for row in rows)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, sheets: dict[str, tuple[list[str], list]]) -> HttpResponse:
    """One worksheet per entry: name -> (header, rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip())
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
