"""Tablet use: at 768 px the main pages scroll only vertically (tables reflow to cards); at
1280 px the header stays one line for the longest menu; buttons, checkboxes and links in tables
are at least 24 × 24 px at both widths."""

import pytest

from samverkan.cases.testing import in_patients, ready
from samverkan.deviations.testing import reported, with_coordinators
from samverkan.directory.models import Membership

from .conftest import logged_in, screenshot

PAGES = ["/", "/inneliggande/", "/arenden/", "/notiser/", "/avvikelser/", "/sip/", "CASE"]
TARGETS = "button, .button, input[type=submit], input[type=checkbox], input[type=radio], td a, th a"
SMALL = """sel => [...document.querySelectorAll(sel)]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.getBoundingClientRect(), e])
  .filter(([r]) => r.width < 24 || r.height < 24)
  .map(([r, e]) => `${e.tagName} "${e.textContent.trim().slice(0, 30)}" ${r.width}x${r.height}`)"""
ONE_LINE = """() => { const kids = [...document.querySelector('header.top .bar').children]
  .concat([...document.querySelectorAll('header.top nav > ul > li')])
  .map(e => e.getBoundingClientRect());
  return Math.max(...kids.map(r => r.top)) < Math.min(...kids.map(r => r.bottom)); }"""


@pytest.fixture
def busy_ward(live_world):
    """A ward with in-patients, a case in every list, a deviation, and long real-life names."""
    w = live_world
    case = ready(w)
    in_patients(w, 4)
    reported(with_coordinators(w), case, by=w.ward_staff, to=w.muni_a)
    w.ward.name = "Medicinavdelning Karlshamn"
    w.ward.save()
    for user in (w.ward_staff, w.ward_admin):
        user.first_name, user.last_name = "Anna-Karin", "Lindqvist-Johansson"
        user.save()
    return w, case


def pages(case):
    return [p.replace("CASE", f"/arenden/{case.public_id}/") for p in PAGES]


def test_no_horizontal_scroll_at_768_and_large_enough_targets(busy_ward, page_for):
    w, case = busy_ward
    page = logged_in(page_for, w.ward_staff, {"width": 768, "height": 1024})
    wide, small = {}, {}
    for path in pages(case):
        page.goto(path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.wait_for_load_state("networkidle")  # the actions' forms load when opened
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if overflow > 0:
            wide[path] = overflow
        if found := page.evaluate(SMALL, TARGETS):
            small[path] = found
        screenshot(page, f"tablet-768-{path.strip('/').replace('/', '-')[:16] or 'start'}")
    assert wide == {} and small == {}


@pytest.mark.parametrize("who", ["ward_staff", "ward_admin", "a_staff", "two_units"])
def test_the_header_is_one_line_at_1280(busy_ward, page_for, who):
    w, case = busy_ward
    if who == "two_units":  # the unit switch instead of the unit's name
        Membership.objects.create(user=w.ward_staff, unit=w.ed, role="staff")
    user = getattr(w, who, w.ward_staff)
    user.first_name, user.last_name = "Anna-Karin", "Lindqvist-Johansson"
    user.save()
    page = logged_in(page_for, user, {"width": 1280, "height": 900})
    for path in ("/", "/kontakter/"):
        page.goto(path)
        assert page.evaluate(ONE_LINE), (who, path)
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    assert page.evaluate(SMALL, TARGETS) == []
    screenshot(page, f"header-1280-{who}")
