"""Oracle tests for purchase keywords (issue 4 item 4): `socialscope.keywords` and the
derived table d_comment_intents.

Every expected value here was worked out by hand from the rules in the keywords module
docstring (reasoning next to each case); none was produced by running socialscope.
Comments are imported through the real loader (`ingest_arrow`), so the change tracking
that drives the incremental refresh is exercised too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from socialscope.client import Client, connect

SHOP = "s"
POST = "104857600123456_1029384756102938"

# Manifest case fb_feed_plus1_comments (shared/webhooks/manifest.json): five comments on
# one Facebook post, in order: (comment id, author id, text).
FB_PLUS1 = (
    ("1111111111111111", "24019283746501234", "+1"),
    ("1111111111111112", "24019283746501235", "＋1 黑M"),
    ("1111111111111113", "24019283746501236", "+2 白色S"),
    ("1111111111111114", "24019283746501237", "請問運費多少？"),
    ("1111111111111115", "24019283746501234", "+1"),
)

INTENT_COLUMNS = "event_id, is_purchase_intent, purchase_quantity, purchase_variant"


def comment(
    event_id: str,
    text: str | None,
    *,
    customer: str = "u1",
    post: str = POST,
    author: str = "customer",
    minute: int = 0,
    deleted: bool | None = None,
    updated: int | None = None,
) -> dict[str, Any]:
    """One comments row (all values as text: the loader types them)."""
    return {
        "event_id": event_id,
        "channel": "facebook",
        "post_id": post,
        "comment_id": event_id,
        "customer_id": customer,
        "author": author,
        "ts": f"2025-07-12T10:{minute:02d}:00Z",
        "text": text,
        "deleted": None if deleted is None else str(deleted).lower(),
        "updated_at": None if updated is None else f"2025-07-13T00:{updated:02d}:00Z",
    }


def to_arrow(rows: Sequence[Mapping[str, Any]], shop: str = SHOP) -> pa.Table:
    cols = sorted({c for r in rows for c in r})
    data = {"shop_id": pa.array([shop] * len(rows), pa.string())}
    for c in cols:
        data[c] = pa.array([None if r.get(c) is None else str(r[c]) for r in rows], pa.string())
    return pa.table(data)


def load(client: Client, rows: Sequence[Mapping[str, Any]], shop: str = SHOP) -> None:
    client.ingest_arrow({"comments": to_arrow(rows, shop)})


def intents(client: Client, shop: str = SHOP) -> dict[str, tuple[bool, int | None, str | None]]:
    """event_id -> (is_purchase_intent, purchase_quantity, purchase_variant)."""
    rows = client.store.con.execute(
        f"SELECT {INTENT_COLUMNS} FROM d_comment_intents WHERE shop_id = ?", [shop]
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def table_rows(client: Client) -> list[str]:
    """Every row of d_comment_intents, order-free (for comparing with a full rebuild)."""
    rows = client.store.con.execute("SELECT * FROM d_comment_intents").fetchall()
    return sorted(map(repr, rows))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Client]:
    with connect(tmp_path / "kw.duckdb") as c:
        shops = [
            {"shop_id": SHOP, "timezone": "Asia/Taipei", "currency": "TWD"},
            {"shop_id": "t", "timezone": "UTC", "currency": "TWD"},
        ]
        c.ingest_arrow({"shops": pa.Table.from_pylist(shops)})
        yield c
