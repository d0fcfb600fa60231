"""Inquiry / silent orders on seeds/conversion, expected values derived by hand.

conv_shop is Asia/Taipei (+08:00); every time below is local. Customer messages (sender
customer, kind message) that matter for the orders:
  a1 cust_a 5/7 10:00:00   b1 cust_b 5/7 09:59:59   d1 U_dan (LINE, = cust_dan) 5/10 09:00
  f1 cust_f 5/11 09:30     h1 cust_h 5/12 20:00     cust_p only got an agent message (5/11 08:00)
Orders created 5/10-5/12 (period P = 2026-05-10..2026-05-12):
  oA1 cust_a 5/10 10:00 TWD 100   paid   message_center line  a1 exactly 72 h before
  oB1 cust_b 5/10 10:00 TWD 200   unpaid web                  b1 72 h + 1 s before
  oC1 cust_c 5/10 14:00 TWD 300   paid   message_center line  conversation_id conv_x, no message
  oD1 cust_dan 5/10 12:00 USD 50  paid   message_center line  d1 3 h before (identity), refunded
  oE1 cust_e 5/11 10:00 TWD 400   paid   web  no message (partial refund)
  oE2 cust_e 5/11 11:00 TWD 999   CANCELLED  -> never an order
  oF1 cust_f 5/11 09:00 USD 20    unpaid web  f1 comes 30 min AFTER the order
  oP1 cust_p 5/11 12:00 TWD 60    paid   web  only an agent message before (not a customer one)
  oH1 cust_h 5/12 21:00 TWD 150   unpaid message_center line  h1 1 h before
  oH2 cust_h 5/12 21:10 TWD 150   paid then CANCELLED -> never an order
  oI1 cust_i 5/10 11:30 TWD 250   paid then CANCELLED -> never an order
  (oG1 5/14, oJ1 5/13, oK1 5/13 are after the period.)

Window 72 h (default), orders in P: oA1 oB1 oC1 oD1 oE1 oF1 oP1 oH1 = 8
  inquiry: oA1 (boundary inclusive) oC1 (conversation_id) oD1 (LINE identity) oH1 = 4
           TWD 100+300+150 = 550, USD 50.00
  silent:  oB1 (just past) oE1 oF1 (message after) oP1 (agent message only) = 4
           TWD 200+400+60 = 660, USD 20.00
  silent unpaid: oB1, oF1 = 2; share 4/8
Window 24 h: oA1 becomes silent (a1 is 72 h before), the others keep their class:
  inquiry oC1 oD1 oH1 = 3 (TWD 450, USD 50); silent 5 (TWD 760, USD 20); share 5/8
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from socialscope.metrics.query import QueryError

P = {"shop": "conv_shop", "date_from": "2026-05-10", "date_to": "2026-05-12"}
ORDER_METRICS = [
    "inquiry_orders",
    "inquiry_order_amount",
    "silent_orders",
    "silent_order_amount",
    "silent_unpaid_orders",
    "silent_order_share",
    "order_count",
]


def test_seed_imports_cleanly(conv: Any) -> None:
    q = getattr(conv.report, "quarantined", None)
    if isinstance(q, dict):
        q = sum(q.values())
    assert q in (0, None), conv.report


def test_counts_and_share_over_the_period(conv: Any) -> None:
    row = conv.total(
        [
            "inquiry_orders",
            "silent_orders",
            "silent_unpaid_orders",
            "silent_order_share",
            "order_count",
        ],
        **P,
    )
    assert row["order_count"] == 8  # cancelled oE2, oH2, oI1 excluded
    assert row["inquiry_orders"] == 4  # oA1 oC1 oD1 oH1
    assert isinstance(row["inquiry_orders"], int)
    assert row["silent_orders"] == 4  # oB1 oE1 oF1 oP1
    assert row["silent_unpaid_orders"] == 2  # oB1 oF1
    assert row["silent_order_share"] == pytest.approx(4 / 8)
    assert isinstance(row["silent_order_share"], float)


def test_amounts_per_currency(conv: Any) -> None:
    idx = conv.index(ORDER_METRICS, ["currency"], **P)
    twd, usd = idx["TWD"], idx["USD"]
    assert twd["inquiry_orders"] == 3  # oA1 oC1 oH1
    assert twd["inquiry_order_amount"] == Decimal("550")  # 100 + 300 + 150
    assert isinstance(twd["inquiry_order_amount"], Decimal)
    assert twd["silent_orders"] == 3  # oB1 oE1 oP1
    assert twd["silent_order_amount"] == Decimal("660")  # 200 + 400 + 60 (refund ignored)
    assert twd["silent_unpaid_orders"] == 1  # oB1
    assert twd["silent_order_share"] == pytest.approx(3 / 6)
    assert usd["inquiry_orders"] == 1  # oD1 (fully refunded: still an order of 50.00)
    assert usd["inquiry_order_amount"] == Decimal("50.00")
    assert usd["silent_orders"] == 1  # oF1
    assert usd["silent_order_amount"] == Decimal("20.00")
    assert usd["silent_unpaid_orders"] == 1  # oF1
    assert usd["silent_order_share"] == pytest.approx(1 / 2)


def test_amounts_never_add_currencies(conv: Any) -> None:
    # TWD and USD orders in the slice: summing them is refused
    with pytest.raises(QueryError, match="currenc"):
        conv.rows(["silent_order_amount"], **P)
    one = conv.total(["inquiry_order_amount"], where={"currency": "USD"}, **P)
    assert one["inquiry_order_amount"] == Decimal("50.00")
    assert one["currency"] == "USD"


def test_by_source_and_channel(conv: Any) -> None:
    idx = conv.index(
        ["silent_orders", "silent_order_share", "silent_unpaid_orders", "inquiry_orders"],
        ["source"],
        **P,
    )
    # message_center: oA1 oC1 oD1 oH1, all inquiry
    assert idx["message_center"]["inquiry_orders"] == 4
    assert idx["message_center"]["silent_orders"] == 0
    assert idx["message_center"]["silent_order_share"] == 0.0
    # web: oB1 oE1 oF1 oP1, all silent; unpaid oB1 oF1
    assert idx["web"]["silent_orders"] == 4
    assert idx["web"]["silent_order_share"] == 1.0
    assert idx["web"]["silent_unpaid_orders"] == 2
    ch = conv.index(["inquiry_orders", "silent_orders"], ["channel"], **P)
    assert ch["line"]["inquiry_orders"] == 4 and ch["line"]["silent_orders"] == 0
    assert ch[None]["inquiry_orders"] == 0 and ch[None]["silent_orders"] == 4  # web: no channel


def test_dated_by_created_at_local(conv: Any) -> None:
    idx = conv.index(["inquiry_orders", "silent_orders"], ["date"], **P)
    # 5/10: oA1 oC1 oD1 inquiry, oB1 silent; 5/11: oE1 oF1 oP1 silent; 5/12: oH1 inquiry
    assert [idx[date(2026, 5, d)]["inquiry_orders"] for d in (10, 11, 12)] == [3, 0, 1]
    assert [idx[date(2026, 5, d)]["silent_orders"] for d in (10, 11, 12)] == [1, 3, 0]


def test_window_boundary_exactly_and_just_past(conv: Any) -> None:
    # oA1 (a1 exactly 72 h before) vs oB1 (72 h + 1 s): both on 5/10 in TWD, source split
    day = {"shop": "conv_shop", "date_from": "2026-05-10", "date_to": "2026-05-10"}
    idx = conv.index(
        ["inquiry_orders", "silent_orders"], ["source"], where={"currency": "TWD"}, **day
    )
    assert idx["message_center"]["inquiry_orders"] == 2  # oA1 (boundary) + oC1
    assert idx["web"]["silent_orders"] == 1  # oB1 just past the window


def test_window_parameter_24h(conv: Any) -> None:
    params = {"inquiry_window_h": 24}
    row = conv.total(
        ["inquiry_orders", "silent_orders", "silent_order_share", "silent_unpaid_orders"],
        params=params,
        **P,
    )
    assert row["inquiry_orders"] == 3  # oC1 oD1 oH1; oA1's message is 72 h before
    assert row["silent_orders"] == 5  # + oA1
    assert row["silent_order_share"] == pytest.approx(5 / 8)
    assert row["silent_unpaid_orders"] == 2  # oA1 is paid: still oB1 oF1
    idx = conv.index(
        ["inquiry_order_amount", "silent_order_amount"], ["currency"], params=params, **P
    )
    assert idx["TWD"]["inquiry_order_amount"] == Decimal("450")  # 300 + 150
    assert idx["TWD"]["silent_order_amount"] == Decimal("760")  # 100 + 200 + 400 + 60
    assert idx["USD"]["inquiry_order_amount"] == Decimal("50.00")
    assert idx["USD"]["silent_order_amount"] == Decimal("20.00")
    src = conv.index(["silent_order_share"], ["source"], params=params, **P)
    assert src["message_center"]["silent_order_share"] == pytest.approx(1 / 4)  # oA1 of 4
    # given as text (CLI style) it is parsed the same way
    text = conv.total(["silent_orders"], params={"inquiry_window_h": "24"}, **P)
    assert text["silent_orders"] == 5


def test_bad_window_parameter(conv: Any) -> None:
    with pytest.raises(QueryError, match="inquiry_window_h"):
        conv.rows(["silent_orders"], params={"inquiry_window_h": "-3"}, **P)


def test_empty_period_gives_zero_and_null(conv: Any) -> None:
    row = conv.total(
        ["inquiry_orders", "silent_orders", "silent_order_share", "silent_unpaid_orders"],
        shop="conv_shop",
        date_from="2026-06-01",
        date_to="2026-06-02",
    )
    assert row["inquiry_orders"] == 0
    assert row["silent_orders"] == 0
    assert row["silent_unpaid_orders"] == 0
    assert row["silent_order_share"] is None  # 0 / 0
