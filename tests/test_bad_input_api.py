"""The bad-input table (issue 13, items 7 and 8): each kind of bad input to the API answers with
its status and a structured Swedish error naming the field and the rule, and writes no row
(audit events and idempotency records, which keep no personal data, excepted)."""

import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.cases.models import AdlStatus, Case, Delivery, Message, Participant
from samverkan.cases.testing import opened
from samverkan.notifications.models import OutboxItem
from samverkan.patients.models import Patient
from samverkan.testing import PNR_NEW

MODELS = (Case, Message, Delivery, Participant, AdlStatus, OutboxItem, Patient)
ENGLISH = ("Input should", "Field required", "Extra inputs", "String should")


def days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def hours_ago(n: int) -> str:
    return (timezone.now() - timedelta(hours=n)).isoformat()


def valid(endpoint: str, case, world) -> dict:
    """A body the endpoint accepts (test_the_valid_bodies_are_accepted holds them to it)."""
    return {
        "open": {
            "identity": PNR_NEW,
            "given_name": "Nya",
            "family_name": "Testsson",
            "admitted_at": hours_ago(1),
        },
        "notice": {"version": case.version, "expected_discharge_date": days(5)},
        "expected": {"version": case.version, "expected_discharge_date": days(7)},
        "adl": {"version": case.version, "items": {"feeding": {"level": "partly"}}},
        "question": {"version": case.version, "text": "Hur går förflyttningen?"},
        "discharge": {
            "version": case.version,
            "destination": "home",
            "checklist": {"medication_list": True, "care_report": "Epikris bifogad"},
        },
        "care_request": {
            "identity": PNR_NEW,
            "hospital_unit": world.ward.hsa_id,
            "consent": True,
            "health_status": "Feber",
            "contact": "Anna, 0455-123",
            "given_name": "Nya",
            "family_name": "Testsson",
        },
    }[endpoint]


PATHS = {
    "open": "/cases",
    "care_request": "/care-requests",
    "notice": "/cases/{case}/admission-notice",
    "expected": "/cases/{case}/expected-discharge",
    "adl": "/cases/{case}/adl",
    "question": "/cases/{case}/questions",
    "discharge": "/cases/{case}/discharge",
}


@dataclass
class Bad:
    kind: str
    endpoint: str
    change: dict = field(default_factory=dict)  # merged into the valid body; dotted keys go deep
    status: int = 400
    field: str | None = None
    rule: str | None = None


def recipients(world):
    return [world.a_needs.hsa_id, world.a_needs.hsa_id]


