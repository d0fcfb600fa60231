"""The supervisor's staff view is exactly the registered metrics by staff_id."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from socialscope.client import connect
from socialscope.staff_view import (
    ORDER_METRICS,
    SPLIT_SOURCES,
    SUPERVISOR_SERVICE_METRICS,
    staff_rows,
)

SEED = Path(__file__).parents[1] / "conversion" / "seeds" / "conversion"


def test_staff_rows_match_metric_queries(tmp_path: Path) -> None:
    with connect(tmp_path / "s.duckdb") as c:
        c.ingest([SEED])
        (shop,) = c.shops()
        q = c.query("order_count", shop=shop)
        start, end = q.date_from, q.date_to
        assert start is not None and end is not None
        currency = c.shops()[shop]["currency"]
        rows = staff_rows(c, shop, start, end, SUPERVISOR_SERVICE_METRICS)
        assert rows, "the seed has staff"
        service = {
            r["staff_id"]: r
            for r in c.query(
                SUPERVISOR_SERVICE_METRICS, by="staff_id", shop=shop, date_from=start, date_to=end
            ).rows
        }
        orders = {
            r["staff_id"]: r
            for r in c.query(
                ORDER_METRICS,
                by="staff_id",
                shop=shop,
                date_from=start,
                date_to=end,
                where={"currency": currency},
            ).rows
        }
        for row in rows:
            sid = row["staff_id"]
            for m in SUPERVISOR_SERVICE_METRICS:
                if sid in service:
                    assert row[m] == service[sid][m], (sid, m)
            for m in ORDER_METRICS:
                expected = orders[sid][m] if sid in orders else 0
                assert row[m] == expected, (sid, m)
                split = sum((row[f"{m}__{s}"] for s in SPLIT_SOURCES), Decimal(0))
                assert split <= row[m]  # web/app/... orders are in the total, not the split
        assert [r["sales_amount"] for r in rows] == sorted(
            (r["sales_amount"] for r in rows), reverse=True
        )


def test_staff_cli_json(tmp_path: Path) -> None:
    _register()
    db = tmp_path / "s.duckdb"
    with connect(db) as c:
        c.ingest([SEED])
    result = CliRunner().invoke(app, ["--db", str(db), "staff", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows
    assert {
        "shop_id",
        "staff_id",
        "name",
        "three_minute_reply_rate",
        "sales_amount__message_center",
        "net_paid_amount__post",
    } <= set(rows[0])
    bad = CliRunner().invoke(app, ["--db", str(db), "staff", "--shop", "nope"])
    assert bad.exit_code == 2
