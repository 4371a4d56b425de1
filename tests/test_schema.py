"""Schemathesis against the OpenAPI schema: generated requests never get a 5xx, responses match the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from search_api.app import create_app
from search_api.retrieval import Searcher
from search_api.settings import Settings

# No 5xx, only documented status codes and content types, bodies that match the schema.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def operations(fixture_searcher: Searcher) -> list[object]:
    app = create_app(Settings(index_dir=fixture_searcher.index_dir, admin_token="t0ken"), searcher=fixture_searcher)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 8
    return found


def _check(operation: object) -> None:
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy())  # type: ignore[attr-defined]
        case.call_and_validate(checks=CHECKS)

    check()


def test_every_operation_conforms(operations: list[object]) -> None:
    for operation in operations:
        _check(operation)
