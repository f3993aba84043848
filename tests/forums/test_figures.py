"""Live figures in an item: the follow-up's tables as they stood that day, stored with the
minutes so later registrations never change them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from samverkan.cases.testing import actor
from samverkan.followup.testing import at as on
from samverkan.followup.testing import stays
from samverkan.forums import services
from samverkan.forums.figures import snapshot
from samverkan.forums.testing import at, meeting, published

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("source", "key"),
    [("dashboard", "los"), ("deviations", "direction"), ("payment", "totals")],
)
def test_each_source_is_stored_as_it_stood(fw, source, key):
    m = meeting(fw, date(2026, 12, 8))
    item = services.add_item(actor(fw.ward_staff), m, title="Uppföljning", kinds="I")
    services.embed_figures(
        actor(fw.ward_staff),
        item,
        source=source,
        year=2026,
        month=date(2026, 11, 1),
        now=on("12-01"),
    )
    item.refresh_from_db()
    assert [t["key"] for t in item.figures][0] == key
    assert item.figures[0]["as_of"] == "2026-12-01" and item.figures[0]["source"] == source


def test_stored_figures_do_not_change_with_the_register(fw):
    m = meeting(fw, date(2026, 12, 8))
    item = services.add_item(actor(fw.ward_staff), m, title="Väntedagar", kinds="I")
    services.embed_figures(
        actor(fw.ward_staff), item, source="dashboard", year=2026, now=on("12-01")
    )
    item.refresh_from_db()
    before = item.figures
    stays(fw)  # November's stays registered afterwards
    now = snapshot("dashboard", 2026, None, on("12-01"))
    assert now != before  # the register moved on …
    item.refresh_from_db()
    assert item.figures == before  # … the minutes did not
    total = next(r for r in now[0]["rows"] if r[0] == "Totalt")
    assert total[1] == 8  # the stays counted live (S1–S8)


def test_figures_are_printed_in_the_pdf_and_locked_after_publication(fw, tmp_path):
    import subprocess

    stays(fw)
    m = meeting(fw, date(2026, 12, 8))
    item = services.add_item(actor(fw.ward_staff), m, title="Väntedagar", kinds="I")
    services.embed_figures(
        actor(fw.ward_staff), item, source="dashboard", year=2026, now=on("12-01")
    )
    published(fw, m, now=at(date(2026, 12, 9)))
    path = tmp_path / "p.pdf"
    path.write_bytes(bytes(m.pdf))
    pdf = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    assert "LOS-indikatorer per kommun" in pdf and "Som uppgifterna stod 2026-12-01" in pdf
    with pytest.raises(ValidationError):
        services.embed_figures(actor(fw.ward_staff), item, source="payment", year=2026)


def test_an_unknown_source_is_refused(fw):
    item = meeting(fw).items.first()
    with pytest.raises(ValidationError):
        services.embed_figures(actor(fw.ward_staff), item, source="nonsense", year=2026)
