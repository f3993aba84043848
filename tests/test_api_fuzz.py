"""The fuzzing proof: schemathesis against /api/v1/openapi.json finds no server error and only
structured errors, over every operation, with the test world's tokens and real ids."""

import time

import pytest

from samverkan.cases.models import Case, Delivery
from samverkan.cases.testing import notified
from samverkan.deviations.models import Deviation
from samverkan.deviations.testing import reported, with_coordinators
from samverkan.experience.models import FollowUpCall
from samverkan.sip.models import Sip
from samverkan.sip.testing import started

from . import fuzzing
from .conftest import followup_call

EXAMPLES = 8
REAL = {  # path parameter -> the model whose real row the second pass uses
    "case_id": Case,
    "sip_id": Sip,
    "deviation_id": Deviation,
    "delivery_id": Delivery,
    "call_id": FollowUpCall,
}


@pytest.fixture
def schema(world):
    with fuzzing.in_test_transaction():
        yield fuzzing.load()


@pytest.fixture
def rows(world):
    """A case with its notices, a SIP and a deviation, each seen by the unit that calls it."""
    with_coordinators(world)
    case = notified(world)
    return {
        "case_id": case,
        "sip_id": started(world, case=case),
        "deviation_id": reported(world, case),
        "delivery_id": Delivery.objects.filter(message__case=case).first(),
        "call_id": followup_call(world, case),
    }


def caller(world, path: str):
    if path.startswith(("/api/v1/sips", "/api/v1/followup-calls")):
        return world.pcc_staff
    if path.startswith("/api/v1/deviations"):
        return world.a_staff
    return world.ward_staff


def current_version(rows):
    def prepare(case):
        if isinstance(case.body, dict) and isinstance(case.body.get("version"), int):
            model = "sip_id" if "sip_id" in case.path_parameters else "case_id"
            if "deviation_id" in case.path_parameters:
                model = "deviation_id"
            row = rows[model]
            row.refresh_from_db()
            case.body["version"] = row.version

    return prepare


def test_fuzzing_every_operation_finds_no_server_error(schema, world, rows, api):
    run, ops, started_at = fuzzing.Run(), fuzzing.operations(schema), time.monotonic()
    for op in ops:
        token = api.token(caller(world, op.path))
        fuzzing.fuzz(op, token, run, EXAMPLES)
        real = {p: rows[p].public_id for p in REAL if "{" + p + "}" in op.path}
        if real:
            fuzzing.fuzz(op, token, run, EXAMPLES, real, current_version(rows))
    took = time.monotonic() - started_at
    print(f"{sum(run.calls.values())} calls, {len(run.calls)} operations, {took:.0f} s")
    print(f"statuses: {run.statuses}")
    assert not run.failures, "\n\n".join(f"{k}:\n" + "\n".join(v) for k, v in run.failures.items())
    assert len(ops) >= 55 and len(run.calls) == len(ops)
    assert sum(run.calls.values()) >= 10 * len(ops)
    assert run.statuses.get(200, 0) + run.statuses.get(201, 0) >= 50  # it got past validation
