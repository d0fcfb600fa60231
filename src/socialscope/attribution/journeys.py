"""Attribution paths built from the store's journeys (METRICS.md section 8).

The models read a `PathSet`; this module builds one from a shop's touchpoints, chat
conversations, comments and live participation (the touches) and its paid orders or
`purchase` touchpoints (the conversions). Every step is one Ibis expression run by DuckDB
in a single statement (plus one small query for the currencies in scope): joins, windows
and list aggregation (paths sorted inside the engine), no Python loop per journey, so a
million journeys take seconds. The rules and every choice made where METRICS.md is silent
are written out in docs/attribution-journeys.md; the comments below name them where they
are applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import ibis
import pyarrow as pa

from socialscope.attribution.paths import PATHS_SCHEMA, PathSet
from socialscope.contract.enums import TouchEvent
from socialscope.store.derive import resolve_person

if TYPE_CHECKING:
    from socialscope.client import Client

TOUCH_KINDS = ("chat", "comment", "live")
"""Optional touches beside touchpoints: chat conversations, post comments, live comments."""
CONVERSIONS = ("paid_order", "purchase")
DIRECT = "direct"
"""The label of a touchpoint without a channel, and the path of a conversion without touches."""

_KIND_RANK = {"touchpoint": 0, "chat": 1, "comment": 2, "live": 3}
"""Last tie-break between touches at the same ts with the same label and event id."""
_US_PER_HOUR = 3_600_000_000.0
_VALUE = "decimal(18, 4)"
_BEFORE_ALL = datetime(1, 1, 1)
"""Stands for "no previous conversion": every touch is after it."""


class JourneyError(ValueError):
    """A journey request that cannot be answered, with what to change."""


@dataclass(frozen=True)
class JourneyRequest:
    """Which paths to build: a shop, a local date range and the rules' options."""

    shop: str
    date_from: date
    date_to: date
    touch_events: tuple[str, ...] = ("click",)
    include: frozenset[str] = field(default_factory=frozenset)  # subset of TOUCH_KINDS
    lookback_days: int = 30
    conversion: str = "paid_order"  # or "purchase"
    net_of_refunds: bool = False
    currency: str | None = None
    aggregate: bool = False  # True: one row per distinct path, hours dropped


def validate(request: JourneyRequest) -> None:
    """Raise JourneyError (a ValueError) naming the first option that is not usable."""
    lookback = request.lookback_days
    if isinstance(lookback, bool) or not isinstance(lookback, int) or lookback < 1:
        raise JourneyError(f"lookback_days must be a whole number of days >= 1, got {lookback!r}")
    if request.date_from > request.date_to:
        raise JourneyError(f"date_from {request.date_from} is after date_to {request.date_to}")
    if request.conversion not in CONVERSIONS:
        raise JourneyError(
            f"unknown conversion {request.conversion!r}: use one of {', '.join(CONVERSIONS)}"
        )
    events = {e.value for e in TouchEvent}
    unknown = [e for e in request.touch_events if e not in events]
    if unknown:
        raise JourneyError(
            f"unknown touchpoint event(s) {', '.join(map(repr, unknown))}: "
            f"use {', '.join(sorted(events))}"
        )
    if request.conversion == "purchase" and "purchase" in request.touch_events:
        raise JourneyError(
            "purchase touchpoints are the conversions here: they cannot also be touches"
        )
    extra = sorted(set(request.include) - set(TOUCH_KINDS))
    if extra:
        raise JourneyError(
            f"unknown touch kind(s) {', '.join(map(repr, extra))} in include: "
            f"use a subset of {', '.join(TOUCH_KINDS)}"
        )
    if not request.touch_events and not request.include:
        raise JourneyError("no touches asked: give touch_events and/or include")
    if request.net_of_refunds and request.conversion != "paid_order":
        raise JourneyError("net_of_refunds applies to paid_order conversions only")


@dataclass(frozen=True)
class _Period:
    """The period's bounds: local (for conversion dates) and UTC (for touch times)."""

    local_from: datetime  # 00:00 of date_from, shop-local, naive
    local_to: datetime  # 00:00 of the day after date_to, shop-local, naive
    utc_from: datetime  # the same instants in UTC, naive like the store's ts columns
    utc_to: datetime

    @classmethod
    def of(cls, start: date, end: date, timezone: str) -> _Period:
        tz = ZoneInfo(timezone)
        lo = datetime(start.year, start.month, start.day)
        hi = datetime(end.year, end.month, end.day) + timedelta(days=1)

        def utc(local: datetime) -> datetime:
            # fold=0: a midnight inside a DST gap maps to the gap's end, the first
            # instant of that local day; inside an overlap, to its first occurrence
            return local.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)

        return cls(lo, hi, utc(lo), utc(hi))


