"""Queries, drill-downs and the metric registry: the same JSON as the CLI's --format json.

The CLI runs in this process (typer's CliRunner) on the very store file the server state
holds open: DuckDB shares one database instance between connections of one process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from socialscope.cli.main import _register
from socialscope.cli.main import app as cli_app
from tests.api.conftest import ADMIN, SHOP_A, SHOP_B, A, error_of

_register()
runner = CliRunner()


def cli_json(db: Path, *args: str) -> Any:
    result = runner.invoke(cli_app, ["--db", str(db), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def api(http: TestClient, path: str, params: list[tuple[str, str]], headers: Any = ADMIN) -> Any:
    r = http.get(path, params=params, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return r.json()


def _cli_args(params: list[tuple[str, str]]) -> list[str]:
    """API query parameters as CLI options (``metrics`` is the query's argument)."""
    args: list[str] = []
    for name, value in params:
        if name == "metrics":
            args.insert(0, value)
        elif name == "sparse":
            args.append("--sparse")
        else:
            args += [f"--{name}", value]
    return args


QUERIES: list[list[tuple[str, str]]] = [
    [("metrics", "conversations,inbound_messages"), ("shop", SHOP_A)],
    [
        ("metrics", "three_minute_reply_rate,first_response_time_avg,csat_rate"),
        ("by", "date,channel"),
        ("shop", SHOP_A),
    ],
    [
        ("metrics", "conversations"),
        ("by", "date"),
        ("shop", SHOP_A),
        ("from", "2026-05-01"),
        ("to", "2026-05-07"),
        ("compare", "previous"),
    ],
    [("metrics", "conversations"), ("by", "date"), ("shop", SHOP_A), ("sparse", "true")],
    [
        ("metrics", "three_minute_good_conversations,three_minute_eligible_conversations"),
        ("shop", SHOP_A),
        ("param", "threshold_s=200"),
        ("where", "channel=line,facebook"),
        ("by", "channel"),
    ],
    [
        ("metrics", "conversations,csat_rate"),
        ("by", "shop_id"),
        ("where", f"shop_id={SHOP_A},{SHOP_B}"),
    ],
    [
        ("metrics", "order_count,sales_amount,aov,paid_order_count"),
        ("shop", "conv_shop"),
        ("by", "week,currency"),
    ],
    [("metrics", "inquiry_conversion_rate,silent_orders"), ("shop", "conv_shop"), ("by", "week")],
    [  # where and param are the repeatable parameters
        ("metrics", "three_minute_reply_rate"),
        ("shop", SHOP_A),
        ("where", "channel=line,facebook"),
        ("where", "staff_id=s1,s2"),
        ("param", "threshold_s=200"),
        ("param", "duration=calendar"),
    ],
]


@pytest.mark.parametrize("params", QUERIES, ids=[",".join(p[0][1:]) for p in QUERIES])
def test_query_json_equals_cli(db: Path, http: TestClient, params: list[tuple[str, str]]) -> None:
    from_api = api(http, "/api/v1/query", params)
    from_cli = cli_json(db, "query", *_cli_args(params))
    assert from_api == from_cli
    assert isinstance(from_api, list) and from_api


DRILLDOWNS: list[tuple[str, list[tuple[str, str]]]] = [
    ("conversations", [("shop", SHOP_A)]),
    ("conversations", [("shop", SHOP_A), ("where", "three_minute=failed")]),
    (
        "conversations",
        [
            ("shop", SHOP_A),
            ("where", "channel=facebook"),
            ("where", "staff_id="),
            ("param", "threshold_s=120"),
            ("limit", "5"),
        ],
    ),
    ("conversations", [("shop", "conv_shop"), ("from", "2026-05-01"), ("to", "2026-05-31")]),
    ("orders", [("shop", "conv_shop")]),
    ("orders", [("shop", "conv_shop"), ("where", "order_type=inquiry"), ("limit", "3")]),
]


@pytest.mark.parametrize(("kind", "params"), DRILLDOWNS)
def test_drilldown_json_equals_cli(
    db: Path, http: TestClient, kind: str, params: list[tuple[str, str]]
) -> None:
    from_api = api(http, f"/api/v1/{kind}", params)
    from_cli = cli_json(db, kind, *_cli_args(params))
    assert from_api == from_cli
    assert from_api


def test_conversation_rows_keep_id_lists_and_seconds(http: TestClient) -> None:
    rows = api(http, "/api/v1/conversations", [("shop", "conv_shop")])
    assert all(r["order_ids"] is None or isinstance(r["order_ids"], list) for r in rows)
    assert all(len(r["first_ts"]) == len("2026-05-04 10:00:00") for r in rows)


def test_metrics_registry_matches_cli(db: Path, http: TestClient) -> None:
    records = api(http, "/api/v1/metrics", [])
    from_cli = cli_json(db, "metrics", "list")
    assert [r["id"] for r in records] == [r["id"] for r in from_cli]
    for mine, theirs in zip(records, from_cli, strict=True):
        # every field the CLI prints, with the same value...
        assert {k: mine[k] for k in theirs} == theirs
        # ...and a stable shape: ratios name their parts, the others their fact
        if mine["kind"] == "ratio":
            assert mine["numerator"] and mine["denominator"] and mine["fact"] is None
        else:
            assert mine["fact"] and mine["numerator"] is None
    one = api(http, "/api/v1/metrics/three_minute_reply_rate", [])
    assert one == next(r for r in records if r["id"] == "three_minute_reply_rate")
    assert one["params"] and one["params"][0]["name"] == "threshold_s"


def test_unknown_metric_is_404(http: TestClient) -> None:
    r = http.get("/api/v1/metrics/nope", headers=A)
    assert r.status_code == 404
    assert "unknown metric 'nope'" in error_of(r)


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("/api/v1/query", {"metrics": "nope"}, "unknown metric 'nope'"),
        ("/api/v1/query", {"metrics": "conversations", "from": "May 1"}, "from must be a date"),
        ("/api/v1/query", {"metrics": "conversations", "where": "channel"}, "NAME=VALUE"),
        ("/api/v1/query", {"metrics": "conversations", "param": "x"}, "param must look like"),
        ("/api/v1/query", {"metrics": "conversations", "compare": "never"}, "compare mode"),
        ("/api/v1/query", {"metrics": "conversations", "by": "colour"}, "colour"),
        ("/api/v1/query", {"metrics": "conversations", "sparse": "maybe"}, "'sparse'"),
        ("/api/v1/query", {}, "query parameter 'metrics'"),
        ("/api/v1/query", {"metrics": ""}, "query parameter 'metrics'"),
        ("/api/v1/conversations", {"limit": "-1"}, "query parameter 'limit'"),
        ("/api/v1/conversations", {"limit": "many"}, "query parameter 'limit'"),
        ("/api/v1/conversations", {"where": "colour=red"}, "cannot filter on 'colour'"),
        ("/api/v1/orders", {"param": "threshold_s=x"}, "unknown parameter 'threshold_s'"),
        ("/api/v1/conversations", {"param": "threshold_s=fast"}, "threshold_s"),
        # guards of the HTTP layer
        ("/api/v1/query", {"metrics": "conversations", "where": "channel=a\x00"}, "NUL"),
        ("/api/v1/conversations", {"where": "customer_id=\x00"}, "NUL character"),
        ("/api/v1/query", {"metrics": ["conversations", "order_count"]}, "given 2 times"),
        ("/api/v1/orders", {"limit": ["1", "2"]}, "'limit' is given 2 times"),
        (
            "/api/v1/query",
            {
                "metrics": "conversations",
                "from": "0001-01-01",
                "to": "0001-01-02",
                "compare": "previous",
            },
            "must lie between",
        ),
        ("/api/v1/conversations", {"from": "0001-01-01", "to": "9999-12-31"}, "must lie between"),
        (
            "/api/v1/query",
            {"metrics": "conversations", "by": "hour", "from": "2000-01-01", "to": "2026-12-31"},
            "time buckets",
        ),
    ],
)
def test_bad_parameters_are_400_with_a_message(
    http: TestClient, path: str, params: dict[str, str | list[str]], expected: str
) -> None:
    r = http.get(path, params={"shop": SHOP_A, **params}, headers=ADMIN)
    assert r.status_code == 400, r.text
    assert expected in error_of(r)


