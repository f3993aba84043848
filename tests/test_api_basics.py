"""API conventions: tokens, OpenAPI, structured errors, idempotency keys."""

import uuid

from samverkan.cases.models import Case
from samverkan.testing import PNR_A


def test_openapi_lists_the_los_calls(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/cases",
        "/api/v1/cases/{case_id}/admission-notice",
        "/api/v1/deliveries/{delivery_id}/acknowledge",
        "/api/v1/worklist",
    ]:
        assert path in spec["paths"]


def test_missing_or_wrong_token_is_401_with_structure(client, world):
    response = client.get("/api/v1/ping")
    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] == "Authorization"
    response = client.get("/api/v1/ping", HTTP_AUTHORIZATION="Bearer sv_fel")
    assert response.status_code == 401


def test_ping_with_token(api, world):
    response = api.get(world.ward_staff, "/ping")
    assert response.status_code == 200 and response.json() == {"ok": True, "unit": "TEST-ward"}


def test_write_without_idempotency_key_is_refused(api, world):
    response = api.client.post(
        "/api/v1/cases",
        {"identity": PNR_A},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.ward_staff)}",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "required"
    assert not Case.objects.exists()


def test_repeat_returns_the_first_result_and_changes_nothing(api, world):
    key = str(uuid.uuid4())
    first = api.post(world.ward_staff, "/cases", {"identity": PNR_A}, key=key)
    again = api.post(world.ward_staff, "/cases", {"identity": PNR_A}, key=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_same_key_with_another_body_is_refused(api, world):
    key = str(uuid.uuid4())
    api.post(world.ward_staff, "/cases", {"identity": PNR_A}, key=key)
    response = api.post(world.ward_staff, "/cases", {"identity": "19400107-9120"}, key=key)
    assert response.status_code == 422 and response.json()["errors"][0]["rule"] == "reused"
    assert Case.objects.count() == 1


def test_schema_errors_name_the_field(api, world):
    response = api.post(world.ward_staff, "/cases", {"admitted_at": "igår"})
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"identity", "admitted_at"} <= fields
