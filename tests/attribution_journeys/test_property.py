"""build_paths against an independent pure-Python reading of the rules (property-based).

Each example is a new shop (Europe/Warsaw, so periods and lookbacks cross the 2026-03-29
DST change) in one store: random touchpoints (clicks, impressions, purchases; visitors
linked to zero, one or two customers; blank channels), orders (paid or not, cancelled or
not, with or without a customer, refunded), chat conversations, post and live comments
(deleted or page-authored ones too) and identities mapping some channel ids to customers.
Times fall on a coarse grid, so equal timestamps are common. The reference below is
written from METRICS.md section 8 and docs/attribution-journeys.md, not from the code.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscope.attribution.journeys import JourneyRequest, build_paths
from socialscope.client import Client, connect
from socialscope.ingest.loader import ingest_arrow
from tests.attribution_journeys.conftest import Row, rows

TZ = ZoneInfo("Europe/Warsaw")
START = datetime(2026, 3, 20)  # UTC, naive
STEP = timedelta(hours=1)
_SHOPS = itertools.count()

slot = st.builds(lambda k, h: 6 * k + h, st.integers(0, 87), st.sampled_from([0, 0, 0, 4, 5]))
"""Hours after START on a coarse grid, so touches, conversions and lookback bounds often
coincide; 22:00 and 23:00 UTC are Warsaw's local midnights (summer and winter time)."""
touch_st = st.fixed_dictionaries(
    {
        "visitor": st.sampled_from(["v1", "v2", "v3", "v4"]),
        "customer": st.sampled_from([None, None, "c1", "c2", "u1"]),
        "at": slot,
        "event": st.sampled_from(["click", "click", "impression", "purchase"]),
        "channel": st.sampled_from(["fb", "ig", "mail", None, ""]),
        "value": st.sampled_from([None, Decimal("5"), Decimal("12.25")]),
    }
)
order_st = st.fixed_dictionaries(
    {
        "customer": st.sampled_from([None, "c1", "c2", "c3", "u1"]),
        "at": slot,
        "paid": st.sampled_from([True, True, False]),
        "cancelled": st.sampled_from([False, False, True]),
        "amount": st.sampled_from([Decimal("10"), Decimal("99.5"), Decimal("120")]),
        "refund": st.sampled_from([None, None, Decimal("10"), Decimal("0.5")]),
    }
)
message_st = st.fixed_dictionaries(
    {
        "conversation": st.integers(0, 3),
        "sender": st.sampled_from(["customer", "customer", "agent"]),
        "at": slot,
    }
)
comment_st = st.fixed_dictionaries(
    {
        "user": st.sampled_from(["u1", "u2", "u3"]),
        "live": st.sampled_from([None, None, "L1", "L2"]),
        "author": st.sampled_from(["customer", "customer", "customer", "page"]),
        "deleted": st.sampled_from([False, False, True, None]),
        "at": slot,
    }
)
CONVERSATIONS = [("line", "u1"), ("line", "u2"), ("facebook", "u1"), ("facebook", "u3")]
LIVE_CHANNEL = {"L1": "instagram", "L2": "facebook"}
case_st = st.fixed_dictionaries(
    {
        "touches": st.lists(touch_st, max_size=14),
        "orders": st.lists(order_st, max_size=5),
        "messages": st.lists(message_st, max_size=5),
        "comments": st.lists(comment_st, max_size=5),
        # which (channel, user) identities map to which customer
        "identities": st.dictionaries(
            st.sampled_from(["line:u1", "facebook:u1", "instagram:u2", "facebook:u3"]),
            st.sampled_from(["c1", "c2"]),
            max_size=3,
        ),
        "period": st.tuples(st.integers(0, 21), st.integers(0, 21)),
        "lookback": st.integers(1, 8),
        "conversion": st.sampled_from(["paid_order", "purchase"]),
        "net": st.booleans(),
        "include": st.sets(st.sampled_from(["chat", "comment", "live"])),
        "events": st.sampled_from([("click",), ("click", "impression")]),
    }
)


def _ts(at: int) -> datetime:
    return START + at * STEP


def _iso(at: int) -> str:
    return _ts(at).isoformat() + "+00:00"


# -- loading ----------------------------------------------------------------------------


