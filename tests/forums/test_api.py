"""The forum API: the chokepoint's answers (404 outsiders on drafts, 403 members who may not
edit), bounded fields with Swedish structured errors, and a meeting from plan to publication."""

from datetime import date

import pytest

from samverkan.forums.models import Assignment
from samverkan.forums.testing import at, meeting, published
from tests.helpers import events

pytestmark = pytest.mark.django_db


def errors(response) -> list[tuple[str, str]]:
    return [(e["field"], e["rule"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(("who", "status"), [("b_staff", 200), ("pcc_staff", 404)])
def test_a_draft_through_the_api(fw, api, who, status):
    m = meeting(fw)
    response = api.get(getattr(fw, who), f"/meetings/{m.public_id}")
    assert response.status_code == status
    if status == 404:
        assert response.json()["errors"][0]["message"]


def test_published_minutes_hold_secret_items_back(fw, api):
    from samverkan.cases.testing import actor
    from samverkan.forums import services

    m = meeting(fw, date(2026, 3, 10))
    services.add_item(actor(fw.ward_staff), m, title="Hemlig", kinds="D", secret=True)
    published(fw, m, now=at(date(2026, 3, 11)))
    outsider = [
        i["title"] for i in api.get(fw.pcc_staff, f"/meetings/{m.public_id}").json()["items"]
    ]
    member = [i["title"] for i in api.get(fw.b_staff, f"/meetings/{m.public_id}").json()["items"]]
    assert "Hemlig" in member and "Hemlig" not in outsider
    assert events("forum.meeting.read", username="pcc_staff").exists()


def test_the_meeting_from_plan_to_publication(fw, api):
    body = {"starts_at": "2026-12-15T13:00", "ends_at": "2026-12-15T15:00", "place": "Rum 2"}
    created = api.post(fw.ward_staff, f"/forums/{fw.group.public_id}/meetings", body)
    assert created.status_code == 201, created.content
    m = created.json()
    assert [i["standing"] for i in m["items"]][:2] == ["approve_agenda", "previous"]
    assert api.post(fw.a_staff, f"/meetings/{m['id']}/items", {"title": "X"}).status_code == 403
    item = api.post(
        fw.ward_staff,
        f"/meetings/{m['id']}/items",
        {"title": "Utskrivningsklara", "kinds": "BI", "presenter_principal": "1080"},
    ).json()["items"][3]
    assert item["kinds"] == "BI" and item["presenter_principal"] == "1080"
    decided = api.post(
        fw.ward_staff,
        f"/meetings/{m['id']}/items/{item['id']}/decisions",
        {
            "text": "att följa upp",
            "creates": "assignment",
            "owner_username": "a_staff",
            "due_month": "2027-01",
        },
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["items"][3]["paragraph"] == 4
    listed = api.get(fw.a_staff, "/forum-assignments").json()
    assert listed["count"] == 1 and listed["items"][0]["due_month"] == "2027-01"
    assignment = listed["items"][0]["id"]
    done = api.post(fw.a_staff, f"/forum-assignments/{assignment}/done", {"note": "Klart"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    refused = api.post(fw.ward_staff, f"/meetings/{m['id']}/publish")
    assert refused.status_code == 409 and errors(refused) == [(None, "state")]  # not adjusted


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"title": "X" * 201}, "title", "string_too_long"),
        ({"title": "X", "kinds": "Q"}, "kinds", "literal_error"),
        ({"title": "X", "secret": "ja"}, "secret", "bool_type"),
        ({"title": "X", "presenter_principal": "9999"}, "presenter_principal", "unknown_principal"),
        ({"title": "X", "extra": 1}, "extra", "unknown"),
    ],
)
def test_bad_input_gets_a_structured_swedish_error_and_writes_nothing(fw, api, body, field, rule):
    m = meeting(fw)
    response = api.post(fw.ward_staff, f"/meetings/{m.public_id}/items", body)
    assert response.status_code in (400, 422)
    found = response.json()["errors"]
    assert (found[0]["field"], found[0]["rule"]) == (field, rule), found
    assert m.items.count() == 5


def test_a_decision_that_is_not_an_att_line(fw, api):
    m = meeting(fw)
    item = m.items.first()
    response = api.post(
        fw.ward_staff,
        f"/meetings/{m.public_id}/items/{item.public_id}/decisions",
        {"text": "Mats kallar"},
    )
    assert errors(response) == [("text", "att")]
    assert not Assignment.objects.exists()


def test_the_openapi_states_the_bounds(fw, client):
    spec = client.get("/api/v1/openapi.json").json()
    item = spec["components"]["schemas"]["ItemIn"]["properties"]
    assert item["title"]["maxLength"] == 200
    assert "/api/v1/forums/{forum_id}/meetings" in spec["paths"]


def test_no_forum_schema_shares_a_name_with_another():
    """The OpenAPI names components by class name: a second PlanIn silently replaced SIP's."""
    import inspect

    from ninja import Schema

    from samverkan.api import cases, deviations, forums, schemas, sip

    def names(module) -> set[str]:
        found = inspect.getmembers(module, inspect.isclass)
        return {n for n, v in found if issubclass(v, Schema) and v.__module__ == module.__name__}

    others = set().union(*(names(m) for m in (cases, deviations, schemas, sip)))
    assert names(forums) & others == set()
    from samverkan.api.urls import api

    spec = api.get_openapi_schema()["components"]["schemas"]
    assert "starts_at" not in spec["PlanIn"]["properties"]  # SIP's plan, not a meeting
