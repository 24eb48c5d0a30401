"""Schemathesis against the app's own OpenAPI document: no 5xx, no undocumented status, no answer
that breaks the schema.

Every operation, with a valid token and without; a fixed seed and a small budget keep it in the
suite, `make fuzz` (EXAMGEN_FUZZ_EXAMPLES=500) searches longer.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from redis import Redis
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from examgen.app import create_app
from examgen.services import tokens

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

EXAMPLES = int(os.environ.get("EXAMGEN_FUZZ_EXAMPLES", "20"))


def test_every_operation_answers_within_its_schema(redis: Redis) -> None:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", create_app())
    token = tokens.create(redis, "fuzzer")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @seed(20261128)
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def fuzz(case: schemathesis.Case) -> None:
            for headers in ({"Authorization": f"Bearer {token}"}, {}):
                response = case.call(headers=headers)
                assert response.status_code < 500, (case.method, case.path, response.text)
                case.validate_response(response, checks=[response_schema_conformance, status_code_conformance])

        fuzz()
