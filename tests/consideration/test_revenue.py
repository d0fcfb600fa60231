"""Revenue in the cash view (section 7): paid orders by paid_at, refunds by their ts.

tp_shop (Asia/Taipei), P = 2026-05-10..2026-05-12 (local). Orders with paid_at:
  o3    5/12 10:00  TWD 1000 web facebook
  o4b   5/11 11:00  TWD  500 web facebook, cancelled 12:00 (refund r4b 5/11 500)
  o10a  4/01        TWD  800 web (no channel)  -> earlier; refund r10a 5/10 09:00 100
  o10b  5/11 09:05  TWD  300 live facebook
  o11   5/10 14:00  USD   40 web
  o12   5/11 15:00  TWD  700 message_center line
  o13   5/12 08:00  TWD  200 post instagram (created 5/01)
  o13x  4/20        TWD  250, cancelled       -> outside both periods
  o14   5/12 16:00Z = 5/13 00:00 local TWD 900 -> after P
  o20   5/08        TWD  600 web              -> previous period
  o4a   unpaid                                -> never revenue
Refunds: r4b 5/11 (o4b), r10a 5/10 (o10a), r3 5/14 (after P).
P, TWD: gross 1000 + 500 + 300 + 700 + 200 = 2700; refunds 500 + 100 = 600; net 2100.
P, USD: gross 40, refunds 0, net 40.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import socialscope
from socialscope.cli.main import _register, app

SEEDS = Path(__file__).parent / "seeds"

P = {"shop": "tp_shop", "date_from": "2026-05-10", "date_to": "2026-05-12"}
CASH = ["revenue_gross", "refunds_by_date", "revenue_net"]


def test_two_currencies_need_a_currency_slice(traffic: Any) -> None:
    with pytest.raises(socialscope.QueryError, match="currency"):
        traffic.total(CASH, **P)


def test_by_currency(traffic: Any) -> None:
    idx = traffic.index(CASH, ["currency"], **P)
    twd = idx["TWD"]
    assert twd["revenue_gross"] == Decimal("2700")  # incl. o4b, paid then cancelled
    assert twd["refunds_by_date"] == Decimal("600")  # r4b + r10a (an April order)
    assert twd["revenue_net"] == Decimal("2100")
    assert isinstance(twd["revenue_net"], Decimal)
    assert idx["USD"]["revenue_gross"] == Decimal("40")
    assert idx["USD"]["refunds_by_date"] == Decimal("0")
    assert idx["USD"]["revenue_net"] == Decimal("40")


def test_one_currency_filter(traffic: Any) -> None:
    row = traffic.total(CASH, where={"currency": "TWD"}, **P)
    assert row["revenue_net"] == Decimal("2100")
    assert row["currency"] == "TWD"


def test_by_source_and_channel(traffic: Any) -> None:
    idx = traffic.index(CASH, ["currency", "source"], **P)
    # TWD web: o3 1000 + o4b 500; refunds r4b (o4b) + r10a (o10a, web) -> net 900
    assert idx[("TWD", "web")]["revenue_gross"] == Decimal("1500")
    assert idx[("TWD", "web")]["refunds_by_date"] == Decimal("600")
    assert idx[("TWD", "web")]["revenue_net"] == Decimal("900")
    assert idx[("TWD", "live")]["revenue_net"] == Decimal("300")
    assert idx[("TWD", "message_center")]["revenue_gross"] == Decimal("700")
    assert idx[("TWD", "post")]["revenue_gross"] == Decimal("200")
    assert idx[("USD", "web")]["revenue_gross"] == Decimal("40")
    ch = traffic.index(CASH, ["channel"], where={"currency": "TWD"}, **P)
    # facebook: o3 + o4b + o10b = 1800, refund r4b 500; no channel: only r10a's 100 out
    assert ch["facebook"]["revenue_net"] == Decimal("1300")
    assert ch[None]["revenue_gross"] == Decimal("0")
    assert ch[None]["revenue_net"] == Decimal("-100")


def test_compare_previous(traffic: Any) -> None:
    row = traffic.total(CASH, where={"currency": "TWD"}, compare="previous", **P)
    # previous 5/07..5/09: o20 600, no refund
    assert row["revenue_gross__previous"] == Decimal("600")
    assert row["revenue_gross__change"] == Decimal("2100")
    assert row["revenue_net__previous"] == Decimal("600")
    assert row["revenue_net__change_pct"] == pytest.approx(1500 / 600)


def test_warsaw_local_days_around_dst(traffic: Any) -> None:
    # 3/29: wo1 23:30+02 (120) and wo2 3/28 23:30Z = 3/29 00:30+01 (80); wo3 22:30Z is
    # 3/30 00:30 local
    row = traffic.total(CASH, shop="waw_shop", date_from="2026-03-29", date_to="2026-03-29")
    assert row["revenue_gross"] == Decimal("200")
    assert row["revenue_net"] == Decimal("200")
    assert row["currency"] == "PLN"


def test_empty_period(traffic: Any) -> None:
    row = traffic.total(CASH, shop="tp_shop", date_from="2026-06-01", date_to="2026-06-02")
    assert row["revenue_gross"] == Decimal("0")
    assert row["revenue_net"] == Decimal("0")
    assert row["currency"] == "TWD"  # the shop's


def test_cli_query_by_dimension(tmp_path: Path) -> None:
    """The same numbers through `socialscope query` (on its own store: the CLI opens it)."""
    _register()
    db = tmp_path / "cli.duckdb"
    with socialscope.connect(db) as client:
        client.ingest([SEEDS / "traffic"])
    result = CliRunner().invoke(
        app,
        [
            "--db",
            str(db),
            "query",
            "conversion_rate,revenue_net",
            "--shop",
            "tp_shop",
            "--from",
            "2026-05-10",
            "--to",
            "2026-05-12",
            "--by",
            "channel",
            "--where",
            "currency=TWD",
            "--format",
            "json",
        ],
    )
    assert result.exit_code != 0  # conversion_rate has no currency dimension
    result = CliRunner().invoke(
        app,
        [
            "--db",
            str(db),
            "query",
            "conversion_rate,click_users",
            "--shop",
            "tp_shop",
            "--from",
            "2026-05-10",
            "--to",
            "2026-05-12",
            "--by",
            "channel",
            "--param",
            "conversion_window_d=1",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {r["channel"]: r for r in json.loads(result.stdout)}
    # 1 day: facebook v3 (26 h) no longer converts -> 0 / 4; line v6 (14 h) -> 1 / 1
    assert rows["facebook"]["click_users"] == 4
    assert rows["facebook"]["conversion_rate"] == 0.0
    assert rows["line"]["conversion_rate"] == 1.0
    # instagram: v1 from 5/11 09:00, p1 7 days later: outside 1 day
    assert rows["instagram"]["conversion_rate"] == 0.0
