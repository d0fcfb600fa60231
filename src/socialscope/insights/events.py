"""What the shop did: candidate events for explanations, read from the shop's own tables.

Each loader returns `Event`s with an *impact* (how unusual the event is, before timing is
taken into account; see docs/anomalies.md):

* post — base 1, +0.5 when paid;
* live — base 2 + log1p(z) of its viewers (unique, else peak) against the shop's lives of
  the previous 180 days (robust z: (x − median) / (1.4826 MAD), at least 3 earlier lives);
* campaign — a campaign first seen (posts, orders or touchpoints): base 2;
* product — a product's first order line or touchpoint in the shop: base 1;
* big_order — an order above the shop's 99th percentile, median + 3 robust σ and
  3 × median of the last 90 days' orders in its currency: 1 + log1p(z);
* refund — a big refund (same rule against the shop's refunds of that currency).

Every loader is one Ibis expression with the shop and the local time bounds as Ibis
params, run through the engine's compiled-SQL cache (compiled once per process, then
only bound), filtered on the local-time twin columns. They run once per anomaly run over
the whole evaluated period; the explainer picks each point's window.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import ibis

from socialscope.insights.baseline import MAD_SCALE
from socialscope.insights.labels import render

if TYPE_CHECKING:
    from socialscope.client import Client

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


def as_utc(value: datetime) -> datetime:
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


# -- running cached statements -----------------------------------------------------------
Params = dict[str, Any]


def params(*timestamps: str) -> Params:
    """The Ibis params of a loader: the shop and the named local timestamps."""
    out: Params = {"shop": ibis.param("string").name("shop")}
    for name in timestamps:
        out[name] = ibis.param("timestamp").name(name)
    return out


def run(
    client: Client,
    name: str,
    build: Callable[[Params], Any],
    values: dict[str, Any],
) -> list[dict[str, Any]]:
    """Rows of a loader's expression, compiled once per process (engine SQL cache)."""
    names = [k for k in values if k != "shop"]

    def builder() -> tuple[Any, Params]:
        p = params(*names)
        return build(p), p

    rows: list[dict[str, Any]] = client.engine.run(("insights", name), builder, values).to_pylist()
    return rows


def _shop(client: Client, table: str, p: Params) -> Any:
    t = client.engine.table(table)
    return t.filter(t.shop_id == p["shop"])


def _between(t: Any, column: str, lo: Any, hi: Any) -> Any:
    col = t[f"{column}_local"]
    return t.filter(col >= lo, col < hi)


def _short(text: Any, n: int = 40) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _money(value: Any) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.01')):,}"


