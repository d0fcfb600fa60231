"""`socialscope demo --no-serve` (what `make demo` runs): loads every table, prints the
overview for each shop, and the printed numbers are the metric layer's."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from socialscope.client import connect
from socialscope.contract.tables import TABLES
from socialscope.overview import build_overview

_register()

SHOPS = ("alley_closet", "krakow_ceramics", "sunset_snacks")


def test_demo_loads_everything_and_prints_the_overview(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    result = CliRunner().invoke(app, ["--db", str(db), "demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for shop in SHOPS:
        assert f"Social Data Overview — {shop}" in out
    for section in ("User interaction", "Sales performance", "Staff performance"):
        assert out.count(section) == len(SHOPS)
    # a real peer benchmark (≥ 5 peers) and loss destinations with groups of ≥ k users
    assert re.search(r"Peer benchmark — alley_closet sales_amount .* percentile rank \d+", out)
    assert re.search(r"shoes\s+1250–2500\s+TWD: \d+ users", out)
    for name in TABLES:
        line = next(ln for ln in out.splitlines() if re.match(rf"\W*{name}\W", ln))
        stored, _dup, _upd, quarantined = re.findall(r"[\d,]+", line.split(name, 1)[1])[:4]
        assert int(stored.replace(",", "")) > 0, name
        assert quarantined == "0", name
    with connect(db) as client:
        # the demo shops plus the small peer shops of alley_closet's tier and category
        peers = {f"peer_apparel_{i}" for i in range(1, 9)}
        assert set(client.shops()) == set(SHOPS) | peers
        messages = client.query("inbound_messages,outbound_messages", shop="alley_closet")
        row = messages.rows[0]
        assert row["inbound_messages"] + row["outbound_messages"] >= 50_000
        ov = build_overview(client, "alley_closet")
        total = ov.interaction_total["interacting_users"]
        assert f"{total:,}" in out
        assert ov.date_to == messages.date_to
        assert (ov.date_to - ov.date_from).days == 29
        assert ov.previous_to is not None and (ov.date_from - ov.previous_to).days == 1
        assert len(ov.staff) >= 4
        assert sum(r["order_count"] for r in ov.sales_by_source) == ov.sales_total["order_count"]
        json.dumps(ov.interaction_by_channel, default=str)  # plain data


def test_demo_twice_replaces_its_own_shops(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["--db", str(db), "demo", "--days", "14", "--no-serve"]).exit_code == 0
    )
    with connect(db) as client:
        first = client.query("order_count,inbound_messages", by="shop_id").rows
    assert (
        runner.invoke(app, ["--db", str(db), "demo", "--days", "14", "--no-serve"]).exit_code == 0
    )
    with connect(db) as client:
        assert client.query("order_count,inbound_messages", by="shop_id").rows == first
