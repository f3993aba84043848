"""The Content-Security-Policy in a real browser: the main pages, their HTMX and the vendored
files (HTMX, Swagger UI) work with no violation, no console error and no request elsewhere."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from samverkan.cases.testing import ready
from samverkan.sip.testing import consented, started, with_unit
from samverkan.testing import grant

from .conftest import logged_in

WATCH = """window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(
  `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));"""


def watched(page, live_server) -> list[str]:
    """Problems the page reports from now on: console errors, script errors, other hosts."""
    host, problems = urlsplit(live_server.url).netloc, []
    page.add_init_script(WATCH)

    def console(message):
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(f"console: {message.text}")

    def request(req):
        if urlsplit(req.url).scheme in ("http", "https") and urlsplit(req.url).netloc != host:
            problems.append(f"other host: {req.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("request", request)
    return problems


def visit(page, path, found):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    found += [f"{path}: {v}" for v in page.evaluate("window.__violations")]


def test_main_pages_run_under_the_policy(live_world, page_for, live_server):
    w = live_world
    case = ready(w)
    sip = consented(w, with_unit(w, started(w, user=w.ward_staff), w.pcc, user=w.ward_staff))
    grant(w.patient, w.ward, w.ward_staff)
    page = logged_in(page_for, w.ward_staff)
    problems = watched(page, live_server)
    found = problems
    for path in [
        "/",
        "/arenden/",
        f"/arenden/{case.public_id}/utskrift/",
        f"/personer/{w.patient.public_id}/",
        "/notiser/",
        "/personer/sok/",
        f"/sip/{sip.public_id}/",
        f"/sip/{sip.public_id}/utskrift/",
        "/uppfoljning/",
    ]:
        visit(page, path, found)
    visit(page, f"/arenden/{case.public_id}/", found)  # HTMX loads an action's form on opening
    page.locator("details.action[hx-get] > summary").first.click()
    expect(page.locator("details.action[open] form").first).to_be_visible()
    visit(page, "/sip/", found)  # the status filter submits itself (static JS, no onchange)
    page.locator("#status").select_option(index=1)
    page.wait_for_url("**status=**")
    visit(page, "/kontakter/", found)  # HTMX live filter
    expect(page.locator("#contact-rows")).to_contain_text("Ward")
    page.get_by_label("Sök").fill("zzz-finns-inte")
    expect(page.locator("#contact-rows")).not_to_contain_text("Ward")
    found += page.evaluate("window.__violations")
    assert found == []


def test_api_docs_and_admin_run_under_the_policy(live_world, page_for, live_server):
    page = logged_in(page_for, live_world.sysadmin)
    found = watched(page, live_server)
    visit(page, "/api/v1/docs", found)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Samverkan API")
    expect(page.locator(".opblock").first).to_be_visible()
    visit(page, "/admin/", found)
    found += page.evaluate("window.__violations")
    assert found == []


def test_the_watch_sees_a_violation(page_for, live_server):
    page = page_for()
    found = watched(page, live_server)
    visit(page, "/logga-in/", found)
    page.evaluate("""() => { const s = document.createElement("script");
        s.textContent = "1"; document.body.append(s); }""")
    page.wait_for_timeout(200)
    assert any("script-src" in v for v in page.evaluate("window.__violations"))
    assert any("Content Security Policy" in p for p in found)