# -- loaders ---------------------------------------------------------------------------
def posts(client: Client, shop: str, span: Span) -> list[Event]:
    def build(p: Params) -> Any:
        t = _between(_shop(client, "posts", p), "published_at", p["lo"], p["hi"])
        return t.select(
            "post_id",
            "channel",
            "kind",
            "caption",
            "is_paid",
            "published_at",
            "published_at_local",
        )

    rows = run(client, "posts", build, {"shop": shop, "lo": span.lo, "hi": span.hi})
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
                as_utc(r["published_at"]),
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
    def build(p: Params) -> Any:
        t = _between(_shop(client, "live_sessions", p), "started_at", p["wide"], p["hi"])
        return t.select(
            "live_id",
            "channel",
            "title",
            "started_at",
            "started_at_local",
            "ended_at",
            "unique_viewers",
            "peak_concurrent_viewers",
        )

    values = {"shop": shop, "wide": span.lo - LIVE_HISTORY, "hi": span.hi}
    rows = run(client, "lives", build, values)

    def viewers(r: dict[str, Any]) -> float | None:
        v = r["unique_viewers"] if r["unique_viewers"] is not None else r["peak_concurrent_viewers"]
        return None if v is None else float(v)

    out = []
    for r in rows:
        start = r["started_at_local"]
        if start < span.lo:
            continue
        v = viewers(r)
        past = [
            x
            for q in rows
            if start - LIVE_HISTORY <= q["started_at_local"] < start
            and (x := viewers(q)) is not None
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
                as_utc(r["started_at"]),
                start,
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

    def build(p: Params) -> Any:
        parts = []
        for table, column in (
            ("posts", "published_at"),
            ("orders", "created_at"),
            ("touchpoints", "ts"),
        ):
            t = _shop(client, table, p)
            parts.append(
                t.filter(t.campaign.notnull(), t.campaign != "").select(
                    campaign=t.campaign, at=t[column], local=t[f"{column}_local"]
                )
            )
        union = ibis.union(*parts)
        first = union.group_by("campaign").agg(at=union.at.min(), local=union.local.min())
        return first.filter(first.local >= p["lo"], first.local < p["hi"])

    rows = run(client, "campaigns", build, {"shop": shop, "lo": span.lo, "hi": span.hi})
    return [
        Event(
            "campaign",
            as_utc(r["at"]),
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

    def build(p: Params) -> Any:
        o = _shop(client, "orders", p)
        i = _shop(client, "order_items", p)
        lines = i.join(o, [i.order_id == o.order_id]).select(
            product_id=i.product_id, at=o.created_at, local=o.created_at_local
        )
        tp = _shop(client, "touchpoints", p)
        touches = tp.filter(tp.product_id.notnull()).select(
            product_id=tp.product_id, at=tp.ts, local=tp.ts_local
        )
        union = ibis.union(lines, touches)
        first = union.group_by("product_id").agg(at=union.at.min(), local=union.local.min())
        first = first.filter(first.local >= p["lo"], first.local < p["hi"])
        names = _shop(client, "products", p).select(p_id="product_id", title="title")
        return first.left_join(names, [first.product_id == names.p_id]).select(
            first.product_id, first.at, first.local, names.title
        )

    rows = run(client, "products", build, {"shop": shop, "lo": span.lo, "hi": span.hi})
    return [
        Event(
            "product",
            as_utc(r["at"]),
            r["local"],
            "explain_product",
            {"title": _short(r["title"]) or str(r["product_id"])},
            {"product_id": str(r["product_id"])},
            1.0,
        )
        for r in rows
    ]


def _big(history: Any, current: Any) -> Any:
    """Rows of `current` whose amount is big against `history` of the same currency, with
    the currency's median and robust scale (columns med, scale)."""
    value = history.amount.cast("float64")
    stats = history.group_by("currency").agg(med=value.median(), p99=value.quantile(BIG_QUANTILE))
    dev = history.join(stats, "currency")
    dev = dev.group_by("currency").agg(mad=(dev.amount.cast("float64") - dev.med).abs().median())
    stats = stats.join(dev, "currency")
    scale = ibis.greatest(stats.mad * MAD_SCALE, stats.med.abs() * 0.05, ibis.literal(1e-9))
    stats = stats.select("currency", "med", "p99", scale=scale)
    joined = current.join(stats, "currency")
    floor = ibis.greatest(
        joined.p99, joined.med + joined.scale * Z_BIG, joined.med * BIG_TIMES_MEDIAN
    )
    return joined.filter(joined.amount.cast("float64") >= floor)


def big_orders(client: Client, shop: str, span: Span) -> list[Event]:
    def build(p: Params) -> Any:
        o = _shop(client, "orders", p)
        history = _between(o, "created_at", p["wide"], p["hi"])
        current = _between(o, "created_at", p["lo"], p["hi"])
        big = _big(history, current)
        return big.select(
            "order_id",
            "amount",
            "currency",
            "channel",
            "created_at",
            "created_at_local",
            "med",
            "scale",
        )

    values = {"shop": shop, "wide": span.lo - AMOUNT_HISTORY, "lo": span.lo, "hi": span.hi}
    out = []
    for r in run(client, "big_orders", build, values):
        z = (float(r["amount"]) - r["med"]) / r["scale"]
        out.append(
            Event(
                "big_order",
                as_utc(r["created_at"]),
                r["created_at_local"],
                "explain_big_order",
                {
                    "order_id": str(r["order_id"]),
                    "amount": _money(r["amount"]),
                    "currency": str(r["currency"]),
                    "usual": _money(r["med"]),
                },
                {"order_id": str(r["order_id"])},
                1.0 + math.log1p(max(z, 0.0)),
                r["channel"],
                r["currency"],
            )
        )
    return out


def _refunds_with_currency(client: Client, p: Params) -> Any:
    """Refunds with their order's currency (refunds carry none of their own)."""
    r = _shop(client, "refunds", p)
    o = _shop(client, "orders", p).select(o_id="order_id", currency="currency")
    return r.left_join(o, [r.order_id == o.o_id]).drop("o_id")


def refunds(client: Client, shop: str, span: Span) -> list[Event]:
    """Big refunds, against the shop's refunds of the same currency."""

    def build(p: Params) -> Any:
        t = _refunds_with_currency(client, p)
        history = _between(t, "ts", p["wide"], p["hi"])
        current = _between(t, "ts", p["lo"], p["hi"])
        big = _big(history, current)
        return big.select(
            "refund_id", "order_id", "amount", "currency", "ts", "ts_local", "med", "scale"
        )

    values = {"shop": shop, "wide": span.lo - AMOUNT_HISTORY, "lo": span.lo, "hi": span.hi}
    out = []
    for r in run(client, "big_refunds", build, values):
        z = (float(r["amount"]) - r["med"]) / r["scale"]
        out.append(
            Event(
                "refund",
                as_utc(r["ts"]),
                r["ts_local"],
                "explain_refund",
                {
                    "refund_id": str(r["refund_id"]),
                    "order_id": str(r["order_id"]),
                    "amount": _money(r["amount"]),
                    "currency": str(r["currency"] or ""),
                    "usual": _money(r["med"]),
                },
                {"refund_id": str(r["refund_id"]), "order_id": str(r["order_id"])},
                1.0 + math.log1p(max(z, 0.0)),
                None,
                r["currency"],
            )
        )
    return out


def refund_counts(client: Client, shop: str, span: Span) -> dict[Any, int]:
    """Refunds per local date over the span and the 90 days before (for "many refunds")."""

    def build(p: Params) -> Any:
        t = _between(_shop(client, "refunds", p), "ts", p["wide"], p["hi"])
        return t.group_by(day=t.ts_local.date()).agg(n=t.count())

    values = {"shop": shop, "wide": span.lo - AMOUNT_HISTORY, "hi": span.hi}
    return {r["day"]: int(r["n"]) for r in run(client, "refund_days", build, values)}