def _load(client: Client, case: dict[str, Any]) -> str:
    shop = f"j{next(_SHOPS)}"
    tables: dict[str, list[dict[str, Any]]] = {
        "shops": [{"shop_id": shop, "timezone": "Europe/Warsaw", "currency": "PLN"}],
        "touchpoints": [
            {
                "shop_id": shop,
                "event_id": f"t{i}",
                "visitor_id": t["visitor"],
                "customer_id": t["customer"],
                "ts": _iso(t["at"]),
                "event": t["event"],
                "channel": t["channel"],
                "value": None if t["value"] is None else str(t["value"]),
                "currency": "PLN" if t["event"] == "purchase" else None,
            }
            for i, t in enumerate(case["touches"])
        ],
        "orders": [
            {
                "shop_id": shop,
                "order_id": f"o{i}",
                "customer_id": o["customer"],
                "created_at": _iso(o["at"]),
                "paid_at": _iso(o["at"]) if o["paid"] else None,
                "cancelled_at": _iso(o["at"] + 1) if o["cancelled"] else None,
                "currency": "PLN",
                "amount": str(o["amount"]),
                "source": "web",
            }
            for i, o in enumerate(case["orders"])
        ],
        "refunds": [
            {
                "shop_id": shop,
                "refund_id": f"r{i}",
                "order_id": f"o{i}",
                "ts": _iso(o["at"] + 2),
                "amount": str(o["refund"]),
            }
            for i, o in enumerate(case["orders"])
            if o["refund"] is not None
        ],
        "messages": [
            {
                "shop_id": shop,
                "event_id": f"m{i}",
                "channel": CONVERSATIONS[m["conversation"]][0],
                "conversation_id": f"cv{m['conversation']}",
                "customer_id": CONVERSATIONS[m["conversation"]][1],
                "ts": _iso(m["at"]),
                "sender": m["sender"],
                "staff_id": "s1" if m["sender"] == "agent" else None,
                "kind": "message",
            }
            for i, m in enumerate(case["messages"])
        ],
        "comments": [
            {
                "shop_id": shop,
                "event_id": f"k{i}",
                "channel": LIVE_CHANNEL[c["live"]] if c["live"] else "facebook",
                "post_id": f"post-{c['live'] or 'p'}",
                "comment_id": f"k{i}",
                "live_id": c["live"],
                "customer_id": c["user"],
                "author": c["author"],
                "ts": _iso(c["at"]),
                "text": "+1",
                "deleted": c["deleted"],
            }
            for i, c in enumerate(case["comments"])
        ],
        "identities": [
            {
                "shop_id": shop,
                "channel": key.split(":")[0],
                "channel_user_id": key.split(":")[1],
                "customer_id": customer,
            }
            for key, customer in case["identities"].items()
        ],
    }
    arrow = {name: pa.Table.from_pylist(rs) for name, rs in tables.items() if rs}
    # the importer itself; only the runner's shop list is reset (see tests/drilldown)
    ingest_arrow(client.store, arrow, source="hypothesis")
    client.runner.invalidate()
    return shop


# -- the reference ------------------------------------------------------------------------


@dataclass(frozen=True)
class Touch:
    journey: str
    ts: datetime
    label: str
    event_id: str
    kind: int


@dataclass(frozen=True)
class Conversion:
    journey: str
    ts: datetime
    conv_id: str
    value: Decimal


