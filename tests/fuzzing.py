"""Fuzzes the API from its own OpenAPI with schemathesis, in-process against the WSGI app.

Every call must answer without a server error, and every 4xx or 5xx body must be the structured
{"errors": [{"field", "rule", "message"}]} (plus the documented schemas and content types).
Generation is derandomized, so a run is the same on every machine.
"""

import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from samverkan.api.schemas import Errors
from samverkan.wsgi import application


def structured_errors(ctx, response, case):
    """Any error body is {"errors": [...]} with a Swedish message, never {"detail": ...}."""
    if response.status_code >= 400:
        body = Errors.model_validate_json(response.content)
        assert body.errors and all(e.message for e in body.errors), response.content


CHECKS = [
    not_a_server_error,
    structured_errors,
    response_schema_conformance,
    content_type_conformance,
    negative_data_rejection,
]


@dataclass
class Run:
    """What a fuzzing run did: calls per operation, statuses seen, failures by operation."""

    calls: dict = field(default_factory=dict)
    statuses: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)


@contextmanager
def in_test_transaction():
    """Requests keep the test's connection (and its transaction), as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CONFIG = {
    "seed": 12,
    "generation": {
        "deterministic": True,
        # Unknown query parameters are ignored, as HTTP allows; the token is the test's.
        "allow-extra-parameters": False,
        "with-security-parameters": False,
    },
}


def load():
    config = schemathesis.Config.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)


def operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(operation, token: str, run: Run, examples: int, path_parameters=None, prepare=None):
    """Calls one operation with generated valid and invalid input; records failures in run."""
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
        try:
            _explore(strategy, token, run, examples, prepare, mode.is_positive)
        except Unsatisfiable:  # nothing in the operation can be made invalid
            assert mode == GenerationMode.NEGATIVE
        except (Exception, BaseExceptionGroup) as exc:  # reported with the other operations
            run.failures.setdefault(operation.label, []).append(f"{mode}: {exc}")


def _explore(strategy, token, run, examples, prepare, positive):
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def explore(case):
        headers = {"Authorization": f"Bearer {token}"}
        if positive:  # valid input made current: a fresh key, the row's version
            headers["Idempotency-Key"] = str(uuid.uuid4())
            if prepare:
                prepare(case)
        response = case.call(headers=headers)
        label = case.operation.label
        run.calls[label] = run.calls.get(label, 0) + 1
        run.statuses[response.status_code] = run.statuses.get(response.status_code, 0) + 1
        case.validate_response(response, checks=CHECKS)

    explore()
