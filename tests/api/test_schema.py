"""Property-based API tests from the app's own OpenAPI document (schemathesis).

Every operation gets generated requests with the admin key; every response must be
documented (status, content type, body schema), valid requests must never be a 500 and
schema-invalid ones must be refused. Examples are few (and the Hypothesis example
database is off) so the whole file runs in well under a minute.

The schema is read at import from an app over an empty in-memory store (the document does
not depend on the data); each generated test then calls a fresh app over its own copy of
the seeded store, passed as ``app=``. (``schemathesis.pytest.from_fixture`` would be the
natural way, but schemathesis 4.32.5 reads ``node._nodeid``, which pytest 9 no longer
has.)

One built-in check is left out: ``positive_data_acceptance`` expects every schema-valid
request to succeed, but this API's parameters are checked against the data and the
metric registry (an unknown shop, metric or dimension, `from` after `to`, a metric that
cannot be split by a dimension...), which a schema cannot express: those requests are a
documented 400 with a message, not a server error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from socialscope.api import create_app
from socialscope.config import Config
from socialscope.server.state import ServerState
from socialscope.store.duckdb import Store
from tests.api.conftest import ADMIN, open_state

schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(ServerState(Config(), Store(":memory:")))
)


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: Any, value: Any) -> bytes:
    """Rows (a generated array of objects) as NDJSON, one object per line."""
    rows = value if isinstance(value, list) else [value]
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


@schemathesis.serializer("text/csv")
def _csv(ctx: Any, value: Any) -> bytes:
    """A generated CSV body (a string) as UTF-8 bytes."""
    return str(value).encode()


@pytest.fixture
def seeded_app(db: Path) -> Iterator[FastAPI]:
    state = open_state(db)
    yield create_app(state)
    state.store.close()


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_every_operation_conforms(case: Any, seeded_app: FastAPI) -> None:
    response = case.call_and_validate(
        headers=ADMIN, app=seeded_app, excluded_checks=[positive_data_acceptance]
    )
    assert response.status_code < 500, response.text
