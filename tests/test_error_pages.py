"""Errors in the browser: a question on the case page, and Swedish error pages without debug
details (DEBUG off, as in production and the demo). Bad input to the API: test_bad_input_api."""

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


def test_api_statistics_year_out_of_range_is_400(api, world):
    response = api.get(world.ward_staff, "/deviations/statistics", year=10000)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "year"


def test_pages_with_bad_page_numbers_do_not_fail(as_user, world):
    client = as_user(world.ward_admin)
    for name in ("case_list", "notifications", "audit_review", "deviation_list"):
        response = client.get(reverse(name), {"sida": "9223372036854775807"})
        assert response.status_code in (200, 403), name