def test_unknown_route_and_method_are_json(http: TestClient) -> None:
    r = http.get("/api/v1/nothing", headers=ADMIN)
    assert r.status_code == 404
    assert "no route" in error_of(r)
    r = http.delete("/api/v1/metrics", headers=ADMIN)
    assert r.status_code == 405
    assert "not allowed" in error_of(r)


def test_empty_strings_mean_not_given(http: TestClient) -> None:
    """``from=`` and friends, as a form would send them, mean the parameter is absent."""
    base = [("metrics", "conversations"), ("shop", SHOP_A)]
    blank = [*base, ("from", ""), ("to", ""), ("by", ""), ("compare", "")]
    assert api(http, "/api/v1/query", blank) == api(http, "/api/v1/query", base)


def test_a_long_range_is_fine_sparse_or_coarse(http: TestClient) -> None:
    base = {"metrics": "conversations", "shop": SHOP_A, "from": "2000-01-01", "to": "2026-12-31"}
    r = http.get("/api/v1/query", params={**base, "by": "hour", "sparse": "true"}, headers=ADMIN)
    assert r.status_code == 200 and 0 < len(r.json()) < 100
    r = http.get("/api/v1/query", params={**base, "by": "month"}, headers=ADMIN)
    assert r.status_code == 200 and len(r.json()) == 27 * 12


def test_the_key_is_checked_before_anything_else(http: TestClient) -> None:
    r = http.get("/api/v1/query", params={"where": "a=\x00"})
    assert r.status_code == 401
    r = http.post("/api/v1/ingest/nope", content=b"{")
    assert r.status_code == 401
