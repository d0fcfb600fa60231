"""`compare=yesterday` from the CLI (table, json, csv) and the HTTP API (scoped by key),
with the numbers of test_hours.py."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from socialscope.server.state import ServerState
from tests.api.conftest import bearer, http_over, state_over_copy
from tests.hourly.conftest import SEEDS

_register()
cli = CliRunner()
KEY_TPE = "tpe-SECRET-5d1c0e9a7b3f2468"
KEY_NYC = "nyc-SECRET-2b8e4f6a0c1d3957"


def run_cli(db: Path, *args: str) -> Any:
    return cli.invoke(app, ["--db", str(db), "query", *args])


@pytest.fixture(scope="module")
def closed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both seeds in a closed store file (the CLI and the server open their own)."""
    from socialscope import connect

    db = tmp_path_factory.mktemp("hourly_surfaces") / "seed.duckdb"
    with connect(db) as client:
        client.ingest([SEEDS / "hours", SEEDS / "dst"])
    return db


def test_cli_json_csv_and_table(closed_db: Path) -> None:
    base = ["order_count,aov", "--shop", "tpe", "--to", "2026-04-02", "--compare", "yesterday"]
    out = run_cli(closed_db, *base, "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert len(rows) == 24
    assert rows[9] == {
        "hour": 9,
        "currency": "TWD",
        "order_count": 2,
        "order_count__previous": 2,
        "order_count__change": 0,
        "order_count__change_pct": 0.0,
        "aov": 15,
        "aov__previous": 150,
        "aov__change": -135,
        "aov__change_pct": -0.9,
    }
    out = run_cli(closed_db, *base, "--format", "csv")
    assert out.exit_code == 0, out.output
    table = list(csv.DictReader(io.StringIO(out.output)))
    assert [r["hour"] for r in table] == [str(h) for h in range(24)]
    assert table[23]["order_count"] == "4"
    out = run_cli(closed_db, *base)
    assert out.exit_code == 0, out.output
    assert "2026-04-02 – 2026-04-02 vs 2026-04-01 – 2026-04-01" in out.output


def test_cli_refuses_a_cohort_metric(closed_db: Path) -> None:
    out = run_cli(closed_db, "silent_orders", "--shop", "tpe", "--compare", "yesterday")
    assert out.exit_code == 2
    assert "metric 'silent_orders' cannot be compared with yesterday by hour" in out.output


@pytest.fixture
def http(closed_db: Path, tmp_path: Path) -> Iterator[TestClient]:
    config = {
        "admin_key": "adm-SECRET-0a1b2c3d4e5f6789",
        "shops": [
            {"shop_id": "tpe", "api_key": KEY_TPE, "timezone": "Asia/Taipei"},
            {"shop_id": "nyc", "api_key": KEY_NYC, "timezone": "America/New_York"},
        ],
    }
    states: Iterator[ServerState] = state_over_copy(closed_db, tmp_path, config)
    state = next(states)
    try:
        yield from http_over(state)
    finally:
        next(states, None)


def test_http_query_compare_yesterday(http: TestClient) -> None:
    params = {"metrics": "order_count", "by": "channel", "to": "2026-04-02", "compare": "yesterday"}
    r = http.get("/api/v1/query", params=params, headers=bearer(KEY_TPE))
    assert r.status_code == 200, r.text
    rows = r.json()
    assert len(rows) == 48
    line_23 = next(x for x in rows if x["channel"] == "line" and x["hour"] == 23)
    assert (line_23["order_count"], line_23["order_count__previous"]) == (3, 2)
    assert line_23["order_count__change_pct"] == 0.5
    # a shop key reads only its own shop
    r = http.get("/api/v1/query", params={**params, "shop": "nyc"}, headers=bearer(KEY_TPE))
    assert r.status_code == 403
    # DST through HTTP: New York's spring-forward day, hour 2 does not exist
    r = http.get(
        "/api/v1/query",
        params={"metrics": "order_count", "to": "2026-03-08", "compare": "yesterday"},
        headers=bearer(KEY_NYC),
    )
    assert r.status_code == 200, r.text
    assert [(x["order_count"], x["order_count__previous"]) for x in r.json()[1:4]] == [
        (1, 0),
        (1, 1),
        (2, 1),
    ]


def test_http_refusal_is_a_400_naming_the_metric(http: TestClient) -> None:
    r = http.get(
        "/api/v1/query",
        params={"metrics": "silent_orders", "compare": "yesterday"},
        headers=bearer(KEY_TPE),
    )
    assert r.status_code == 400
    assert "silent_orders" in r.json()["error"]["message"]
    assert "built per query period" in r.json()["error"]["message"]
    # a distinct count is exact (re-aggregated to each hour): cA twice today counts once
    r = http.get(
        "/api/v1/query",
        params={"metrics": "inquiring_customers", "to": "2026-04-02", "compare": "yesterday"},
        headers=bearer(KEY_TPE),
    )
    assert r.status_code == 200, r.text
    assert [x["inquiring_customers"] for x in r.json()][9:11] == [2, 2]
