"""Fixtures for the HTTP API tests: a real seeded store, a ServerState, the app, keys.

The store holds the service seed (taipei_shop, night_shop, warsaw_shop) and the
conversion seed (conv_shop) from tests/service and tests/conversion, ingested once per
session into a template file; every test gets its own copy, so writes never leak
between tests. The keys are distinctive strings, so a test can assert that none of them
ever appears in a response or a log line.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from socialscope.api import create_app
from socialscope.client import connect
from socialscope.config import Config, parse_config
from socialscope.server.state import ServerState
from socialscope.store.duckdb import Store

# Starlette 1.10 warns, once at import, that its TestClient prefers `httpx2` to the pinned
# `httpx` 0.28; it works with either. Only that warning is silenced, only here.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore",
        message="Using `httpx` with `starlette.testclient` is deprecated",
        category=StarletteDeprecationWarning,
    )
    from fastapi.testclient import TestClient

TESTS = Path(__file__).parents[1]

ADMIN_KEY = "adm-SECRET-7f3a9c1e5b2d4f60"
LOCAL_TOKEN = "loc-SECRET-0c4e8a2f6b1d3e59"
SHOP_A = "taipei_shop"
SHOP_B = "night_shop"
KEY_A = "shopA-SECRET-91d2e7c4a8b3f605"
KEY_B = "shopB-SECRET-4e6a0b9d2c7f1835"
SECRETS = (ADMIN_KEY, LOCAL_TOKEN, KEY_A, KEY_B)
MAX_BODY = 64 * 1024


def make_config(max_body: int = MAX_BODY) -> Config:
    return parse_config(
        {
            "admin_key": ADMIN_KEY,
            "server": {"max_body_bytes": max_body},
            "shops": [
                {"shop_id": SHOP_A, "api_key": KEY_A, "timezone": "Asia/Taipei"},
                {"shop_id": SHOP_B, "api_key": KEY_B, "timezone": "Asia/Taipei"},
                {"shop_id": "warsaw_shop"},  # no key: only the admin reads it
            ],
        }
    )


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


ADMIN = bearer(ADMIN_KEY)
A = bearer(KEY_A)
B = bearer(KEY_B)


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded template store (closed: copy it, never open it)."""
    path = tmp_path_factory.mktemp("api_seed") / "seed.duckdb"
    with connect(path) as c:
        c.ingest([TESTS / "service" / "seeds" / "service"])
        c.ingest([TESTS / "conversion" / "seeds" / "conversion"])
    return path


@pytest.fixture
def db(seed_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "db.duckdb"
    shutil.copyfile(seed_db, path)
    return path


def open_state(db: Path, config: Config | None = None) -> ServerState:
    return ServerState(config or make_config(), Store(db), local_token=LOCAL_TOKEN)


def state_over_copy(seed_db: Path, tmp_path: Path, config: dict[str, Any]) -> Iterator[ServerState]:
    """A state over a private copy of a module's seed store with `config` (a fixture's
    body: `yield from state_over_copy(...)`); the store is closed afterwards."""
    db = tmp_path / "db.duckdb"
    shutil.copyfile(seed_db, db)
    st = ServerState(parse_config(config), Store(db))
    yield st
    st.store.close()


def http_over(state: ServerState) -> Iterator[TestClient]:
    """A TestClient of the app over `state` (a fixture's body: `yield from http_over(...)`)."""
    with TestClient(create_app(state)) as client:
        yield client


@pytest.fixture
def state(db: Path) -> Iterator[ServerState]:
    st = open_state(db)
    yield st
    st.store.close()


@pytest.fixture
def app(state: ServerState) -> FastAPI:
    return create_app(state)


@pytest.fixture
def http(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def error_of(response: Any) -> str:
    """The message of an error response, checking the common error shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    message = body["error"]["message"]
    assert isinstance(message, str) and message
    return message
