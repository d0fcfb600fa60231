"""The events relation a funnel is matched on: one row per event of the funnel's sources.

Columns: `unit` (visitor or customer id), `key` (unique event key within the shop),
`tus` (UTC µs since the epoch), `pos` (the event's place in its unit's sequence),
`local` (shop-local time), `s1..sn` (matches step i), `d_<dim>` (the dimensions the
request needs), `value`, `currency`.

Position: pos = tus × 64 + rank, rank = the first step the event matches (63: none).
Sorting by pos puts a unit's events in time order and, at equal times, in funnel order,
so simultaneous events can still convert (add_to_cart and checkout in the same second)
while one event never fills two steps (a step needs a strictly greater pos).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ibis

from socialscope.funnels.steps import (
    COMMENTS,
    MESSAGES,
    ORDERS,
    PAYMENTS,
    TOUCHPOINTS,
    Filter,
    Source,
    Step,
)
from socialscope.store.derive import resolve_person

RANK_BITS = 64
NO_STEP = 63
_EPOCH = ibis.timestamp("1970-01-01 00:00:00")
_VISITOR_PREFIX = "visitor:"
"""Unit key of a visitor never linked to a customer (kept apart from customer ids)."""


@dataclass(frozen=True)
class Frame:
    """What the events relation depends on."""

    steps: tuple[Step, ...]
    shop: Any  # the shop id, or an Ibis string param
    unit: str
    lo: Any  # shop-local lower bound (the period's first day, 00:00): value or Ibis param
    hi: Any  # shop-local upper bound of any event that can still convert
    dims: tuple[str, ...]  # dimensions the request needs (by, same)
    every_event: bool  # strict mode: keep the sources' events that match no step


def events(con: Any, frame: Frame) -> Any:
    """The union of the funnel's sources, reduced to the common columns."""
    sources = list(dict.fromkeys(s.source for s in frame.steps))
    parts = [_standard(con, src, frame) for src in sources]
    rel = parts[0]
    for part in parts[1:]:
        rel = rel.union(part, distinct=False)
    return rel


def _standard(con: Any, source: Source, frame: Frame) -> Any:
    t = _BUILDERS[source.name](con, frame)
    flags = {
        f"s{i}": (_matches(t, step) if step.source == source else ibis.literal(False))
        for i, step in enumerate(frame.steps, 1)
    }
    t = t.mutate(**flags)
    if not frame.every_event:
        t = t.filter(ibis.or_(*(t[name] for name in flags)))
    rank = ibis.cases(*((t[name], i) for i, name in enumerate(flags, 1)), else_=NO_STEP)
    tus = t.ts.delta(_EPOCH, unit="microsecond")
    dims = {
        f"d_{d}": (t[f"d_{d}"] if d in source.dims else ibis.null("string")) for d in frame.dims
    }
    return t.select(
        unit=t.unit,
        key=t.key,
        tus=tus,
        pos=tus * RANK_BITS + rank,
        local=t.local,
        **{name: t[name] for name in flags},
        **dims,
        value=t.value.cast("decimal(18, 4)"),
        currency=t.currency.cast("string"),
    )


def _matches(t: Any, step: Step) -> Any:
    cond = ibis.literal(True)
    if step.source == TOUCHPOINTS:
        cond = t.event == step.event
    elif step.event == "keyword_comment":
        cond = t.intent
    for f in step.filters:
        cond = cond & _filter(t[f"d_{f.dim}"], f)
    return cond


def _filter(col: Any, f: Filter) -> Any:
    empty = col.isnull() | (col == "")
    if f.op == "present":
        return ~empty
    if f.op == "absent":
        return empty
    hit = col.isin(list(f.values))
    return hit.fill_null(False) if f.op == "in" else (empty | ~hit)


def _bounded(t: Any, local: str, frame: Frame) -> Any:
    return t.filter(t.shop_id == frame.shop, t[local] >= frame.lo, t[local] < frame.hi)


