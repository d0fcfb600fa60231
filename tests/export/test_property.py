"""Property: any sequence of imports, shop deletions and exports leaves a directory whose
tables equal the store's, and an export right after another rewrites nothing."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscope.client import connect
from socialscope.export import read_manifest, verify
from socialscope.store.maintenance import delete_shops
from tests.export.conftest import assert_export_equals_store

SHOPS = {"s/1": "Asia/Taipei", "s=2": "America/New_York"}
BASE = datetime(2026, 1, 25, tzinfo=UTC)

orders = st.builds(
    lambda shop, n, day, minute, cents: {
        "shop_id": shop,
        "order_id": f"o{n}",
        "created_at": (BASE + timedelta(days=day, minutes=minute)).isoformat(),
        "currency": "USD",
        "amount": f"{cents / 100:.2f}",
        "source": "web",
    },
    st.sampled_from(sorted(SHOPS)),
    st.integers(1, 6),
    st.integers(0, 45),  # crosses the January/February/March month ends
    st.integers(0, 1439),
    st.integers(0, 99_999),
)
messages = st.builds(
    lambda shop, n, day, sender: {
        "shop_id": shop,
        "event_id": f"e{n}",
        "channel": "line",
        "customer_id": "u1",
        "ts": (BASE + timedelta(days=day, hours=n)).isoformat(),
        "sender": sender,
        "staff_id": "a1" if sender == "agent" else None,
    },
    st.sampled_from(sorted(SHOPS)),
    st.integers(1, 6),
    st.integers(0, 45),
    st.sampled_from(["customer", "agent"]),
)
step = st.one_of(
    st.tuples(st.just("ingest"), st.lists(orders, max_size=4), st.lists(messages, max_size=4)),
    st.tuples(st.just("delete"), st.sampled_from(sorted(SHOPS))),
    st.tuples(st.just("export")),
)


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=st.lists(step, min_size=1, max_size=4))
def test_export_after_any_history_equals_store(steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export"
        shops = _table([{"shop_id": s, "timezone": tz} for s, tz in SHOPS.items()])
        with connect(Path(tmp) / "p.duckdb") as client:
            client.ingest_arrow({"shops": shops})
            version = 0
            for action in [*steps, ("export",)]:
                if action[0] == "ingest":
                    version += 1
                    stamp = (BASE + timedelta(days=60, minutes=version)).isoformat()
                    batch: dict[str, pa.Table] = {}
                    if action[1]:  # a later import of the same order replaces it
                        batch["orders"] = _table([{**o, "updated_at": stamp} for o in action[1]])
                    if action[2]:
                        batch["messages"] = _table(action[2])
                    if batch:
                        client.ingest_arrow(batch)
                elif action[0] == "delete":
                    delete_shops(client.store, [action[1]])
                    client.invalidate()
                else:
                    client.export_parquet(out)
                    assert_export_equals_store(client, out)
                    assert verify(out).ok
            again = client.export_parquet(out)
            assert again.written == [] and again.removed == []
            on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*.parquet")}
            assert on_disk == read_manifest(out).files()