def build_paths(client: Client, request: JourneyRequest) -> PathSet:
    """The converting and non-converting paths of one shop's period (METRICS.md 8)."""
    validate(request)
    shops = client.shops()
    if request.shop not in shops:
        names = ", ".join(sorted(shops)) or "none"
        raise JourneyError(f"unknown shop {request.shop!r}; shops in this store: {names}")
    info = shops[request.shop]
    shop_currency = str(info.get("currency") or "") or None
    period = _Period.of(request.date_from, request.date_to, str(info.get("timezone") or "UTC"))
    engine = client.engine
    values: dict[str, Any] = {
        "shop": request.shop,
        "ts_from": period.local_from,
        "ts_to": period.local_to,
        "utc_from": period.utc_from,
        "utc_to": period.utc_to,
    }
    shape = _shape(request, shop_currency)

    def build_currencies() -> tuple[Any, dict[str, Any]]:
        params = _params()
        _, in_period = _scoped(client, request, shop_currency, params)
        return in_period.select("currency").distinct(), params

    def build_rows() -> tuple[Any, dict[str, Any]]:
        # shop, period and currency are Ibis params: compiled once per request shape
        # (engines/duckdb.py), later calls only bind values
        params = {**_params(), "currency": ibis.param("string").name("currency")}
        conversions, in_period = _scoped(client, request, shop_currency, params)
        touches = _touches(client.backend, request, params["shop"])
        converting = _converting_paths(
            in_period.filter(in_period.currency == params["currency"]),
            touches,
            request.lookback_days,
        )
        nulls = _null_paths(conversions, touches, params, request.lookback_days)
        rows = converting.union(nulls)
        # conversions first (by paid time), then non-converting journeys (by last touch)
        rows = _aggregated(rows) if request.aggregate else rows.order_by("_group", "_ts", "_id")
        return rows, params

    if request.currency is not None:
        currency = _currency(None, request.currency, shop_currency)
    else:
        found = engine.run(("journeys/currencies", *shape), build_currencies, values)
        currency = _currency(found.column("currency").to_pylist(), None, shop_currency)
    table = engine.run(("journeys/rows", *shape), build_rows, {**values, "currency": currency})
    return PathSet(_conform(table), currency, _source(request))


def _params() -> dict[str, Any]:
    """The shop and the period's bounds, shop-local (ts_*) and UTC (utc_*), as Ibis params."""
    return {
        "shop": ibis.param("string").name("shop"),
        "ts_from": ibis.param("timestamp").name("ts_from"),
        "ts_to": ibis.param("timestamp").name("ts_to"),
        "utc_from": ibis.param("timestamp").name("utc_from"),
        "utc_to": ibis.param("timestamp").name("utc_to"),
    }


def _shape(request: JourneyRequest, shop_currency: str | None) -> tuple[Any, ...]:
    """What the compiled statements depend on besides shop, period and currency."""
    return (
        request.touch_events,
        tuple(sorted(request.include)),
        request.lookback_days,
        request.conversion,
        request.net_of_refunds,
        request.aggregate,
        shop_currency,
    )


def _scoped(
    client: Client, request: JourneyRequest, shop_currency: str | None, params: dict[str, Any]
) -> tuple[Any, Any]:
    """Every conversion of the shop, and those whose local date is in the period."""
    con = client.backend
    touchpoints = _touchpoint_journeys(con, params["shop"])
    conversions = _conversions(con, request, params["shop"], touchpoints, shop_currency)
    in_period = conversions.filter(
        (conversions.ts_local >= params["ts_from"]) & (conversions.ts_local < params["ts_to"])
    )
    return conversions, in_period


# -- touches ----------------------------------------------------------------------------