TABLE = [
    # item 7: what gave a 500
    Bad(
        "NUL character", "open", {"given_name": "Ny\x00a"}, field="given_name", rule="nul_character"
    ),
    Bad(
        "NUL deep in a list",
        "notice",
        {"recipients": ["A\x00"]},
        field="recipients",
        rule="nul_character",
    ),
    Bad("lone surrogate", "question", {"text": "fr\ud800ga"}, field="text", rule="surrogate"),
    Bad(
        "overlong name",
        "open",
        {"family_name": "x" * 101},
        field="family_name",
        rule="string_too_long",
    ),
    Bad("overlong name, request", "care_request", {"given_name": "x" * 101}, field="given_name"),
    Bad(
        "same recipient twice",
        "notice",
        {"recipients": recipients},
        field="recipients",
        rule="duplicate",
    ),
    Bad(
        "naive year-1 admitted_at",
        "open",
        {"admitted_at": "0001-01-01T00:00:00"},
        field="admitted_at",
        rule="date_range",
    ),
    Bad(
        "year-1 admitted_at",
        "open",
        {"admitted_at": "0001-01-01T00:00:00Z"},
        field="admitted_at",
        rule="date_range",
    ),
    # item 8: what was accepted
    Bad(
        "checklist 'nej'",
        "discharge",
        {"checklist.medication_list": "nej"},
        field="checklist.medication_list",
        rule="bool_type",
    ),
    Bad(
        "nested JSON in the checklist",
        "discharge",
        {"checklist.transport": {"taxi": {"kl": 14}}},
        field="checklist.transport",
        rule="string_type",
    ),
    Bad(
        "unknown checklist item",
        "discharge",
        {"checklist.colour": True},
        field="checklist.colour",
        rule="unknown",
    ),
    Bad(
        "ADL level not allowed",
        "adl",
        {"items.feeding.level": "lite"},
        field="items.feeding.level",
        rule="literal_error",
    ),
    Bad(
        "unknown ADL item",
        "adl",
        {"items.flying": {"level": "partly"}},
        field="items.flying",
        rule="unknown",
    ),
    Bad(
        "nested JSON in an ADL note",
        "adl",
        {"items.feeding.note": ["a", {"b": 1}]},
        field="items.feeding.note",
        rule="string_type",
    ),
    Bad("blank given name", "open", {"given_name": "   "}, field="given_name", rule="required"),
    Bad(
        "blank family name, request",
        "care_request",
        {"family_name": " \t "},
        field="family_name",
        rule="required",
    ),
    Bad(
        "admission in 1900",
        "open",
        {"admitted_at": "1900-01-01T08:00:00+01:00"},
        field="admitted_at",
        rule="too_old",
    ),
    Bad(
        "admission tomorrow",
        "open",
        {"admitted_at": "__tomorrow__"},
        field="admitted_at",
        rule="future",
    ),
    Bad(
        "notice in 1900",
        "notice",
        {"occurred_at": "1900-01-01T08:00:00+01:00"},
        field="occurred_at",
        rule="too_old",
    ),
    Bad(
        "discharge before admission",
        "discharge",
        {"occurred_at": "__yesterday__"},
        field="occurred_at",
        rule="order",
    ),
    Bad(
        "expected date year 1",
        "notice",
        {"expected_discharge_date": "0001-01-01"},
        field="expected_discharge_date",
        rule="date_range",
    ),
    Bad(
        "expected date 9999",
        "expected",
        {"expected_discharge_date": "9999-12-31"},
        field="expected_discharge_date",
        rule="date_range",
    ),
    Bad(
        "expected date before admission",
        "expected",
        {"expected_discharge_date": "__last_year__"},
        field="expected_discharge_date",
        rule="order",
    ),
    Bad(
        "expected date years ahead",
        "notice",
        {"expected_discharge_date": "8000-01-01", "confirm_date": True},
        field="expected_discharge_date",
        rule="range",
    ),
    Bad(
        "far expected date unconfirmed",
        "notice",
        {"expected_discharge_date": days(120)},
        field="expected_discharge_date",
        rule="confirm",
    ),
    Bad(
        "far date unconfirmed at opening",
        "open",
        {"expected_discharge_date": days(120)},
        field="expected_discharge_date",
        rule="confirm",
    ),
    Bad(
        "5 MB question",
        "question",
        {"text": "x" * (5 * 1024 * 1024)},
        field="text",
        rule="string_too_long",
    ),
    Bad(
        "question over its limit",
        "question",
        {"text": "x" * 2001},
        field="text",
        rule="string_too_long",
    ),
    Bad("unknown field", "open", {"colour": "blå"}, field="colour", rule="unknown"),
    Bad(
        "unknown field in a step",
        "discharge",
        {"discharged_by": "x"},
        field="discharged_by",
        rule="unknown",
    ),
    Bad(
        "bool given as text",
        "care_request",
        {"consent": "kanske"},
        field="consent",
        rule="bool_type",
    ),
    Bad("yes/no given as 1", "open", {"confirm_date": 1}, field="confirm_date", rule="bool_type"),
    Bad(
        "yes/no given as 'ja'", "care_request", {"consent": "ja"}, field="consent", rule="bool_type"
    ),
]

SPECIAL = {
    "__tomorrow__": lambda: (timezone.now() + timedelta(days=1)).isoformat(),
    "__yesterday__": lambda: (timezone.now() - timedelta(days=1)).isoformat(),
    "__last_year__": lambda: (timezone.localdate() - timedelta(days=200)).isoformat(),
}


def changed(body: dict, change: dict, world) -> dict:
    body = json.loads(json.dumps(body))
    for dotted, value in change.items():
        if callable(value):
            value = value(world)
        elif isinstance(value, str) and value in SPECIAL:
            value = SPECIAL[value]()
        *path, last = dotted.split(".")
        target = body
        for key in path:
            target = target[key]
        target[last] = value
    return body


def rows() -> dict:
    return {m.__name__: m.objects.count() for m in MODELS}


def user_for(endpoint, world):
    return world.a_staff if endpoint == "care_request" else world.ward_staff


@pytest.fixture
def case(world):
    return opened(world)  # admitted now, no notice yet: every step in the table is allowed


def assert_error(response, status, field, rule):
    assert response.status_code == status, response.content[:300]
    errors = response.json()["errors"]
    assert errors and all(e["message"] for e in errors)
    assert not any(word in e["message"] for e in errors for word in ENGLISH), errors
    named = {(e["field"], e["rule"]) for e in errors}
    assert any(f == field and (rule is None or r == rule) for f, r in named), named


