"""The demo generator honours the import contract and is internally consistent."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from socialscope.contract.tables import TABLES, ColType
from socialscope.demo.generate import DemoConfig, generate_demo

# A window with Warsaw's spring DST change (2026-03-29) in it.
SMALL = DemoConfig(seed=3, days=14, end_date=date(2026, 3, 31))
ARROW_TYPES = {
    ColType.STRING: pa.string(),
    ColType.TIMESTAMP: pa.timestamp("us", tz="UTC"),
    ColType.DATE: pa.date32(),
    ColType.MONEY: pa.decimal128(18, 4),
    ColType.INTEGER: pa.int64(),
    ColType.NUMBER: pa.float64(),
    ColType.BOOLEAN: pa.bool_(),
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return generate_demo(SMALL)


def rows(t: pa.Table, *cols: str) -> list[tuple[Any, ...]]:
    return list(zip(*(t.column(c).to_pylist() for c in cols), strict=True))


def test_same_config_same_bytes_other_seed_differs(tables: dict[str, pa.Table]) -> None:
    again = generate_demo(SMALL)
    assert all(again[name].equals(tables[name]) for name in TABLES)
    other = generate_demo(DemoConfig(seed=4, days=14, end_date=SMALL.end_date))
    assert not other["messages"].equals(tables["messages"])
    assert not other["orders"].equals(tables["orders"])


def test_every_table_has_exactly_the_contract_columns_and_types(
    tables: dict[str, pa.Table],
) -> None:
    assert list(tables) == list(TABLES)
    for name, spec in TABLES.items():
        t = tables[name]
        assert t.num_rows > 0, name
        assert tuple(t.column_names) == spec.column_names, name
        for col in spec.columns:
            assert t.schema.field(col.name).type == ARROW_TYPES[col.type], (name, col.name)


def test_required_values_enums_and_bounds(tables: dict[str, pa.Table]) -> None:
    for name, spec in TABLES.items():
        t = tables[name]
        for col in spec.columns:
            arr = t.column(col.name)
            if col.required:
                assert arr.null_count == 0, (name, col.name)
            if col.enum is not None:
                seen = set(pc.unique(arr).to_pylist()) - {None}
                assert seen <= set(col.allowed), (name, col.name, seen - set(col.allowed))
            if col.minimum is not None and arr.null_count < len(arr):
                assert float(pc.min(arr).as_py()) >= col.minimum, (name, col.name)
            if col.maximum is not None:
                assert float(pc.max(arr).as_py()) <= col.maximum, (name, col.name)
        for column, when, value in spec.conditional_required:
            for v, w in rows(t, column, when):
                assert w != value or v not in (None, ""), (name, column)


def test_keys_are_unique(tables: dict[str, pa.Table]) -> None:
    for name, spec in TABLES.items():
        keys = rows(tables[name], *spec.key)
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        assert not dupes, (name, dupes[:3])


def test_three_shops_in_distinct_zones_and_currencies(tables: dict[str, pa.Table]) -> None:
    shops = tables["shops"]
    assert shops.num_rows == 3
    assert len(set(shops.column("timezone").to_pylist())) == 3
    assert len(set(shops.column("currency").to_pylist())) == 3
    for name in TABLES:
        assert set(tables[name].column("shop_id").to_pylist()) == set(
            shops.column("shop_id").to_pylist()
        ), name


def test_orders_items_and_refunds_agree(tables: dict[str, pa.Table]) -> None:
    orders = {
        (s, o): r
        for s, o, *r in rows(
            tables["orders"],
            "shop_id",
            "order_id",
            "amount",
            "shipping_amount",
            "discount_amount",
            "paid_at",
            "created_at",
            "cancelled_at",
            "status",
        )
    }
    items: dict[tuple[object, object], Decimal] = {}
    for s, o, q, unit, amt in rows(
        tables["order_items"], "shop_id", "order_id", "quantity", "unit_price", "amount"
    ):
        assert (s, o) in orders
        assert isinstance(unit, Decimal) and isinstance(q, int) and q >= 1
        assert amt == unit * q
        items[(s, o)] = items.get((s, o), Decimal(0)) + amt
    for key, (amount, ship, disc, paid, created, cancelled, status) in orders.items():
        assert amount == items[key] + ship - disc, key
        assert paid is None or paid >= created
        assert cancelled is None or cancelled >= created
        assert (status == "cancelled") == (cancelled is not None)
        assert (status == "open") == (paid is None and cancelled is None)
    refunded: dict[tuple[object, object], Decimal] = {}
    for s, o, ts, amt in rows(tables["refunds"], "shop_id", "order_id", "ts", "amount"):
        amount, _, _, paid, *_ = orders[(s, o)]
        assert paid is not None and ts >= paid
        refunded[(s, o)] = refunded.get((s, o), Decimal(0)) + amt
        assert Decimal(0) < refunded[(s, o)] <= amount


def test_order_sources_and_links(tables: dict[str, pa.Table]) -> None:
    o = tables["orders"]
    sources = set(o.column("source").to_pylist())
    assert {"message_center", "live", "post", "web", "app", "pos", "marketplace"} <= sources
    lives = set(rows(tables["live_sessions"], "shop_id", "live_id"))
    posts = set(rows(tables["posts"], "shop_id", "post_id"))
    staff = set(rows(tables["staff"], "shop_id", "staff_id"))
    convs = set(rows(tables["messages"], "shop_id", "conversation_id"))
    for s, src, live, post, st, conv, ch in rows(
        o, "shop_id", "source", "live_id", "post_id", "staff_id", "conversation_id", "channel"
    ):
        if live is not None:
            assert (s, live) in lives
        if post is not None:
            assert (s, post) in posts
        if st is not None:
            assert (s, st) in staff
        if conv is not None:
            assert (s, conv) in convs
        if src == "message_center":
            assert st is not None and ch is not None
        if src == "live":
            assert live is not None
        if src == "post":
            assert post is not None
    # Cross-border orders in a second currency exist in the TWD shop.
    cur = set(rows(o, "shop_id", "currency"))
    assert ("alley_closet", "USD") in cur


def test_chat_rows_are_coherent(tables: dict[str, pa.Table]) -> None:
    m = tables["messages"]
    staff = set(rows(tables["staff"], "shop_id", "staff_id"))
    products = set(rows(tables["products"], "shop_id", "product_id"))
    for s, sender, st, kind, prod in rows(m, "shop_id", "sender", "staff_id", "kind", "product_id"):
        if sender == "agent":
            assert (s, st) in staff
        else:
            assert st is None
        if kind == "handoff":
            assert sender in ("system", "bot")
        if kind == "close":
            assert sender == "system"
        if prod is not None:
            assert (s, prod) in products
    conv = m.column("conversation_id")
    assert len(conv) // 2 < conv.null_count < len(conv)  # mostly webhook-like threads
    kinds = Counter(m.column("kind").to_pylist())
    assert kinds["handoff"] > 0 and kinds["close"] > 0
    senders = Counter(m.column("sender").to_pylist())
    assert senders["customer"] > senders["agent"] > senders["bot"] > 0
    types = Counter(m.column("message_type").to_pylist())
    assert {"text", "image", "sticker", "product", "order"} <= set(types)
    # Channel users resolve to customers through identities, not all of them.
    idents = set(rows(tables["identities"], "shop_id", "channel", "channel_user_id"))
    users = set(rows(m, "shop_id", "channel", "customer_id"))
    mapped = len(users & idents)
    assert 0 < mapped < len(users)
    customers = set(rows(tables["customers"], "shop_id", "customer_id"))
    linked = rows(tables["identities"], "shop_id", "customer_id")
    assert all(key in customers for key in linked)


def test_reply_delays_are_mostly_fast_with_a_tail(tables: dict[str, pa.Table]) -> None:
    m = tables["messages"].sort_by([("shop_id", "ascending"), ("ts", "ascending")])
    last: dict[tuple[object, ...], tuple[object, datetime]] = {}
    delays: list[float] = []
    for s, ch, cust, ts, sender in rows(m, "shop_id", "channel", "customer_id", "ts", "sender"):
        key = (s, ch, cust)
        prev = last.get(key)
        if sender == "agent" and prev is not None and prev[0] in ("customer", "system", "bot"):
            delays.append((ts - prev[1]).total_seconds())
        last[key] = (sender, ts)
    delays.sort()
    median = delays[len(delays) // 2]
    assert 20 <= median <= 180
    assert delays[int(len(delays) * 0.97)] > 1800


def test_comments_reference_posts_and_lives(tables: dict[str, pa.Table]) -> None:
    posts = set(rows(tables["posts"], "shop_id", "channel", "post_id"))
    lives = set(rows(tables["live_sessions"], "shop_id", "live_id"))
    c = tables["comments"]
    ids = set(rows(c, "shop_id", "comment_id"))
    texts: Counter[str] = Counter()
    for s, ch, post, live, parent, author, text in rows(
        c, "shop_id", "channel", "post_id", "live_id", "parent_comment_id", "author", "text"
    ):
        assert (s, ch, post) in posts
        if live is not None:
            assert (s, live) in lives
        if parent is not None:
            assert (s, parent) in ids and author == "page"
        texts[text] += 1
    assert texts["+1"] and texts["＋1"] and texts["+2"]
    assert any(t.startswith("+1 ") for t in texts)
    assert c.column("deleted").to_pylist().count(True) > 0


def test_content_metrics_are_plausible(tables: dict[str, pa.Table]) -> None:
    cm = tables["content_metrics"]
    posts = set(rows(tables["posts"], "shop_id", "channel", "post_id"))
    account = 0
    for s, ch, post, imp, reach, fol in rows(
        cm, "shop_id", "channel", "post_id", "impressions", "reach", "followers"
    ):
        if post == "":
            account += 1
            assert fol is not None and fol > 0
        else:
            assert (s, ch, post) in posts
            assert imp >= reach >= 0
    assert account > 0


def test_everything_happens_inside_the_window(tables: dict[str, pa.Table]) -> None:
    tz = {s: ZoneInfo(z) for s, z in rows(tables["shops"], "shop_id", "timezone")}
    first, last = SMALL.end_date - timedelta(days=SMALL.days - 1), SMALL.end_date
    for name in ("messages", "comments", "orders", "touchpoints", "ratings", "agent_status"):
        t = tables[name]
        col = "created_at" if name == "orders" else "ts"
        days = {ts.astimezone(tz[s]).date() for s, ts in rows(t, "shop_id", col)}
        assert max(days) == last, name
        assert min(days) >= first - timedelta(days=1), name
    # Local rhythm: lunch and evening beat the small hours in every shop.
    hours: dict[str, Counter[int]] = {s: Counter() for s in tz}
    for s, ts in rows(tables["messages"], "shop_id", "ts"):
        hours[s][ts.astimezone(tz[s]).hour] += 1
    for h in hours.values():
        assert h[12] > 3 * h[4] and h[21] > 3 * h[4]


def test_touchpoint_funnel_and_purchases(tables: dict[str, pa.Table]) -> None:
    tp = tables["touchpoints"]
    events = Counter(tp.column("event").to_pylist())
    funnel = ["impression", "click", "product_view", "add_to_cart", "checkout", "purchase"]
    assert all(events[a] > events[b] for a, b in itertools.pairwise(funnel[2:]))
    assert events["lead"] > 0 and events["signup"] > 0
    orders = {
        (s, o): (a, c)
        for s, o, a, c in rows(tables["orders"], "shop_id", "order_id", "amount", "currency")
    }
    for s, ev, oid, value, cur in rows(tp, "shop_id", "event", "order_id", "value", "currency"):
        if ev == "purchase":
            assert orders[(s, oid)] == (value, cur)
        else:
            assert oid is None


def test_ratings_reference_their_subjects(tables: dict[str, pa.Table]) -> None:
    staff = set(rows(tables["staff"], "shop_id", "staff_id"))
    convs = set(rows(tables["messages"], "shop_id", "conversation_id"))
    orders = set(rows(tables["orders"], "shop_id", "order_id"))
    kinds: Counter[str] = Counter()
    for s, kind, st, conv, order in rows(
        tables["ratings"], "shop_id", "kind", "staff_id", "conversation_id", "order_id"
    ):
        kinds[kind] += 1
        if kind == "csat":
            assert (s, st) in staff
            if conv is not None:
                assert (s, conv) in convs
        else:
            assert (s, order) in orders
    assert kinds["csat"] > 0 and kinds["review"] > 0


def test_staff_presence(tables: dict[str, pa.Table]) -> None:
    st = tables["staff"]
    assert list(Counter(rows(st, "shop_id", "active")).values()).count(1) == 3  # one inactive each
    caps = tables["agent_status"].column("capacity").to_pylist()
    assert min(caps) >= 3 and max(caps) <= 8


def test_default_config_is_big_enough_and_fast() -> None:
    cfg = DemoConfig(seed=7)
    assert (datetime.now(ZoneInfo("UTC")).date() - cfg.end_date).days in (0, 1)
    start = time.perf_counter()
    full = generate_demo(cfg)
    elapsed = time.perf_counter() - start
    assert elapsed < 20
    counts = Counter(full["messages"].column("shop_id").to_pylist())
    assert counts["alley_closet"] >= 100_000
    assert counts.most_common(1)[0][0] == "alley_closet"
    # The window reaches the end date (default: today in UTC) in the shop's own time.
    tz = ZoneInfo("Asia/Taipei")
    alley = full["messages"].filter(pc.equal(full["messages"]["shop_id"], "alley_closet"))
    last = pc.max(alley["ts"]).as_py().astimezone(tz).date()
    assert last == cfg.end_date