def _touchpoint_journeys(con: Any, shop: Any) -> Any:
    """The shop's touchpoints with their journey.

    A visitor that ever carries a customer_id belongs to that customer for all its
    touchpoints; with several customer ids, the one on its latest touchpoint (ts, then
    the greatest event_id) wins. A visitor never linked is its own journey. Journey keys
    are prefixed ("customer:", "visitor:", "order:") so the kinds never collide.
    """
    tp = con.table("touchpoints")
    tp = tp.filter(tp.shop_id == shop).mutate(_customer=_blank_null(tp.customer_id))
    linked = tp.filter(tp._customer.notnull())
    linked = linked.mutate(
        _rn=ibis.row_number().over(
            group_by=linked.visitor_id, order_by=[linked.ts.desc(), linked.event_id.desc()]
        )
    )
    owner = linked.filter(linked._rn == 0).select(
        o_visitor=linked.visitor_id, o_customer=linked._customer
    )
    joined = tp.left_join(owner, tp.visitor_id == owner.o_visitor)
    return joined.mutate(
        journey=ibis.ifelse(
            joined.o_customer.notnull(),
            "customer:" + joined.o_customer,
            "visitor:" + joined.visitor_id,
        )
    ).drop("o_visitor", "o_customer", "_customer")


def _touches(con: Any, request: JourneyRequest, shop: Any) -> Any:
    """Every touch of the shop: journey, ts, label, event_id, kind (for ties)."""
    parts = []
    if request.touch_events:
        touchpoints = _touchpoint_journeys(con, shop)
        tp = touchpoints.filter(touchpoints.event.isin(list(request.touch_events)))
        channel = _blank_null(tp.channel)
        parts.append(
            _touch(tp, tp.journey, tp.ts, channel.fill_null(DIRECT), tp.event_id, "touchpoint")
        )
    if "chat" in request.include:
        parts.append(_chat_touches(con, shop))
    if request.include & {"comment", "live"}:
        comments = _customer_comments(con, shop)
        if "comment" in request.include:
            c = comments.filter(comments._live.isnull())
            parts.append(_touch(c, _person(c), c.ts, "comment:" + c.channel, c.event_id, "comment"))
        if "live" in request.include:
            parts.append(_live_touches(comments))
    out = parts[0]
    for part in parts[1:]:
        out = out.union(part)
    return out


def _touch(t: Any, journey: Any, ts: Any, label: Any, event_id: Any, kind: str) -> Any:
    return t.select(
        journey=journey.cast("string"),
        ts=ts.cast("timestamp"),
        label=label.cast("string"),
        event_id=event_id.cast("string"),
        kind=ibis.literal(_KIND_RANK[kind], type="int8"),
    )


def _chat_touches(con: Any, shop: Any) -> Any:
    """One touch per conversation, at its first customer message (d_messages: the
    conversation as assigned, the identity-resolved person)."""
    dm = con.table("d_messages")
    dm = dm.filter((dm.shop_id == shop) & (dm.sender == "customer") & (dm.kind == "message"))
    dm = dm.mutate(
        _rn=ibis.row_number().over(group_by=dm.conversation_id, order_by=[dm.ts, dm.event_id])
    )
    first = dm.filter(dm._rn == 0)
    return _touch(first, _person(first), first.ts, "chat:" + first.channel, first.event_id, "chat")


def _customer_comments(con: Any, shop: Any) -> Any:
    """Customer comments that are not deleted, with the identity-resolved person (the
    resolution of d_interactions) and `_live`, the live they were written on (or null)."""
    c = con.table("comments")
    c = c.filter((c.shop_id == shop) & (c.author == "customer") & ~c.deleted.fill_null(False))
    ids = con.table("identities")
    c = resolve_person(c, ids.filter(ids.shop_id == shop))
    return c.mutate(_live=_blank_null(c.live_id))


def _live_touches(comments: Any) -> Any:
    """One touch per (person, live), at the person's first comment on that live."""
    lv = comments.filter(comments._live.notnull())
    lv = lv.mutate(
        _rn=ibis.row_number().over(group_by=[lv.person_id, lv._live], order_by=[lv.ts, lv.event_id])
    )
    first = lv.filter(lv._rn == 0)
    return _touch(first, _person(first), first.ts, "live:" + first.channel, first.event_id, "live")


def _person(t: Any) -> Any:
    """A resolved person's journey: the same key as the customer's touchpoints and orders."""
    return "customer:" + t.person_id


def _blank_null(col: Any) -> Any:
    """Null for a missing, empty or blank string; the trimmed text otherwise."""
    trimmed = col.strip()
    return ibis.ifelse(trimmed == "", ibis.null("string"), trimmed)


