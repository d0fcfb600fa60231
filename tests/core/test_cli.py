"""The CLI end to end: query in every format, errors, metrics list/show, overview."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from socialscope.client import connect
from socialscope.metrics.registry import REGISTRY
from tests.core.conftest import put, rebuild

_register()
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    with connect(path) as c:
        put(c, "shops", [{"shop_id": "s", "timezone": "UTC", "currency": "TWD"}])
        put(c, "staff", [{"shop_id": "s", "staff_id": "amy", "name": "Amy"}])
        base = {"shop_id": "s", "currency": "TWD", "conversation_id": "C"}
        put(
            c,
            "orders",
            [
                {
                    **base,
                    "order_id": "o1",
                    "created_at": "2026-03-01 10:00:00",
                    "amount": Decimal("120.50"),
                    "source": "message_center",
                    "staff_id": "amy",
                    "paid_at": "2026-03-01 10:10:00",
                },
                {
                    **base,
                    "order_id": "o2",
                    "created_at": "2026-03-02 10:00:00",
                    "amount": Decimal("80"),
                    "source": "live",
                },
            ],
        )
        put(
            c,
            "messages",
            [
                {
                    "shop_id": "s",
                    "event_id": "m1",
                    "channel": "line",
                    "conversation_id": "C",
                    "customer_id": "u1",
                    "ts": "2026-03-01 09:00:00",
                    "sender": "customer",
                    "kind": "message",
                },
                {
                    "shop_id": "s",
                    "event_id": "m2",
                    "channel": "line",
                    "conversation_id": "C",
                    "customer_id": "u1",
                    "ts": "2026-03-01 09:01:00",
                    "sender": "agent",
                    "staff_id": "amy",
                    "kind": "message",
                },
            ],
        )
        rebuild(c)
    return path


def invoke(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_query_json_shape(db: Path) -> None:
    code, out, _ = invoke(
        db,
        "query",
        "order_count,sales_amount,aov",
        "--by",
        "date",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-02",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out) == [
        {
            "date": "2026-03-01",
            "currency": "TWD",
            "order_count": 1,
            "sales_amount": 120.5,
            "aov": 120.5,
        },
        {"date": "2026-03-02", "currency": "TWD", "order_count": 1, "sales_amount": 80, "aov": 80},
    ]


def test_query_compare_json_keys(db: Path) -> None:
    code, out, _ = invoke(
        db,
        "query",
        "order_count",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-02",
        "--compare",
        "previous",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out) == [
        {
            "order_count": 1,
            "order_count__previous": 1,
            "order_count__change": 0,
            "order_count__change_pct": 0.0,
        }
    ]


def test_query_csv_and_table(db: Path) -> None:
    code, out, _ = invoke(db, "query", "order_count", "--by", "source", "--format", "csv")
    assert code == 0
    assert list(csv.DictReader(io.StringIO(out))) == [
        {"source": "live", "order_count": "1"},
        {"source": "message_center", "order_count": "1"},
    ]
    code, out, _ = invoke(db, "query", "sales_amount", "--by", "staff_id")
    assert code == 0 and "amy" in out and "200.50" in out  # o2 via its conversation


def test_query_where_and_param_errors(db: Path) -> None:
    code, out, _ = invoke(db, "query", "order_count", "--where", "source=live", "--format", "json")
    assert code == 0 and json.loads(out) == [{"order_count": 1}]
    code, _, err = invoke(db, "query", "order_count", "--where", "source")
    assert code == 2 and "NAME=VALUE" in err
    code, _, err = invoke(db, "query", "orders_count")
    assert code == 2 and "unknown metric 'orders_count'" in err and "order_count" in err
    code, _, err = invoke(db, "query", "conversations", "--by", "source")
    assert code == 2 and "cannot be split by 'source'" in err


def test_metrics_list_and_show() -> None:
    result = runner.invoke(app, ["metrics", "list", "--format", "json"])
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == REGISTRY.ids()
    assert {"id", "label", "unit", "dimensions", "section"} <= set(records[0])
    result = runner.invoke(app, ["metrics", "show", "aov"])
    assert "sales_amount / order_count" in result.stdout and "unit:        money" in result.stdout
    result = runner.invoke(app, ["metrics", "show", "nope"])
    assert result.exit_code == 2


def test_overview_json(db: Path) -> None:
    code, out, _ = invoke(
        db, "overview", "--from", "2026-03-01", "--to", "2026-03-02", "--format", "json"
    )
    assert code == 0
    (ov,) = json.loads(out)
    assert ov["sales_total"]["sales_amount"] == 200.5
    assert [r["source"] for r in ov["sales_by_source"]] == ["message_center", "live", "post"]
    assert ov["sales_by_source"][2]["order_count"] == 0
    (amy,) = ov["staff"]
    # o1 by its staff_id, o2 by the last agent message of conversation C before it
    assert (amy["name"], amy["served_customers"], amy["order_count"]) == ("Amy", 1, 2)
    assert amy["conversations_handled"] == 1 and amy["human_conversations"] == 1


def test_installed_entry_point_runs(db: Path) -> None:
    exe = Path(sys.executable).with_name("socialscope")
    out = subprocess.run(
        [str(exe), "--db", str(db), "query", "order_count", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == [{"order_count": 2}]


def test_query_sparse_flag(db: Path) -> None:
    code, out, _ = invoke(
        db,
        "query",
        "order_count",
        "--by",
        "date",
        "--from",
        "2026-02-28",
        "--to",
        "2026-03-02",
        "--sparse",
        "--format",
        "json",
    )
    assert code == 0
    assert [r["date"] for r in json.loads(out)] == ["2026-03-01", "2026-03-02"]
