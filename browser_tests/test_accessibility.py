"""WCAG 2.1 AA on the main pages: axe-core (vendored) finds no serious or critical violations,
at desktop and tablet widths."""

import pytest

from samverkan.cases.testing import ready
from samverkan.sip.testing import consented, planned, started, with_unit
from samverkan.testing import grant

from .conftest import logged_in, screenshot, serious_violations

PAGES = [
    "/",
    "/arenden/",
    "CASE",
    "CASE/utskrift/",
    "PATIENT",
    "/kontakter/",
    "/notiser/",
    "/personer/sok/",
    "/sip/",
    "/sip/ny/?forebyggande=1",
    "SIP",
    "SIP/utskrift/",
]


def a_sip(w):
    """A SIP started by the ward, shared with primary care, with a plan (all forms open)."""
    sip = with_unit(w, started(w, user=w.ward_staff), w.pcc, user=w.ward_staff)
    return planned(w, consented(w, sip, user=w.ward_staff), user=w.ward_staff)


@pytest.mark.parametrize("width", [1280, 768])
def test_main_pages_have_no_serious_violations(live_world, page_for, width):
    case = ready(live_world)
    sip = a_sip(live_world)
    grant(live_world.patient, live_world.ward, live_world.ward_staff)
    page = page_for({"width": width, "height": 1000})
    page.goto("/logga-in/")
    assert serious_violations(page) == []
    page.context.close()
    page = logged_in(page_for, live_world.ward_staff, {"width": width, "height": 1000})
    found = {}
    for path in PAGES:
        path = (
            path.replace("CASE", f"/arenden/{case.public_id}")
            .replace("PATIENT", f"/personer/{live_world.patient.public_id}/")
            .replace("SIP", f"/sip/{sip.public_id}/")
        )
        page.goto(path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        problems = serious_violations(page)
        if problems:
            found[path] = problems
    screenshot(page, f"lookup-{width}")
    assert found == {}


def test_the_checker_finds_a_real_violation(page_for, live_server):
    page = page_for()
    page.set_content('<html lang="sv"><body><main><img src="x.png"><input></main></body></html>')
    assert any(v.startswith("image-alt") for v in serious_violations(page))