# -- conversions ------------------------------------------------------------------------


def _conversions(
    con: Any, request: JourneyRequest, shop: Any, touchpoints: Any, shop_currency: str | None
) -> Any:
    """Every conversion of the shop, any date and currency, with its journey's previous
    conversion (`prev_ts`): journey, conv_id, ts, ts_local, value, currency, prev_ts."""
    if request.conversion == "paid_order":
        o = con.table("d_orders")
        o = o.filter((o.shop_id == shop) & ~o.is_cancelled & o.paid_at.notnull())
        customer = _blank_null(o.customer_id)
        value = o.amount - o.refunded_amount if request.net_of_refunds else o.amount
        conv = o.select(
            # an order without a customer is a journey of its own, without touches
            journey=ibis.ifelse(customer.notnull(), "customer:" + customer, "order:" + o.order_id),
            conv_id=o.order_id,
            ts=o.paid_at,
            ts_local=o.paid_at_local,
            value=value.cast(_VALUE),
            currency=o.currency.cast("string"),
        )
    else:
        p = touchpoints.filter(touchpoints.event == "purchase")
        currency = _blank_null(p.currency)
        if shop_currency is not None:
            currency = currency.fill_null(shop_currency)  # a purchase without one: the shop's
        conv = p.select(
            journey=p.journey,
            conv_id=p.event_id,
            ts=p.ts,
            ts_local=p.ts_local,
            value=p.value.fill_null(0).cast(_VALUE),  # a purchase without a value counts 0
            currency=currency,
        )
    # ties: two conversions at one instant are ordered by conv_id; the second then has
    # no touch (touches must be strictly after the previous conversion)
    w = ibis.window(group_by=conv.journey, order_by=[conv.ts, conv.conv_id])
    return conv.mutate(prev_ts=conv.ts.lag().over(w))


def _currency(found: list[Any] | None, asked: str | None, shop_currency: str | None) -> str:
    """The one currency of the PathSet: the asked one, else the only one in scope
    (`found`: the distinct currencies of the period's conversions)."""
    if asked is not None:
        return asked.strip().upper()  # ISO 4217 codes are stored upper-case
    present = sorted(str(c) for c in found or () if c is not None)
    if len(present) > 1:
        raise JourneyError(
            f"the conversions in this period carry several currencies ({', '.join(present)}); "
            "values of different currencies are never added: pass a currency "
            f"(e.g. currency={present[0]!r}) to build the paths of one"
        )
    if present:
        return present[0]
    return shop_currency or ""


# -- paths ------------------------------------------------------------------------------


def _converting_paths(conversions: Any, touches: Any, lookback_days: int) -> Any:
    """One row per conversion: its journey's touches in [ts - lookback, ts] and strictly
    after the previous conversion, oldest first; none gives the path ["direct"]."""
    t = touches.rename(t_journey="journey", t_ts="ts", t_event="event_id", t_kind="kind")
    # plain column comparisons only: DuckDB then runs a hash join on the journey (an OR
    # in the condition, e.g. "no previous conversion or after it", forces a nested loop)
    c = conversions.mutate(
        _from=conversions.ts - ibis.interval(days=lookback_days),
        _after=conversions.prev_ts.fill_null(ibis.literal(_BEFORE_ALL, type="timestamp")),
    )
    joined = c.left_join(
        t,
        [c.journey == t.t_journey, t.t_ts <= c.ts, t.t_ts >= c._from, t.t_ts > c._after],
    )
    hours = joined.ts.delta(joined.t_ts, unit="microsecond").cast("float64") / _US_PER_HOUR
    touch = (joined.t_ts, joined.label, joined.t_event, joined.t_kind, hours)
    paths = joined.group_by(
        _id=joined.conv_id, _ts=joined.ts, value=joined.value, currency=joined.currency
    ).agg(_touches=_sorted_touches(*touch))
    paths = _unpack(paths)
    empty = paths.path.isnull() | (paths.path.length() == 0)
    return paths.select(
        path=ibis.ifelse(empty, ibis.literal([DIRECT], type="array<string>"), paths.path),
        conversions=ibis.literal(1.0, type="float64"),
        value=paths.value,
        nulls=ibis.literal(0.0, type="float64"),
        # the direct pseudo-touch is the conversion itself: 0 hours before it
        hours_till_conv=ibis.ifelse(
            empty, ibis.literal([0.0], type="array<float64>"), paths.hours_till_conv
        ),
        _group=ibis.literal(0, type="int8"),
        _ts=paths._ts.cast("timestamp"),
        _id=paths._id,
    )