def _hours(later: datetime, earlier: datetime) -> float:
    return ((later - earlier) // timedelta(microseconds=1)) / 3_600_000_000.0


def _utc_midnight(day: date) -> datetime:
    local = datetime(day.year, day.month, day.day, tzinfo=TZ)
    return local.astimezone(UTC).replace(tzinfo=None)


def _local_date(ts: datetime) -> date:
    return ts.replace(tzinfo=UTC).astimezone(TZ).date()


def reference(case: dict[str, Any], request: JourneyRequest) -> list[Row]:
    """The rules, read from the docs, over plain lists."""
    touches_in = [dict(t, event_id=f"t{i}") for i, t in enumerate(case["touches"])]
    # a visitor belongs to the customer on its latest (ts, event_id) touchpoint with one
    owner: dict[str, str] = {}
    for t in sorted(touches_in, key=lambda t: (t["at"], t["event_id"])):
        if t["customer"]:
            owner[t["visitor"]] = t["customer"]

    def journey_of(t: dict[str, Any]) -> str:
        v = t["visitor"]
        return f"customer:{owner[v]}" if v in owner else f"visitor:{v}"

    def person(channel: str, user: str) -> str:
        return "customer:" + case["identities"].get(f"{channel}:{user}", user)

    touches: list[Touch] = []
    for t in touches_in:
        if t["event"] in request.touch_events:
            label = (t["channel"] or "").strip() or "direct"
            touches.append(Touch(journey_of(t), _ts(t["at"]), label, t["event_id"], 0))
    if "chat" in request.include:
        first: dict[int, tuple[int, str]] = {}
        for i, m in enumerate(case["messages"]):
            if m["sender"] == "customer":
                key = (m["at"], f"m{i}")
                first[m["conversation"]] = min(first.get(m["conversation"], key), key)
        for conv, (at, event_id) in first.items():
            channel, user = CONVERSATIONS[conv]
            touches.append(Touch(person(channel, user), _ts(at), f"chat:{channel}", event_id, 1))
    counted = [
        (f"k{i}", c)
        for i, c in enumerate(case["comments"])
        if c["author"] == "customer" and not c["deleted"]
    ]
    if "comment" in request.include:
        for event_id, c in counted:
            if c["live"] is None:
                who = person("facebook", c["user"])
                touches.append(Touch(who, _ts(c["at"]), "comment:facebook", event_id, 2))
    if "live" in request.include:
        first_live: dict[tuple[str, str], tuple[int, str]] = {}
        for event_id, c in counted:
            if c["live"] is not None:
                key = (person(LIVE_CHANNEL[c["live"]], c["user"]), c["live"])
                first_live[key] = min(first_live.get(key, (c["at"], event_id)), (c["at"], event_id))
        for (who, live), (at, event_id) in first_live.items():
            touches.append(Touch(who, _ts(at), f"live:{LIVE_CHANNEL[live]}", event_id, 3))

    conversions: list[Conversion] = []
    if request.conversion == "paid_order":
        for i, o in enumerate(case["orders"]):
            if o["paid"] and not o["cancelled"]:
                value = o["amount"] - (o["refund"] or 0) if request.net_of_refunds else o["amount"]
                who = f"customer:{o['customer']}" if o["customer"] else f"order:o{i}"
                conversions.append(Conversion(who, _ts(o["at"]), f"o{i}", value))
    else:
        for t in touches_in:
            if t["event"] == "purchase":
                value = t["value"] if t["value"] is not None else Decimal(0)
                conversions.append(Conversion(journey_of(t), _ts(t["at"]), t["event_id"], value))

    by_journey: dict[str, list[Conversion]] = defaultdict(list)
    for c in conversions:
        by_journey[c.journey].append(c)
    touches_of: dict[str, list[Touch]] = defaultdict(list)
    for t in touches:
        touches_of[t.journey].append(t)
    for ts in touches_of.values():
        ts.sort(key=lambda t: (t.ts, t.label, t.event_id, t.kind))

    lookback = timedelta(days=request.lookback_days)
    converting: list[tuple[datetime, str, Row]] = []
    for journey, convs in by_journey.items():
        convs.sort(key=lambda c: (c.ts, c.conv_id))
        for k, c in enumerate(convs):
            if not request.date_from <= _local_date(c.ts) <= request.date_to:
                continue
            prev = convs[k - 1].ts if k else None
            path = [
                t
                for t in touches_of[journey]
                if c.ts - lookback <= t.ts <= c.ts and (prev is None or t.ts > prev)
            ]
            if path:
                row: Row = (
                    tuple(t.label for t in path),
                    1.0,
                    c.value,
                    0.0,
                    tuple(_hours(c.ts, t.ts) for t in path),
                )
            else:
                row = (("direct",), 1.0, c.value, 0.0, (0.0,))
            converting.append((c.ts, c.conv_id, row))

    begin = _utc_midnight(request.date_from)
    end = _utc_midnight(request.date_to + timedelta(days=1))
    nulls: list[tuple[datetime, str, Row]] = []
    for journey, ts in touches_of.items():
        before_end = [c.ts for c in by_journey.get(journey, []) if c.ts < end]
        last = max(before_end) if before_end else None
        after = [t for t in ts if t.ts < end and (last is None or t.ts > last)]
        if not after:
            continue
        t_last = after[-1].ts
        if begin - lookback <= t_last <= end - lookback:
            row = (
                tuple(t.label for t in after),
                0.0,
                Decimal(0),
                1.0,
                tuple(_hours(t_last, t.ts) for t in after),
            )
            nulls.append((t_last, journey, row))
    return [r for *_, r in sorted(converting)] + [r for *_, r in sorted(nulls)]


# -- the property -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with connect(":memory:") as c:
        yield c


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=case_st)
def test_paths_match_the_reference(client: Client, case: dict[str, Any]) -> None:
    shop = _load(client, case)
    lo, hi = sorted(case["period"])
    request = JourneyRequest(
        shop=shop,
        date_from=date(2026, 3, 20) + timedelta(days=lo),
        date_to=date(2026, 3, 20) + timedelta(days=hi),
        touch_events=case["events"],
        include=frozenset(case["include"]),
        lookback_days=case["lookback"],
        conversion=case["conversion"],
        net_of_refunds=case["net"] and case["conversion"] == "paid_order",
    )
    paths = build_paths(client, request)
    expected = reference(case, request)
    assert rows(paths) == expected
    assert paths.currency == "PLN"

    flat: dict[tuple[str, ...], list[Any]] = defaultdict(lambda: [0.0, Decimal(0), 0.0])
    for path, conversions, value, nulls, _ in expected:
        flat[path][0] += conversions
        flat[path][1] += value
        flat[path][2] += nulls
    aggregated = rows(build_paths(client, replace(request, aggregate=True)))
    assert Counter((r[0], r[1], r[2], r[3]) for r in aggregated) == Counter(
        (path, *totals) for path, totals in flat.items()
    )
