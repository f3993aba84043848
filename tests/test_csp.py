"""Content-Security-Policy on every page (only this host, no inline script or style); no template
carries inline script or event handlers; the API docs load nothing from another host."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from samverkan.cases.testing import ready

TEMPLATES = Path(settings.BASE_DIR) / "templates"


# rendered by WeasyPrint, never served as a page: "pdf.html", "pdf_style.html", "*_pdf.html"
def pdf_only(path) -> bool:
    return path.name.endswith("pdf.html") or path.name == "pdf_style.html"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def assert_strict(response):
    found = policy(response)
    assert found["default-src"] == ["'self'"] and found["object-src"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert found[directive] == ["'self'"], directive
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_pages_anonymous_and_logged_in_carry_the_policy(client, as_user, world):
    assert_strict(client.get(reverse("login")))
    assert_strict(client.get("/finns-inte/"))  # a 404 page too
    case = ready(world)
    staff = as_user(world.ward_staff)
    for url in [
        reverse("start"),
        reverse("case_list"),
        reverse("case_detail", args=[case.public_id]),
        reverse("case_print", args=[case.public_id]),
        reverse("sip_list"),
        reverse("contacts"),
        "/api/v1/docs",
    ]:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def template_files():
    return [p for p in TEMPLATES.rglob("*.html") if not pdf_only(p)]


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_style_or_handlers(path):
    html = path.read_text()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all("src=" in s or "application/json" in s for s in scripts), scripts
    assert not re.search(r"<style\b|\sstyle=\"", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "javascript:" not in html


def test_api_docs_load_only_local_files(client, db):  # the page shows a declared downtime
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200 and "swagger-ui-bundle.js" in html
    assert not re.search(r"https?://|//[a-z]", html.replace("</", ""))
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert ref.startswith(settings.STATIC_URL), ref
        assert finders.find(ref.removeprefix(settings.STATIC_URL)), ref
