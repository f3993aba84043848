"""Errors in the browser: a question on the case page, and Swedish error pages without debug
details (DEBUG off, as in production and the demo)."""

import pytest
from django.urls import reverse

from samverkan.cases import services
from samverkan.cases.testing import actor, notified

from .helpers import text


def test_a_question_shows_on_the_case_page_of_the_unit_that_must_answer(as_user, world):
    case = notified(world)
    services.ask(actor(world.a_staff), case, text="Hur går han?")
    response = as_user(world.ward_staff).get(reverse("case_detail", args=[case.public_id]))
    body = text(response)
    assert response.status_code == 200 and "Att besvara" in body
    assert "Hur går han?" in body and 'name="question"' in body


def test_with_debug_off_an_error_is_the_swedish_500_page_without_details(
    client, world, settings, monkeypatch
):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError(f"hemlig {settings.SECRET_KEY} Astrid Testsson")

    monkeypatch.setattr("samverkan.cases.views.Paginator", broken)
    client.raise_request_exception = False
    client.force_login(world.ward_staff)
    response = client.get(reverse("case_list"))
    body = text(response)
    assert response.status_code == 500 and "Ett oväntat fel inträffade" in body
    assert "Traceback" not in body and "hemlig" not in body and settings.SECRET_KEY not in body


@pytest.mark.parametrize("path", ["/api/v1/finns-inte", "/api/v1/ping"])
def test_api_unknown_paths_and_wrong_methods_are_structured(api, world, path):
    response = api.post(world.ward_staff, path, method="DELETE")
    assert response.status_code in (404, 405)
    assert response.json()["errors"][0]["rule"] in ("not_found", "method")


@pytest.mark.parametrize(
    "body,content_type",
    [
        (b"inte json", "application/json"),
        (b"\xff\xfe", "application/json"),
        (b"[" * 100_000, "application/json"),
        (b"a=b", "application/x-www-form-urlencoded"),
        (b"<a/>", "application/xml"),
        (b"--x", "multipart/form-data"),
    ],
)
def test_api_bodies_that_are_not_json_are_structured_400(api, world, body, content_type):
    response = api.client.generic(
        "POST",
        "/api/v1/cases",
        body,
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.ward_staff)}",
        HTTP_IDEMPOTENCY_KEY="k-" + str(len(body)) + content_type,
    )
    assert response.status_code == 400 and "detail" not in response.json()
    assert response.json()["errors"][0]["message"]


def test_api_a_20_mb_body_is_413_and_a_huge_page_400(api, world):
    big = api.client.generic(
        "POST",
        "/api/v1/cases",
        b"x" * (20 * 1024 * 1024),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.ward_staff)}",
        HTTP_IDEMPOTENCY_KEY="big",
    )
    assert big.status_code == 413 and big.json()["errors"][0]["rule"] == "too_large"
    for path in ("/cases", "/sips", "/deviations", "/notifications"):
        response = api.get(world.ward_staff, path, page=9223372036854775807)
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "page"
    response = api.get(world.ward_staff, "/deviations/statistics", year=10000)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "year"


def test_pages_with_bad_page_numbers_do_not_fail(as_user, world):
    client = as_user(world.ward_admin)
    for name in ("case_list", "notifications", "audit_review", "deviation_list"):
        response = client.get(reverse(name), {"sida": "9223372036854775807"})
        assert response.status_code in (200, 403), name
