"""Errors in the browser: a question on the case page, and Swedish error pages without debug
details (DEBUG off, as in production and the demo)."""

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
