"""Drill-down rows re-aggregated in Python equal the metrics (property-based).

Each example is a new shop in one store (so compiled statements are reused): random
conversations — customers, agents, bots, handoffs, closes, equal timestamps, gaps around
the 3-minute threshold and across service hours, given and engine-assigned conversation
ids — plus a few orders and csat ratings. Counting / averaging the rows of
`client.conversations(...)` and `client.orders(...)` must give `client.query(...)`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscope.client import Client, connect
from socialscope.ingest.loader import ingest_arrow

TZ_OFFSET = timedelta(hours=8)  # shops in Asia/Taipei: local = UTC + 8 h
BASE = datetime(2026, 5, 4)  # local midnight of the first day
GAPS = (0, 0, 5, 60, 179, 180, 181, 600, 3600, 5 * 3600)
FULL: dict[str, Any] = {"date_from": "2026-04-01", "date_to": "2026-06-30"}
_SHOPS = itertools.count()

event_st = st.tuples(
    st.sampled_from(
        [
            ("customer", "message"),
            ("customer", "message"),
            ("customer", "message"),
            ("agent", "message"),
            ("agent", "message"),
            ("bot", "message"),
            ("system", "handoff"),
            ("system", "close"),
        ]
    ),
    st.sampled_from(GAPS),
    st.sampled_from(["a1", "a2"]),
)
conversation_st = st.fixed_dictionaries(
    {
        "channel": st.sampled_from(["line", "facebook"]),
        "customer": st.sampled_from(["u1", "u2", "u3"]),
        "given_id": st.booleans(),
        "start_min": st.integers(0, 3 * 24 * 60 - 1),  # minutes after BASE (local)
        "events": st.lists(event_st, min_size=1, max_size=7),
    }
)
order_st = st.fixed_dictionaries(
    {
        "customer": st.sampled_from(["u1", "u2", "u3", None]),
        "at_min": st.integers(0, 4 * 24 * 60),
        "amount": st.sampled_from([Decimal("0"), Decimal("10.5"), Decimal("99"), Decimal("120")]),
        "currency": st.sampled_from(["TWD", "TWD", "USD"]),
        "paid": st.booleans(),
        "cancelled": st.sampled_from([False, False, True]),
        "conv": st.one_of(st.none(), st.integers(0, 5)),
        "source": st.sampled_from(["message_center", "web"]),
    }
)
rating_st = st.fixed_dictionaries(
    {"conv": st.integers(0, 5), "score": st.integers(1, 5), "at_min": st.integers(0, 4 * 1440)}
)
case_st = st.fixed_dictionaries(
    {
        "hours": st.sampled_from(["", "08:00-23:00", "20:00-02:00", "00:00-00:00", "09:30-18:00"]),
        "conversations": st.lists(conversation_st, min_size=1, max_size=6),
        "orders": st.lists(order_st, max_size=4),
        "ratings": st.lists(rating_st, max_size=3),
        "period": st.tuples(st.integers(0, 4), st.integers(0, 4)),
    }
)


def _utc(local: datetime) -> str:
    return (local - TZ_OFFSET).isoformat() + "+00:00"


def _load(client: Client, case: dict[str, Any]) -> str:
    shop = f"p{next(_SHOPS)}"
    messages: list[dict[str, Any]] = []
    conv_ids = []
    for i, conv in enumerate(case["conversations"]):
        conv_id = f"c{i}" if conv["given_id"] else ""
        conv_ids.append(f"c{i}")
        ts = BASE + timedelta(minutes=conv["start_min"])
        for j, ((sender, kind), gap, staff) in enumerate(conv["events"]):
            ts += timedelta(seconds=gap if j else 0)
            messages.append(
                {
                    "shop_id": shop,
                    "event_id": f"e{i}-{j}",
                    "channel": conv["channel"],
                    "conversation_id": conv_id,
                    "customer_id": conv["customer"],
                    "ts": _utc(ts),
                    "sender": sender,
                    "staff_id": staff if sender == "agent" else None,
                    "kind": kind,
                }
            )
    orders = [
        {
            "shop_id": shop,
            "order_id": f"o{k}",
            "customer_id": o["customer"],
            "created_at": _utc(BASE + timedelta(minutes=o["at_min"])),
            "paid_at": _utc(BASE + timedelta(minutes=o["at_min"] + 5)) if o["paid"] else None,
            "cancelled_at": (
                _utc(BASE + timedelta(minutes=o["at_min"] + 9)) if o["cancelled"] else None
            ),
            "currency": o["currency"],
            "amount": str(o["amount"]),
            "source": o["source"],
            "conversation_id": (
                conv_ids[o["conv"]] if o["conv"] is not None and o["conv"] < len(conv_ids) else None
            ),
        }
        for k, o in enumerate(case["orders"])
    ]
    ratings = [
        {
            "shop_id": shop,
            "rating_id": f"r{k}",
            "kind": "csat",
            "ts": _utc(BASE + timedelta(minutes=r["at_min"])),
            "score": r["score"],
            "conversation_id": f"c{r['conv']}",
        }
        for k, r in enumerate(case["ratings"])
    ]
    tables: dict[str, Any] = {
        "shops": pa.Table.from_pylist(
            [
                {
                    "shop_id": shop,
                    "timezone": "Asia/Taipei",
                    "currency": "TWD",
                    "service_hours": case["hours"] or None,
                }
            ]
        ),
        "messages": pa.Table.from_pylist(messages),
    }
    if orders:
        tables["orders"] = pa.Table.from_pylist(orders)
    if ratings:
        tables["ratings"] = pa.Table.from_pylist(ratings)
    # the importer's own path; only the runner's shop list is reset, so statements the
    # engine compiled for earlier examples stay cached (a client.ingest_arrow would drop
    # them, and recompiling costs seconds per example)
    ingest_arrow(client.store, tables, source="hypothesis")
    client.runner.invalidate()
    return shop


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with connect(":memory:") as c:
        yield c


def _one(client: Client, metrics: list[str], **kw: Any) -> dict[str, Any]:
    rows = client.query(metrics, **kw).rows
    assert len(rows) == 1, rows
    return dict(rows[0])


def _mean(values: list[Any]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-6


def _check_conversations(client: Client, shop: str, full: bool, **period: Any) -> None:
    rows = client.conversations(shop=shop, **period).rows
    names = [
        "conversations",
        "human_conversations",
        "unreplied_conversations",
        "first_response_time_avg",
    ]
    if full:  # round- and first-eligible-round-dated metrics: every date in range
        names += [
            "unanswered_rounds",
            "three_minute_eligible_conversations",
            "three_minute_good_conversations",
        ]
    m = _one(client, names, shop=shop, **period)
    assert m["conversations"] == len(rows)
    assert m["human_conversations"] == sum(r["is_human"] for r in rows)
    assert m["unreplied_conversations"] == sum(r["unreplied"] for r in rows)
    assert _close(m["first_response_time_avg"], _mean([r["first_response_s"] for r in rows]))
    for r in rows:
        assert (r["three_minute"] == "failed") == (r["three_minute_failed_round"] is not None)
        assert (r["three_minute"] == "not_eligible") == (r["three_minute_date"] is None)
        assert r["unreplied"] <= r["is_human"]
    if full:
        assert m["unanswered_rounds"] == sum(r["unanswered_rounds"] for r in rows)
        eligible = [r for r in rows if r["three_minute"] != "not_eligible"]
        assert m["three_minute_eligible_conversations"] == len(eligible)
        good = [r for r in rows if r["three_minute"] == "good"]
        assert m["three_minute_good_conversations"] == len(good)


def _check_orders(client: Client, shop: str, **period: Any) -> None:
    rows = client.orders(shop=shop, **period).rows
    live = [r for r in rows if not r["cancelled"]]
    m = _one(client, ["order_count", "inquiry_orders", "silent_orders"], shop=shop, **period)
    assert m["order_count"] == len(live)
    assert m["inquiry_orders"] == sum(r["order_type"] == "inquiry" for r in live)
    assert m["silent_orders"] == sum(r["order_type"] == "silent" for r in live)
    by_currency = client.query("sales_amount", by="currency", shop=shop, **period).rows
    got = {r["currency"]: r["sales_amount"] for r in by_currency if r["sales_amount"]}
    want: dict[str, Decimal] = {}
    for r in live:
        want[r["currency"]] = want.get(r["currency"], Decimal(0)) + r["amount"]
    assert got == {k: v for k, v in want.items() if v}


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=case_st)
def test_rows_reaggregate_to_the_metrics(client: Client, case: dict[str, Any]) -> None:
    shop = _load(client, case)
    _check_conversations(client, shop, True, **FULL)
    _check_orders(client, shop, **FULL)
    lo, hi = sorted(case["period"])
    period: dict[str, Any] = {
        "date_from": (BASE + timedelta(days=lo)).date().isoformat(),
        "date_to": (BASE + timedelta(days=hi)).date().isoformat(),
    }
    _check_conversations(client, shop, False, **period)
    _check_orders(client, shop, **period)
    # a filter on the rows equals the metric's filter
    line = client.conversations(shop=shop, where={"channel": "line"}, **FULL).rows
    m = _one(client, ["conversations"], shop=shop, where={"channel": "line"}, **FULL)
    assert m["conversations"] == len(line)
    failed = client.conversations(shop=shop, where={"three_minute": "failed"}, **FULL).rows
    m = _one(
        client,
        ["three_minute_eligible_conversations", "three_minute_good_conversations"],
        shop=shop,
        **FULL,
    )
    assert len(failed) == (
        m["three_minute_eligible_conversations"] - m["three_minute_good_conversations"]
    )