def _null_paths(conversions: Any, touches: Any, params: dict[str, Any], lookback_days: int) -> Any:
    """One row per journey that has not converted (yet), as of the period's end E.

    Its touches: those strictly after its last conversion before E (any currency), up
    to E. Counted when its last touch t_last is at least `lookback` before E (a more
    recent journey may still convert) and at least one of those touches lies in
    [period start - lookback, E) — i.e. period start - lookback <= t_last <= E - lookback.
    """
    lookback = ibis.interval(days=lookback_days)
    end, start = params["utc_to"], params["utc_from"]
    before = conversions.filter(conversions.ts < end)
    last = before.group_by(l_journey=before.journey).agg(l_ts=before.ts.max())
    t = touches.filter(touches.ts < end)
    t = t.left_join(last, t.journey == last.l_journey)
    t = t.filter(t.l_ts.isnull() | (t.ts > t.l_ts))
    # each journey's last touch by a group-by joined back (a window max is slower)
    ends = t.group_by(e_journey=t.journey).agg(t_last=t.ts.max())
    ends = ends.filter((ends.t_last <= end - lookback) & (ends.t_last >= start - lookback))
    t = t.join(ends, t.journey == ends.e_journey)
    hours = t.t_last.delta(t.ts, unit="microsecond").cast("float64") / _US_PER_HOUR
    paths = t.group_by(_id=t.journey, _ts=t.t_last).agg(
        _touches=_sorted_touches(t.ts, t.label, t.event_id, t.kind, hours)
    )
    paths = _unpack(paths)
    return paths.select(
        path=paths.path,
        conversions=ibis.literal(0.0, type="float64"),
        value=ibis.literal(0, type=_VALUE),
        nulls=ibis.literal(1.0, type="float64"),
        hours_till_conv=paths.hours_till_conv,
        _group=ibis.literal(1, type="int8"),
        _ts=paths._ts.cast("timestamp"),
        _id=paths._id,
    )


def _sorted_touches(ts: Any, label: Any, event_id: Any, kind: Any, hours: Any) -> Any:
    """A group's touches as a list sorted by (ts, label, event_id, kind).

    Collected unordered and sorted as structs (compared field by field, in this order):
    DuckDB's ordered list aggregate is several times slower at a million groups. The
    rows of a left join without a touch (label null) are left out.
    """
    touch = ibis.struct(
        {"ts": ts, "label": label, "event_id": event_id, "kind": kind, "hours": hours}
    )
    return touch.collect(where=label.notnull()).sort()


def _unpack(paths: Any) -> Any:
    """`_touches` -> the path's labels and hours, in the same order."""
    return paths.mutate(
        path=paths._touches.map(lambda t: t.label),
        hours_till_conv=paths._touches.map(lambda t: t.hours),
    ).drop("_touches")


def _aggregated(rows: Any) -> Any:
    """One row per distinct path (conversions, value and nulls summed, hours dropped)."""
    out = rows.group_by("path").agg(
        conversions=rows.conversions.sum(),
        value=rows.value.sum().cast(_VALUE),
        nulls=rows.nulls.sum(),
    )
    out = out.mutate(hours_till_conv=ibis.null("array<float64>"))
    return out.order_by(out.conversions.desc(), out.nulls.desc(), out.path)


def _conform(table: pa.Table) -> pa.Table:
    """The engine's Arrow result in PATHS_SCHEMA (column order, types, nullability)."""
    columns = [table.column(f.name).cast(f.type) for f in PATHS_SCHEMA]
    return pa.Table.from_arrays(columns, schema=PATHS_SCHEMA)


def _source(request: JourneyRequest) -> str:
    """What the report states about where the paths came from."""
    touches: Iterable[str] = [*request.touch_events, *sorted(request.include)]
    value = "net of refunds" if request.net_of_refunds else "gross"
    return (
        f"store journeys of shop {request.shop}, {request.date_from}..{request.date_to}: "
        f"touches {'+'.join(touches)}, conversion {request.conversion} ({value}), "
        f"lookback {request.lookback_days} d"
    )
