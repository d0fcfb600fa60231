"""Week and month grains through every surface: the CLI and the HTTP API print the runner's
JSON, and the explorer's month-grain trend chart carries the marks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import socialscope
from socialscope.cli.main import _register, app
from socialscope.client import Client
from socialscope.server.state import ServerState
from tests.api.conftest import TestClient, bearer, error_of, http_over, state_over_copy
from tests.insights.longstore import SPIKE_MONTH, SPIKE_WEEK
from tests.web_pages.pagectx import build

M1_KEY = "m1-SECRET-weeks-7d30c1"
M2_KEY = "m2-SECRET-weeks-94b2fe"
M1, M2 = bearer(M1_KEY), bearer(M2_KEY)
FROM = "2025-09-01"


def runner_json(db: Path, grain: str) -> list[dict[str, object]]:
    with socialscope.connect(db, read_only=True) as client:
        found = client.anomalies("order_count", shop="m1", grain=grain, date_from=FROM)
    return [a.to_json() for a in found]


@pytest.mark.parametrize("grain", ["week", "month"])
def test_cli_grain(long_db: Path, grain: str) -> None:
    _register()
    args = ["--db", str(long_db), "anomalies", "order_count", "--shop", "m1"]
    out = CliRunner().invoke(app, [*args, "--grain", grain, "--from", FROM, "--format", "json"])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.output)
    assert printed == runner_json(long_db, grain) and printed
    table = CliRunner().invoke(app, [*args, "--grain", grain, "--from", FROM])
    assert table.exit_code == 0 and all(str(p["date"]) in table.output for p in printed)


@pytest.fixture
def state(long_db: Path, tmp_path: Path) -> Iterator[ServerState]:
    shops = [
        {"shop_id": "m1", "api_key": M1_KEY, "timezone": "Europe/Warsaw"},
        {"shop_id": "m2", "api_key": M2_KEY, "timezone": "Europe/Warsaw"},
    ]
    yield from state_over_copy(long_db, tmp_path, {"shops": shops})


@pytest.fixture
def http(state: ServerState) -> Iterator[TestClient]:
    yield from http_over(state)


@pytest.mark.parametrize("grain", ["week", "month"])
def test_api_grain(http: TestClient, long_db: Path, grain: str) -> None:
    params = {"metric": "order_count", "grain": grain, "from": FROM}
    r = http.get("/api/v1/anomalies", params=params, headers=M1)
    assert r.status_code == 200, r.text
    assert r.json() == runner_json(long_db, grain)
    assert (
        http.get("/api/v1/anomalies", params={**params, "shop": "m1"}, headers=M2).status_code
        == 403
    )


def test_api_bounds_the_period_per_grain(http: TestClient) -> None:
    params = {"metric": "order_count", "grain": "week", "from": "2022-01-01", "to": "2026-06-30"}
    r = http.get("/api/v1/anomalies", params=params, headers=M1)
    assert r.status_code == 400 and "at most 732 days with grain=week" in error_of(r)
    r = http.get("/api/v1/anomalies", params={**params, "grain": "month"}, headers=M1)
    assert r.status_code == 200, r.text  # five years of months
    r = http.get(
        "/api/v1/anomalies", params={**params, "from": "2020-01-01", "grain": "month"}, headers=M1
    )
    assert r.status_code == 400 and "at most 1830 days with grain=month" in error_of(r)


def test_month_grain_chart_is_marked(long_client: Client) -> None:
    query = {
        "shop": "m1",
        "preset": "custom",
        "compare": "none",
        "from": "2025-01-01",
        "to": "2026-06-30",
        "metric": "order_count",
        "grain": "month",
    }
    data = build(long_client, "/explore", query, lang="pl")
    block = next(b for b in data["blocks"] if b.get("kind") == "chart")
    line, marks = block["figure"]["data"][0], block["figure"]["data"][-1]
    assert marks["meta"] == "anomalies"
    assert marks["x"] == [str(SPIKE_MONTH), "2026-03-01"]
    assert set(marks["x"]) <= set(line["x"])
    tips = dict(zip(line["x"], line["text"], strict=True))
    assert "Spring show" in tips["2026-03-01"]
    assert [a["x"] for a in block["anomalies"]] == marks["x"]
    assert [a["when"] for a in block["anomalies"]] == ["październik 2025", "marzec 2026"]
    week = build(long_client, "/explore", {**query, "grain": "week", "from": "2026-01-05"})
    week_chart = next(b for b in week["blocks"] if b.get("kind") == "chart")
    assert week_chart["figure"]["data"][-1]["x"] == [str(SPIKE_WEEK)]
    assert week_chart["anomalies"][0]["when"] == "Week of Mar 9, 2026"