@pytest.mark.parametrize("endpoint", PATHS)
def test_the_valid_bodies_are_accepted(api, world, case, endpoint):
    path = PATHS[endpoint].format(case=case.public_id)
    response = api.post(user_for(endpoint, world), path, valid(endpoint, case, world))
    assert response.status_code in (200, 201), response.content[:300]


@pytest.mark.parametrize("bad", TABLE, ids=lambda b: b.kind)
def test_bad_input_is_refused_by_name_and_writes_nothing(api, world, case, bad):
    body = changed(valid(bad.endpoint, case, world), bad.change, world)
    path = PATHS[bad.endpoint].format(case=case.public_id)
    before = rows()
    response = api.post(user_for(bad.endpoint, world), path, body)
    assert_error(response, bad.status, bad.field, bad.rule)
    assert rows() == before


def test_a_far_expected_date_is_taken_once_confirmed(api, world, case):
    body = {**valid("notice", case, world), "expected_discharge_date": days(120)}
    path = PATHS["notice"].format(case=case.public_id)
    assert api.post(world.ward_staff, path, body).status_code == 400
    response = api.post(world.ward_staff, path, {**body, "confirm_date": True})
    assert response.status_code == 200 and response.json()["expected_discharge_date"] == days(120)


RAW = [  # bodies that are not a JSON object: (kind, body, content type, status, rule)
    ("malformed JSON", b'{"identity": ', "application/json", 400, "json"),
    ("bad UTF-8", b'{"identity": "\xff\xfe"}', "application/json", 400, "json"),
    ("form body", b"identity=19400116-7743", "application/x-www-form-urlencoded", 400, None),
    ("XML body", b"<case><identity>1</identity></case>", "application/xml", 400, None),
    ("multipart without parts", b"--x", "multipart/form-data", 400, None),
    ("deep nesting", b"[" * 100_000 + b"]" * 100_000, "application/json", 400, None),
    ("20 MB body", b"x" * (20 * 1024 * 1024), "application/json", 413, "too_large"),
]


@pytest.mark.parametrize("kind,body,content_type,status,rule", RAW, ids=[r[0] for r in RAW])
def test_bodies_that_are_not_json_objects(api, world, kind, body, content_type, status, rule):
    before = rows()
    response = api.client.generic(
        "POST",
        "/api/v1/cases",
        body,
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.ward_staff)}",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == status and "detail" not in response.json()
    error = response.json()["errors"][0]
    assert error["message"] and (rule is None or error["rule"] == rule)
    assert rows() == before


@pytest.mark.parametrize(
    "path,params,field,rule",
    [
        ("/cases", {"page": 9223372036854775807}, "page", "less_than_equal"),
        ("/cases", {"page": 100_001}, "page", "less_than_equal"),
        ("/notifications", {"page_size": 10_000}, "page_size", "less_than_equal"),
        ("/sips", {"page": 0}, "page", "greater_than_equal"),
        ("/deviations", {"page": 9223372036854775807}, "page", "less_than_equal"),
        ("/cases", {"state": "x\x00"}, "state", "nul_character"),
    ],
)
def test_query_parameters_out_of_range(api, world, path, params, field, rule):
    response = api.get(world.ward_staff, path, **params)
    assert_error(response, 400, field, rule)


@pytest.mark.parametrize(
    "method,path,status,rule",
    [
        ("POST", "/api/v1/finns-inte", 404, "not_found"),
        ("GET", "/api/v1/cases/inte-ett-id/finns-inte", 404, "not_found"),
        ("DELETE", "/api/v1/cases", 405, "method"),
        ("PUT", "/api/v1/ping", 405, "method"),
    ],
)
def test_unknown_paths_and_wrong_methods(api, world, method, path, status, rule):
    before = rows()
    response = api.client.generic(
        method,
        path,
        b"{}",
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.ward_staff)}",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == status and response.json()["errors"][0]["rule"] == rule
    assert rows() == before


def test_the_openapi_states_the_bounds(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert schemas["OpenCaseIn"]["additionalProperties"] is False
    assert schemas["TextIn"]["properties"]["text"]["maxLength"] == 2000
    assert schemas["OpenCaseIn"]["properties"]["given_name"]["maxLength"] == 100
    checklist = schemas["ChecklistIn"]["properties"]
    assert checklist["medication_list"]["type"] == "boolean"
    assert checklist["transport"]["maxLength"] == 500
    level = schemas["AdlItemIn"]["properties"]["level"]
    assert set(level["enum"]) == {"independent", "partly", "dependent"}
    notice = schemas["NoticeIn"]["properties"]
    assert "confirm_date" in notice and notice["recipients"]["anyOf"][0]["uniqueItems"] is True
