"""The trust survey: staff answer once a period, the answer is kept without the person, and
no answer can be traced to a person in the results, also in small groups."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases.testing import actor
from samverkan.directory.models import Membership
from samverkan.experience import surveys
from samverkan.experience.models import TrustAnswered, TrustResponse, TrustSurvey
from samverkan.lib.exports import HIDDEN


@pytest.fixture
def survey(db):
    today = timezone.localdate()
    return TrustSurvey.objects.create(
        title="Förtroende våren", opens_on=today - timedelta(days=3), closes_on=today + timedelta(3)
    )


def staff_of(unit, n: int, prefix: str) -> list:
    users = []
    for i in range(n):
        user = User.objects.create_user(f"{prefix}{i}")
        Membership.objects.create(user=user, unit=unit, role="staff")
        users.append(actor(user))
    return users


def test_staff_answer_once_and_the_answer_has_no_person(world, survey):
    a = actor(world.a_staff)
    surveys.answer_trust(a, survey, {world.region: 4, world.muni_b: 2})
    assert TrustAnswered.objects.filter(survey=survey, user=world.a_staff).count() == 1
    scores = set(
        TrustResponse.objects.values_list("respondent_principal", "about_principal", "score")
    )
    assert scores == {(world.muni_a.pk, world.region.pk, 4), (world.muni_a.pk, world.muni_b.pk, 2)}
    with pytest.raises(ValidationError, match="redan svarat"):
        surveys.answer_trust(a, survey, {world.region: 1})
    assert TrustResponse.objects.count() == 2  # the refused second answer wrote nothing
    event = AuditEvent.objects.get(action="trust_survey.answer")
    assert event.object_type == "trustsurvey" and event.detail == {} and event.patient is None


def test_nothing_in_a_response_points_at_a_person_or_a_time():
    for model in (TrustResponse, TrustAnswered):
        fields = model._meta.fields
        assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields)
        assert isinstance(model._meta.pk, models.UUIDField)  # no counter to line up
    targets = {f.related_model for f in TrustResponse._meta.fields if f.is_relation}
    assert User not in targets and TrustAnswered not in targets


def test_responses_are_not_kept_in_the_order_given(world, survey):
    for a in staff_of(world.a_needs, 8, "order"):
        surveys.answer_trust(a, survey, {world.region: 3})
    answered = list(TrustAnswered.objects.filter(survey=survey).order_by("pk"))
    responses = list(TrustResponse.objects.order_by("pk"))
    assert len(answered) == len(responses) == 8
    # random ids: the order by id is not the order of answering (1 in 8! by chance)
    users = [a.user_id for a in TrustAnswered.objects.order_by("pk")]
    assert users != sorted(users)


def test_small_groups_are_hidden_in_the_results(world, survey, settings):
    settings.SMALL_CELL_LIMIT = 5
    for a in staff_of(world.a_needs, 5, "a"):
        surveys.answer_trust(a, survey, {world.region: 4})
    for a in staff_of(world.b_needs, 2, "b"):  # a small organisation
        surveys.answer_trust(a, survey, {world.region: 1})
    table = surveys.trust_results(survey)
    col = table.header.index(world.region.name)
    rows = {row[0]: row for row in table.rows}
    assert rows[world.muni_a.name][col] == 4.0
    assert rows[world.muni_b.name][col] is None  # <5: the two answers never show
    # the overall mean less Kommun A's would tell Kommun B's two answers: hidden
    assert surveys.overall_trust(survey.responses.all()) == HIDDEN
    for a in staff_of(world.b_needs, 3, "c"):
        surveys.answer_trust(a, survey, {world.region: 2})
    assert surveys.overall_trust(survey.responses.all()) == round((20 + 2 + 6) / 10, 2)


def test_who_may_answer(world, survey):
    for user in (world.analyst, world.sysadmin):
        with pytest.raises(ValidationError, match="Bara personal"):
            surveys.answer_trust(actor(user), survey, {world.muni_a: 3})
    assert TrustAnswered.objects.count() == 0


def test_a_closed_survey_takes_no_answer(world, survey):
    survey.closes_on = timezone.localdate() - timedelta(days=1)
    survey.save()
    with pytest.raises(ValidationError, match="inte öppen"):
        surveys.answer_trust(actor(world.a_staff), survey, {world.region: 3})


def test_the_page(world, survey, as_user):
    client = as_user(world.a_staff)
    page = client.get("/enkater/fortroende/").content.decode()
    assert "Mitt förtroende för samarbetet med Region Test" in page
    assert "Mitt förtroende för samarbetet med Kommun A" not in page  # not one's own
    field = f"p{world.region.pk}"
    assert client.post("/enkater/fortroende/", {field: "9"}).status_code == 400
    assert TrustResponse.objects.count() == 0
    assert client.post("/enkater/fortroende/", {field: "5"}).status_code == 302
    page = client.get("/enkater/fortroende/").content.decode()
    assert "Du har svarat" in page
    assert "Förtroende 1–5" not in page  # results only once the period has closed
