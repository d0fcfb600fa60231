"""`socialscope conversations` and `socialscope orders` end to end (every format, filters)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from socialscope.client import connect

_register()
runner = CliRunner()
TESTS = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("drill_cli") / "cli.duckdb"
    with connect(path) as c:
        c.ingest([TESTS / "service" / "seeds" / "service"])
        c.ingest([TESTS / "conversion" / "seeds" / "conversion"])
        linked = {
            "shop_id": "taipei_shop",
            "customer_id": "U01",
            "conversation_id": "c01",
            "currency": "TWD",
            "amount": "50",
            "source": "message_center",
        }
        c.ingest_arrow(
            {
                "orders": pa.Table.from_pylist(
                    [
                        {  # from_pylist takes its columns from the first row
                            **linked,
                            "order_id": "t3",
                            "created_at": "2026-05-04T10:30:00+08:00",
                            "cancelled_at": "2026-05-04T10:40:00+08:00",
                        },
                        {**linked, "order_id": "t2", "created_at": "2026-05-04T10:20:00+08:00"},
                        {**linked, "order_id": "t1", "created_at": "2026-05-04T10:10:00+08:00"},
                    ]
                )
            }
        )
    return path


def _run(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_conversations_json_three_minute_failed(db: Path) -> None:
    out = _run(
        db,
        "conversations",
        "--shop",
        "taipei_shop",
        "--where",
        "three_minute=failed",
        "--format",
        "json",
    )
    rows = json.loads(out)
    # the seed's failures (tests/service): c02 181 s, c05/c06 unanswered, c09 210 s,
    # c13 240 s — each on its first round
    assert sorted(r["conversation_id"] for r in rows) == ["c02", "c05", "c06", "c09", "c13"]
    assert all(r["three_minute_failed_round"] == 1 for r in rows)
    c02 = next(r for r in rows if r["conversation_id"] == "c02")
    assert c02["first_ts"] == "2026-05-04 11:00:00"  # local, to the second
    assert c02["first_response_s"] == 181
    assert c02["csat"] == 3
    assert c02["staff_id"] == "s_b"
    # the rows behind the metric
    q = json.loads(
        _run(
            db,
            "query",
            "three_minute_eligible_conversations,three_minute_good_conversations",
            "--shop",
            "taipei_shop",
            "--format",
            "json",
        )
    )[0]
    eligible, good = q["three_minute_eligible_conversations"], q["three_minute_good_conversations"]
    assert len(rows) == eligible - good


def test_conversations_csv_and_table(db: Path) -> None:
    out = _run(
        db,
        "conversations",
        "--shop",
        "taipei_shop",
        "--where",
        "channel=facebook",
        "--where",
        "staff_id=",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["conversation_id"] for r in rows] == ["c04", "c06"]  # facebook, no staff
    assert rows[0]["is_human"] == "False" and rows[0]["three_minute"] == "not_eligible"
    assert rows[1]["unreplied"] == "True" and rows[1]["unanswered_rounds"] == "1"
    table = _run(db, "conversations", "--shop", "taipei_shop", "--limit", "2")
    assert "conversation_id" in table and "c08" in table and "(2 rows)" in table
    assert "c01" not in table  # limited to the first two in time order


def test_conversations_inquiry_outcome_and_linked_orders(db: Path) -> None:
    out = _run(
        db,
        "conversations",
        "--shop",
        "conv_shop",
        "--from",
        "2026-05-10",
        "--to",
        "2026-05-10",
        "--format",
        "json",
    )
    rows = {r["conversation_id"]: r for r in json.loads(out)}
    q = json.loads(
        _run(
            db,
            "query",
            "inquiry_converted_customers,inquiry_lost_customers",
            "--shop",
            "conv_shop",
            "--from",
            "2026-05-10",
            "--to",
            "2026-05-10",
            "--format",
            "json",
        )
    )[0]
    people = {(r["person_id"], r["inquiry_outcome"]) for r in rows.values()}
    assert sum(o == "converted" for _, o in people) == q["inquiry_converted_customers"]
    assert sum(o == "lost" for _, o in people) == q["inquiry_lost_customers"]
    lost = json.loads(
        _run(
            db,
            "conversations",
            "--shop",
            "conv_shop",
            "--from",
            "2026-05-10",
            "--to",
            "2026-05-10",
            "--where",
            "inquiry_outcome=lost",
            "--format",
            "json",
        )
    )
    assert {r["inquiry_outcome"] for r in lost} == {"lost"}
    linked = json.loads(_run(db, "conversations", "--shop", "taipei_shop", "--format", "json"))
    by_id = {r["conversation_id"]: r for r in linked}
    # orders with conversation_id c01, by created_at; the cancelled t3 is not listed
    assert by_id["c01"]["order_ids"] == ["t1", "t2"]
    assert by_id["c02"]["order_ids"] is None
    out = _run(db, "conversations", "--shop", "taipei_shop", "--format", "csv")
    c01 = next(r for r in csv.DictReader(io.StringIO(out)) if r["conversation_id"] == "c01")
    assert c01["order_ids"] == "t1,t2"


def test_orders_every_format_and_filters(db: Path) -> None:
    rows = json.loads(_run(db, "orders", "--shop", "conv_shop", "--format", "json"))
    q = json.loads(
        _run(
            db,
            "query",
            "order_count,inquiry_orders,silent_orders",
            "--shop",
            "conv_shop",
            "--format",
            "json",
        )
    )[0]
    live = [r for r in rows if not r["cancelled"]]
    assert len(live) == q["order_count"]
    assert sum(r["order_type"] == "inquiry" for r in live) == q["inquiry_orders"]
    assert sum(r["order_type"] == "silent" for r in live) == q["silent_orders"]
    assert any(r["cancelled"] for r in rows)  # cancelled orders are listed, flagged
    oc1 = next(r for r in rows if r["order_id"] == "oC1")
    assert oc1["staff_id"] == "s_amy" and oc1["conversation_id"] == "conv_x"
    assert oc1["amount"] == 300 and oc1["paid"] is True

    out = _run(
        db,
        "orders",
        "--shop",
        "conv_shop",
        "--where",
        "order_type=silent",
        "--where",
        "cancelled=false",
        "--param",
        "inquiry_window_h=72",
        "--format",
        "csv",
    )
    silent = list(csv.DictReader(io.StringIO(out)))
    assert len(silent) == q["silent_orders"]
    assert {r["order_type"] for r in silent} == {"silent"}
    table = _run(db, "orders", "--shop", "conv_shop", "--where", "currency=USD")
    assert "oD1" in table and "oF1" in table and "oA1" not in table


def test_errors_exit_2(db: Path) -> None:
    for args in (
        ["conversations"],  # several shops in the store: --shop needed
        ["conversations", "--shop", "nope"],
        ["conversations", "--shop", "taipei_shop", "--where", "three_minute=bad"],
        ["conversations", "--shop", "taipei_shop", "--where", "colour=red"],
        ["conversations", "--shop", "taipei_shop", "--param", "sla_s=3"],
        ["orders", "--shop", "conv_shop", "--param", "inquiry_window_h=-1"],
        ["orders", "--shop", "conv_shop", "--where", "paid=maybe"],
    ):
        result = runner.invoke(app, ["--db", str(db), *args])
        assert result.exit_code == 2, (args, result.output)
        assert "error:" in result.stderr


def test_python_api(db: Path) -> None:
    with connect(db, read_only=True) as c:
        res = c.conversations(
            shop="taipei_shop", where={"three_minute": "failed"}, params={"threshold_s": 300}
        )
        # with 300 s no late reply fails; unanswered eligible rounds do: c05, c06 (round 1)
        # and c13, whose first round (240 s) is now in time but whose round 2 is unanswered
        failed = {r["conversation_id"]: r["three_minute_failed_round"] for r in res.rows}
        assert failed == {"c05": 1, "c06": 1, "c13": 2}
        frame = res.to_pandas()
        assert list(frame.columns) == res.columns
        orders = c.orders(shop="conv_shop", where={"source": "web"}, limit=1)
        assert len(orders.rows) == 1 and orders.rows[0]["source"] == "web"