def _dims(t: Any, source: Source) -> dict[str, Any]:
    return {f"d_{d}": t[d].cast("string") for d in source.dims}


def _touchpoints(con: Any, frame: Frame) -> Any:
    t = _bounded(con.table("touchpoints"), "ts_local", frame)
    unit = t.visitor_id
    if frame.unit == "customer":
        link = latest_customer_of_visitor(con, frame.shop)
        t = t.left_join(link, t.visitor_id == link.l_visitor)
        unit = t.l_customer.coalesce(_VISITOR_PREFIX + t.visitor_id)
    return t.select(
        unit=unit,
        key="t:" + t.event_id,
        ts=t.ts,
        local=t.ts_local,
        event=t.event,
        intent=ibis.literal(False),
        **_dims(t, TOUCHPOINTS),
        value=t.value,
        currency=t.currency,
    )


def latest_customer_of_visitor(con: Any, shop: Any) -> Any:
    """Visitor -> the customer_id of its latest touchpoint carrying one (equal times: the
    greatest customer_id), over all the shop's touchpoints: a visitor who signs in later
    was that customer before too."""
    t = con.table("touchpoints")
    t = t.filter(t.shop_id == shop, t.customer_id.notnull(), t.customer_id != "")
    stamped = t.ts.strftime("%Y%m%d%H%M%S%f") + t.customer_id
    agg = t.group_by(l_visitor=t.visitor_id).agg(_latest=stamped.max())
    return agg.select("l_visitor", l_customer=agg._latest.substr(20))


def _messages(con: Any, frame: Frame) -> Any:
    m = _bounded(con.table("d_messages"), "ts_local", frame)
    m = m.filter((m.sender == "customer") & (m.kind == "message"))
    return m.select(
        unit=m.person_id,
        key="m:" + m.event_id,
        ts=m.ts,
        local=m.ts_local,
        event=ibis.literal("inquiry"),
        intent=ibis.literal(False),
        **_dims(m, MESSAGES),
        value=ibis.null("decimal(18, 4)"),
        currency=ibis.null("string"),
    )


def _comments(con: Any, frame: Frame) -> Any:
    c = _bounded(con.table("d_comment_intents"), "ts_local", frame)
    c = c.filter((c.author == "customer") & ~c.deleted)
    # the same identity resolution as d_messages.person_id
    c = resolve_person(c, con.table("identities"))
    return c.select(
        unit=c.person_id,
        key="c:" + c.event_id,
        ts=c.ts,
        local=c.ts_local,
        event=ibis.literal("comment"),
        intent=c.is_purchase_intent,
        **_dims(c, COMMENTS),
        value=ibis.null("decimal(18, 4)"),
        currency=ibis.null("string"),
    )


def _orders(con: Any, frame: Frame, paid: bool) -> Any:
    ts, local = ("paid_at", "paid_at_local") if paid else ("created_at", "created_at_local")
    o = _bounded(con.table("d_orders"), local, frame)
    o = o.filter(~o.is_cancelled, o.customer_id.notnull(), o.customer_id != "")
    if paid:
        o = o.filter(o[ts].notnull())
    return o.select(
        unit=o.customer_id,
        key=("p:" if paid else "o:") + o.order_id,
        ts=o[ts],
        local=o[local],
        event=ibis.literal("paid" if paid else "order"),
        intent=ibis.literal(False),
        **_dims(o, PAYMENTS if paid else ORDERS),
        value=o.amount,
        currency=o.currency,
    )


def _created(con: Any, frame: Frame) -> Any:
    return _orders(con, frame, paid=False)


def _paid(con: Any, frame: Frame) -> Any:
    return _orders(con, frame, paid=True)


_BUILDERS: dict[str, Callable[[Any, Frame], Any]] = {
    TOUCHPOINTS.name: _touchpoints,
    MESSAGES.name: _messages,
    COMMENTS.name: _comments,
    ORDERS.name: _created,
    PAYMENTS.name: _paid,
}
