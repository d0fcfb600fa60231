"""What the shop did: candidate events for explanations, read from the shop's own tables.

Each loader returns `Event`s with an *impact* (how unusual the event is, before timing is
taken into account; see docs/anomalies.md):

* post — base 1, +0.5 when paid;
* live — base 2 + log1p(z) of its viewers (unique, else peak) against the shop's lives of
  the previous 180 days (robust z: (x − median) / (1.4826 MAD));
* campaign — a campaign first seen (posts, orders or touchpoints): base 2;
* product — a product's first order line or touchpoint in the shop: base 1;
* big_order — an order above the shop's 99th percentile, median + 3 robust σ and
  3 × median of the last 90 days' orders in its currency: 1 + log1p(z);
* refund — a big refund (same rule against the shop's refunds): 1 + log1p(z).

Loaders filter on the shop and on the local-time twin columns; they run once per anomaly
run over the whole evaluated period, and the explainer picks each point's window.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from socialscope.client import Client

from socialscope.insights.baseline import MAD_SCALE
from socialscope.insights.labels import render

Z_BIG = 3.0
BIG_QUANTILE = 0.99
BIG_TIMES_MEDIAN = 3.0
"""An order or refund is big when its amount is above all of: the 99th percentile, the
median + 3 robust σ and 3 × the median of the shop's last 90 days (in its currency)."""
LIVE_HISTORY = timedelta(days=180)
AMOUNT_HISTORY = timedelta(days=90)


@dataclass(frozen=True)
class Event:
    kind: str
    at: datetime  # UTC, tz-aware
    local: datetime  # shop-local wall clock, naive
    message: str  # a key of insights.labels.TEMPLATES
    args: dict[str, str]
    ref: dict[str, str]
    impact: float
    channel: str | None = None
    currency: str | None = None  # orders and refunds: kept only for their currency's slice

    @property
    def label(self) -> str:
        return render(self.message, self.args)


@dataclass(frozen=True)
class Span:
    """The local period events are read for: [lo, hi), naive local timestamps."""

    lo: datetime
    hi: datetime
    timezone: str


