"""Refreshing below the shop level after an import equals a full rebuild (property-based).

Imports go through the real loader (`ingest_arrow`), so the change tracking of merge and
loader is exercised too: several imports into one shop touching overlapping and disjoint
threads, messages moved between threads, given conversation ids spanning threads,
identities added and re-mapped later, orders linked to given and assigned conversations,
refunds and comments added later.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscope.client import connect
from socialscope.ingest.loader import ingest_arrow
from socialscope.store import derive
from socialscope.store.derive import DERIVED_ORDER, refresh
from socialscope.store.duckdb import Store

BASE = datetime(2026, 3, 1, 8, 0, 0)
CHANNELS = ("line", "facebook")
USERS = ("u1", "u2", "u3")
EVENTS = tuple(f"e{i}" for i in range(14))
ORDERS = ("o0", "o1", "o2")
CONVS = (None, None, None, "C1", "C2")
ORDER_CONVS = (None, "C1", "C2", "auto:e0", "auto:e1", "auto:e3", "auto:e6")
GAPS = (0, 1, 3, 45, 60 * 20, 60 * 30)


def _ts(minutes: int) -> str:
    return (BASE + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S")


@st.composite
def message(draw: st.DrawFn) -> dict[str, Any]:
    sender = draw(st.sampled_from(("customer", "customer", "agent", "bot", "system")))
    kind = draw(st.sampled_from(("message", "handoff", "close"))) if sender == "system" else None
    return {
        "event_id": draw(st.sampled_from(EVENTS)),  # repeats replace earlier rows
        "channel": draw(st.sampled_from(CHANNELS)),
        "customer_id": draw(st.sampled_from(USERS)),
        "conversation_id": draw(st.sampled_from(CONVS)),
        "ts": _ts(sum(draw(st.lists(st.sampled_from(GAPS), min_size=1, max_size=4)))),
        "sender": sender,
        "staff_id": draw(st.sampled_from(("amy", "bob"))) if sender == "agent" else None,
        "kind": kind,
    }


@st.composite
def batch(draw: st.DrawFn, step: int) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    out["messages"] = draw(st.lists(message(), max_size=8))
    if draw(st.booleans()):
        out["identities"] = [
            {
                "channel": draw(st.sampled_from(CHANNELS)),
                "channel_user_id": draw(st.sampled_from(USERS)),
                "customer_id": draw(st.sampled_from(("p1", "p2"))),
            }
            for _ in range(draw(st.integers(1, 2)))
        ]
    if draw(st.booleans()):
        out["comments"] = [
            {
                "event_id": draw(st.sampled_from(("c0", "c1", "c2"))),
                "channel": draw(st.sampled_from(CHANNELS)),
                "post_id": "post",
                "comment_id": f"k{step}",
                "customer_id": draw(st.sampled_from(USERS)),
                "author": draw(st.sampled_from(("customer", "customer", "page"))),
                "ts": _ts(draw(st.integers(0, 3000))),
                "deleted": draw(st.sampled_from((None, "false", "true"))),
            }
        ]
    if draw(st.booleans()):
        out["orders"] = [
            {
                "order_id": draw(st.sampled_from(ORDERS)),
                "created_at": _ts(draw(st.integers(0, 4000))),
                "updated_at": _ts(10_000 + step),  # a later import replaces the order
                "currency": "TWD",
                "amount": "100",
                "source": "message_center",
                "staff_id": draw(st.sampled_from((None, None, "cho"))),
                "conversation_id": draw(st.sampled_from(ORDER_CONVS)),
            }
        ]
    if draw(st.booleans()):
        out["refunds"] = [
            {
                "refund_id": draw(st.sampled_from(("r0", "r1"))),
                "order_id": draw(st.sampled_from(ORDERS)),
                "ts": _ts(5000),
                "amount": str(draw(st.integers(1, 30))),
            }
        ]
    return {name: rows for name, rows in out.items() if rows}


@st.composite
def imports(draw: st.DrawFn) -> list[dict[str, list[dict[str, Any]]]]:
    return [draw(batch(step)) for step in range(draw(st.integers(2, 5)))]


def _arrow(rows: list[dict[str, Any]], shop: str) -> pa.Table:
    cols = sorted({c for r in rows for c in r})
    data = {"shop_id": pa.array([shop] * len(rows), pa.string())}
    for c in cols:
        data[c] = pa.array([None if r.get(c) is None else str(r[c]) for r in rows], pa.string())
    return pa.table(data)


def _derived(store: Store) -> dict[str, list[str]]:
    return {
        name: sorted(map(repr, store.con.execute(f'SELECT * FROM "{name}"').fetchall()))
        for name in DERIVED_ORDER
    }


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("incremental")


@pytest.fixture
def whole_rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The shops each refresh_changes call rebuilt whole."""
    calls: list[set[str]] = []
    real = derive.refresh_changes

    def spy(store: Store, changes: Any, shops: Any = ()) -> set[str]:
        whole = real(store, changes, shops)
        calls.append(set(whole))
        return whole

    monkeypatch.setattr(derive, "refresh_changes", spy)
    return calls


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=imports(), other=imports(), share=st.sampled_from((math.inf, math.inf, 0.2)))
def test_thread_level_refresh_equals_full_rebuild(
    store_dir: Path,
    whole_rebuilds: list[set[str]],
    steps: list[dict[str, list[dict[str, Any]]]],
    other: list[dict[str, list[dict[str, Any]]]],
    share: float,
) -> None:
    path = store_dir / "inc.duckdb"
    path.unlink(missing_ok=True)
    whole_rebuilds.clear()
    old_share = derive.FALLBACK_SHARE
    derive.FALLBACK_SHARE = share
    try:
        with connect(path) as client:
            store = client.store
            shops = [{"shop_id": s, "timezone": "Asia/Taipei"} for s in ("s", "t")]
            ingest_arrow(store, {"shops": _arrow(shops, "")})
            for shop, sequence in (("s", steps), ("t", other[:1]), ("s", other)):
                for tables in sequence:
                    ingest_arrow(store, {n: _arrow(rows, shop) for n, rows in tables.items()})
                    incremental = _derived(store)
                    refresh(store)
                    assert _derived(store) == incremental
    finally:
        derive.FALLBACK_SHARE = old_share
    if share == math.inf:  # never rebuilt whole after the shops import
        assert all(not whole for whole in whole_rebuilds[1:])


def test_fallback_rebuilds_a_shop_whose_threads_mostly_changed(
    tmp_path: Path, whole_rebuilds: list[set[str]]
) -> None:
    with connect(tmp_path / "f.duckdb") as client:
        store = client.store
        msgs = [
            {"event_id": f"e{i}", "channel": "line", "customer_id": f"u{i}", "ts": _ts(i)}
            for i in range(10)
        ]
        for m in msgs:
            m["sender"] = "customer"
        ingest_arrow(store, {"messages": _arrow(msgs[:9], "s")})  # new shop: whole
        ingest_arrow(store, {"messages": _arrow(msgs[9:], "s")})  # 1 thread of 10: scoped
        moved = [dict(m, customer_id="u0") for m in msgs[:5]]
        ingest_arrow(store, {"messages": _arrow(moved, "s")})  # 5 of 10 threads: whole
        assert whole_rebuilds == [{"s"}, set(), {"s"}]
        incremental = _derived(store)
        refresh(store)
        assert _derived(store) == incremental