def as_utc(value: datetime, timezone: str) -> datetime:
    """A stored timestamp as tz-aware UTC (the store keeps naive UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local_to_utc(value: datetime, timezone: str) -> datetime:
    return value.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def robust_z(value: float, values: Sequence[float]) -> float:
    """(value − median) / (1.4826 MAD), the MAD floored at 5 % of the median (and 1e-9)."""
    if not values:
        return 0.0
    med = statistics.median(values)
    mad = statistics.median(abs(v - med) for v in values) * MAD_SCALE
    scale = max(mad, 0.05 * abs(med), 1e-9)
    return (value - med) / scale


def _rows(expr: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = expr.to_pyarrow().to_pylist()
    return rows


def _in_span(t: Any, column: str, shop: str, span: Span) -> Any:
    col = t[f"{column}_local"]
    return t.filter(t.shop_id == shop, col >= span.lo, col < span.hi)


def _short(text: Any, n: int = 40) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def posts(client: Client, shop: str, span: Span) -> list[Event]:
    t = client.engine.table("posts")
    rows = _rows(
        _in_span(t, "published_at", shop, span).select(
            "post_id",
            "channel",
            "kind",
            "caption",
            "is_paid",
            "published_at",
            "published_at_local",
        )
    )
    out = []
    for r in rows:
        kind = r["kind"] or "post"
        args = {
            "kind": kind.replace("_", " ").capitalize(),
            "post_kind": kind,
            "channel": str(r["channel"]),
            "caption": _short(r["caption"]) or str(r["post_id"]),
        }
        out.append(
            Event(
                "post",
                as_utc(r["published_at"], span.timezone),
                r["published_at_local"],
                "explain_post_paid" if r["is_paid"] else "explain_post",
                args,
                {"post_id": str(r["post_id"]), "channel": str(r["channel"])},
                1.5 if r["is_paid"] else 1.0,
                r["channel"],
            )
        )
    return out


def lives(client: Client, shop: str, span: Span) -> list[Event]:
    t = client.engine.table("live_sessions")
    wide = Span(span.lo - LIVE_HISTORY, span.hi, span.timezone)
    rows = _rows(
        _in_span(t, "started_at", shop, wide).select(
            "live_id",
            "channel",
            "title",
            "started_at",
            "started_at_local",
            "ended_at",
            "unique_viewers",
            "peak_concurrent_viewers",
        )
    )

    def viewers(r: dict[str, Any]) -> float | None:
        v = r["unique_viewers"] if r["unique_viewers"] is not None else r["peak_concurrent_viewers"]
        return None if v is None else float(v)

    out = []
    for r in rows:
        if r["started_at_local"] < span.lo:
            continue
        v = viewers(r)
        past = [
            x
            for p in rows
            if p["started_at_local"] < r["started_at_local"]
            and p["started_at_local"] >= r["started_at_local"] - LIVE_HISTORY
            and (x := viewers(p)) is not None
        ]
        z = robust_z(v, past) if v is not None and len(past) >= 3 else 0.0
        args = {"title": _short(r["title"]) or str(r["live_id"])}
        message = "explain_live_plain"
        if v is not None:
            args["viewers"] = f"{int(v):,}"
            message = "explain_live_viewers"
            if r["ended_at"] is not None:
                minutes = round((r["ended_at"] - r["started_at"]).total_seconds() / 60)
                args["hours"], args["minutes"] = (str(x) for x in divmod(minutes, 60))
                message = "explain_live"
        out.append(
            Event(
                "live",
                as_utc(r["started_at"], span.timezone),
                r["started_at_local"],
                message,
                args,
                {"live_id": str(r["live_id"]), "channel": str(r["channel"])},
                2.0 + math.log1p(max(z, 0.0)),
                r["channel"],
            )
        )
    return out


def campaigns(client: Client, shop: str, span: Span) -> list[Event]:
    """Campaigns whose first appearance (any of posts, orders, touchpoints) is in the span."""
    import ibis

    parts = []
    sources = (("posts", "published_at"), ("orders", "created_at"), ("touchpoints", "ts"))
    for table, column in sources:
        t = client.engine.table(table)
        parts.append(
            t.filter(t.shop_id == shop, t.campaign.notnull(), t.campaign != "").select(
                campaign=t.campaign, at=t[column], local=t[f"{column}_local"]
            )
        )
    union = ibis.union(*parts)
    first = union.group_by("campaign").agg(at=union.at.min(), local=union.local.min())
    rows = _rows(first.filter(first.local >= span.lo, first.local < span.hi))
    return [
        Event(
            "campaign",
            as_utc(r["at"], span.timezone),
            r["local"],
            "explain_campaign",
            {"campaign": _short(r["campaign"])},
            {"campaign": str(r["campaign"])},
            2.0,
        )
        for r in rows
    ]


def products(client: Client, shop: str, span: Span) -> list[Event]:
    """Products first ordered or first seen in a touchpoint in the span."""
    import ibis

    o = client.engine.table("orders").filter(lambda t: t.shop_id == shop)
    i = client.engine.table("order_items").filter(lambda t: t.shop_id == shop)
    lines = i.join(o, [i.order_id == o.order_id]).select(
        product_id=i.product_id, at=o.created_at, local=o.created_at_local
    )
    tp = client.engine.table("touchpoints")
    touches = tp.filter(tp.shop_id == shop, tp.product_id.notnull()).select(
        product_id=tp.product_id, at=tp.ts, local=tp.ts_local
    )
    union = ibis.union(lines, touches)
    first = union.group_by("product_id").agg(at=union.at.min(), local=union.local.min())
    first = first.filter(first.local >= span.lo, first.local < span.hi)
    p = client.engine.table("products").filter(lambda t: t.shop_id == shop)
    named = first.left_join(p, [first.product_id == p.product_id]).select(
        first.product_id, first.at, first.local, p.title
    )
    return [
        Event(
            "product",
            as_utc(r["at"], span.timezone),
            r["local"],
            "explain_product",
            {"title": _short(r["title"]) or str(r["product_id"])},
            {"product_id": str(r["product_id"])},
            1.0,
        )
        for r in _rows(named)
    ]


def _amount_stats(t: Any, amount: Any) -> tuple[float, float, float] | None:
    """(median, robust scale, the amount that counts as big) of an amount history."""
    value = amount.cast("float64")
    row = _rows(t.agg(med=value.median(), p99=value.quantile(BIG_QUANTILE), n=value.count()))[0]
    if not row["n"] or row["med"] is None:
        return None
    med = float(row["med"])
    dev = _rows(t.agg(mad=(value - med).abs().median()))[0]["mad"]
    scale = max(float(dev or 0.0) * MAD_SCALE, 0.05 * abs(med), 1e-9)
    big = max(float(row["p99"]), med + Z_BIG * scale, BIG_TIMES_MEDIAN * med)
    return med, scale, big


def big_orders(client: Client, shop: str, span: Span) -> list[Event]:
    t = client.engine.table("orders")
    out = []
    scoped = t.filter(t.shop_id == shop)
    currencies = [r["currency"] for r in _rows(scoped.select("currency").distinct())]
    for currency in currencies:
        history = _in_span(t, "created_at", shop, Span(span.lo - AMOUNT_HISTORY, span.hi, ""))
        history = history.filter(history.currency == currency)
        stats = _amount_stats(history, history.amount)
        if stats is None:
            continue
        med, scale, floor = stats
        current = _in_span(t, "created_at", shop, span)
        big = current.filter(current.currency == currency, current.amount >= floor)
        cols = ("order_id", "amount", "channel", "created_at", "created_at_local")
        for r in _rows(big.select(*cols)):
            z = (float(r["amount"]) - med) / scale
            out.append(
                Event(
                    "big_order",
                    as_utc(r["created_at"], span.timezone),
                    r["created_at_local"],
                    "explain_big_order",
                    {
                        "order_id": str(r["order_id"]),
                        "amount": _money(r["amount"]),
                        "currency": str(currency),
                        "usual": _money(med),
                    },
                    {"order_id": str(r["order_id"])},
                    1.0 + math.log1p(z),
                    r["channel"],
                    currency,
                )
            )
    return out


def refunds(client: Client, shop: str, span: Span) -> list[Event]:
    """Big refunds, per currency of their orders (refunds carry no currency of their own)."""
    r_t = client.engine.table("refunds")
    o = client.engine.table("orders")
    o = o.filter(o.shop_id == shop).select(o_id=o.order_id, currency=o.currency)
    r_t = r_t.filter(r_t.shop_id == shop)
    joined = r_t.left_join(o, [r_t.order_id == o.o_id]).drop("o_id")
    currencies = [r["currency"] for r in _rows(joined.select("currency").distinct())]
    out = []
    for currency in currencies:
        mine = joined.filter(
            joined.currency.isnull() if currency is None else joined.currency == currency
        )
        history = _in_span(mine, "ts", shop, Span(span.lo - AMOUNT_HISTORY, span.hi, ""))
        stats = _amount_stats(history, history.amount)
        if stats is None:
            continue
        med, scale, floor = stats
        current = _in_span(mine, "ts", shop, span)
        big = current.filter(current.amount >= floor)
        for r in _rows(big.select("refund_id", "order_id", "amount", "ts", "ts_local")):
            z = (float(r["amount"]) - med) / scale
            out.append(
                Event(
                    "refund",
                    as_utc(r["ts"], span.timezone),
                    r["ts_local"],
                    "explain_refund",
                    {
                        "refund_id": str(r["refund_id"]),
                        "order_id": str(r["order_id"]),
                        "amount": _money(r["amount"]),
                        "currency": str(currency or ""),
                        "usual": _money(med),
                    },
                    {"refund_id": str(r["refund_id"]), "order_id": str(r["order_id"])},
                    1.0 + math.log1p(z),
                    None,
                    currency,
                )
            )
    return out


def refund_counts(client: Client, shop: str, span: Span) -> dict[Any, int]:
    """Refunds per local date over the span and its amount history (for "many refunds")."""
    t = client.engine.table("refunds")
    scoped = _in_span(t, "ts", shop, Span(span.lo - AMOUNT_HISTORY, span.hi, ""))
    day = scoped.ts_local.date().name("day")
    rows = _rows(scoped.group_by(day).agg(n=scoped.count()))
    return {r["day"]: int(r["n"]) for r in rows}


def _money(value: Any) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.01')):,}"
