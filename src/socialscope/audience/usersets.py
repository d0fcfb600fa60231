"""User sets of one shop and period, as Ibis expressions executed inside the engine.

A set is a relation with one row per (unit, traffic_source): `unit` is the person — the
shop's customer id where one is known, else `visitor:<visitor_id>` — and
`traffic_source` is where the user came from (touchpoint `source`, order
`traffic_source`; null for sets without one). The identity rule is the metric layer's:
chat and comment authors go through `store.derive.resolve_person` (identities), visitors
become customers through the customer_id of their latest touchpoint carrying one (the
funnel runner's rule), orders carry their customer_id. User ids stay in the engine;
only `export.py` lets the shop's own customer ids out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import ibis

from socialscope.funnels.events import latest_customer_of_visitor as visitor_links
from socialscope.store.derive import resolve_person

VISITOR_PREFIX = "visitor:"
SETS: tuple[str, ...] = (
    "click_users",
    "exposure_users",
    "buyers",
    "non_buyers",
    "lost_users",
    "inquiring_customers",
    "live_commenters",
    "post_commenters",
)
_TOUCH = {"click_users": "click", "exposure_users": "impression"}
_FILTERS: dict[str, frozenset[str]] = {
    "click_users": frozenset({"product_id", "category", "traffic_source"}),
    "exposure_users": frozenset({"product_id", "category", "traffic_source"}),
    "buyers": frozenset({"product_id", "category", "traffic_source"}),
    "non_buyers": frozenset({"product_id", "category", "traffic_source"}),
    "lost_users": frozenset({"product_id", "category", "traffic_source"}),
    "inquiring_customers": frozenset({"product_id", "category"}),
    "live_commenters": frozenset({"live_id"}),
    "post_commenters": frozenset({"post_id"}),
}


class UserSetError(ValueError):
    """A bad user-set request; the message names the parameter."""


@dataclass(frozen=True)
class UserSetRequest:
    """Which users: a set name, a shop, a local date range and optional filters."""

    shop: str
    set: str
    date_from: date
    date_to: date
    product_id: str | None = None
    category: str | None = None
    traffic_source: str | None = None
    live_id: str | None = None
    post_id: str | None = None

    def __post_init__(self) -> None:
        if self.set not in SETS:
            raise UserSetError(f"set must be one of {', '.join(SETS)}; got {self.set!r}")
        if self.date_from > self.date_to:
            raise UserSetError("from must not be after to")
        for name in ("product_id", "category", "traffic_source", "live_id", "post_id"):
            if getattr(self, name) is not None and name not in _FILTERS[self.set]:
                raise UserSetError(f"{name} does not apply to the set {self.set}")
        if self.set == "post_commenters" and not self.post_id:
            raise UserSetError("post_id is required for the set post_commenters")

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """[from 00:00, to + 1 day 00:00) in shop-local wall-clock time."""
        lo = datetime.combine(self.date_from, time())
        return lo, datetime.combine(self.date_to + timedelta(days=1), time())

    def with_set(self, name: str) -> UserSetRequest:
        """The same shop, period and filters for another set (filters it cannot take
        are dropped)."""
        keep = {
            f: getattr(self, f)
            for f in ("product_id", "category", "traffic_source", "live_id", "post_id")
            if f in _FILTERS[name]
        }
        return UserSetRequest(self.shop, name, self.date_from, self.date_to, **keep)


def parse_day(value: date | str, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserSetError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


def user_set(con: Any, req: UserSetRequest) -> Any:
    """The set as an Ibis relation (unit, traffic_source), distinct rows."""
    build = {
        "click_users": _touch,
        "exposure_users": _touch,
        "buyers": _buyers,
        "non_buyers": _non_buyers,
        "lost_users": _lost,
        "inquiring_customers": _inquiring,
        "live_commenters": _commenters,
        "post_commenters": _commenters,
    }[req.set]
    rel = build(con, req).view()
    return rel.select(unit=rel.unit, traffic_source=rel.traffic_source.cast("string")).distinct()


def units(con: Any, req: UserSetRequest) -> Any:
    """The set's distinct units (one column `unit`)."""
    return user_set(con, req).select("unit").distinct()


def _in_period(t: Any, local: str, req: UserSetRequest) -> Any:
    lo, hi = req.bounds
    return t.filter(t.shop_id == req.shop, t[local] >= lo, t[local] < hi)


def _category_products(con: Any, req: UserSetRequest) -> Any:
    p = con.table("products")
    return p.filter(p.shop_id == req.shop, p.category == req.category).select(
        c_product=p.product_id
    )


def _touch(con: Any, req: UserSetRequest) -> Any:
    t = _in_period(con.table("touchpoints"), "ts_local", req)
    t = t.filter(t.event == _TOUCH[req.set])
    if req.product_id is not None:
        t = t.filter(t.product_id == req.product_id)
    if req.category is not None:
        cats = _category_products(con, req)
        t = t.semi_join(cats, t.product_id == cats.c_product)
    if req.traffic_source is not None:
        t = t.filter(t.source == req.traffic_source)
    link = visitor_links(con, req.shop)
    t = t.left_join(link, t.visitor_id == link.l_visitor)
    return t.select(
        unit=t.l_customer.coalesce(VISITOR_PREFIX + t.visitor_id), traffic_source=t.source
    ).view()


def _paid_orders(con: Any, req: UserSetRequest, filtered: bool) -> Any:
    """Paid orders created in the period, not cancelled (section 4's paid orders), with a
    customer; `filtered`: only those matching the request's product/category/source."""
    o = _in_period(con.table("d_orders"), "created_at_local", req)
    o = o.filter(~o.is_cancelled, o.paid_at.notnull(), o.customer_id.notnull(), o.customer_id != "")
    if filtered:
        if req.traffic_source is not None:
            o = o.filter(o.traffic_source == req.traffic_source)
        if req.product_id is not None or req.category is not None:
            items = con.table("order_items")
            items = items.filter(items.shop_id == req.shop)
            if req.product_id is not None:
                items = items.filter(items.product_id == req.product_id)
            if req.category is not None:
                cats = _category_products(con, req)
                items = items.semi_join(cats, items.product_id == cats.c_product)
            items = items.select(i_order=items.order_id)
            o = o.semi_join(items, o.order_id == items.i_order)
    return o.select(unit=o.customer_id, traffic_source=o.traffic_source).view()


def _buyers(con: Any, req: UserSetRequest) -> Any:
    return _paid_orders(con, req, filtered=True)


def _without(con: Any, req: UserSetRequest, filtered: bool) -> Any:
    clicks = _touch(con, req.with_set("click_users"))
    paid = _paid_orders(con, req, filtered=filtered).select(p_unit="unit").distinct()
    return clicks.anti_join(paid, clicks.unit == paid.p_unit).view()


def _non_buyers(con: Any, req: UserSetRequest) -> Any:
    """Click users without a paid order matching the same filters."""
    return _without(con, req, filtered=True)


def _lost(con: Any, req: UserSetRequest) -> Any:
    """METRICS.md 9: click users with no paid order in this shop, any source, in the
    period."""
    return _without(con, req, filtered=False)


def _inquiring(con: Any, req: UserSetRequest) -> Any:
    m = _in_period(con.table("d_messages"), "ts_local", req)
    m = m.filter((m.sender == "customer") & (m.kind == "message"))
    if req.product_id is not None:
        m = m.filter(m.product_id == req.product_id)
    if req.category is not None:
        cats = _category_products(con, req)
        m = m.semi_join(cats, m.product_id == cats.c_product)
    return m.select(unit=m.person_id, traffic_source=ibis.null("string")).view()


def _commenters(con: Any, req: UserSetRequest) -> Any:
    c = _in_period(con.table("comments"), "ts_local", req)
    c = c.filter((c.author == "customer") & ~c.deleted.fill_null(False))
    if req.set == "live_commenters":
        c = c.filter(c.live_id.notnull(), c.live_id != "")
        if req.live_id is not None:
            c = c.filter(c.live_id == req.live_id)
    else:
        c = c.filter(c.post_id == req.post_id)
    c = resolve_person(c, con.table("identities"))
    return c.select(unit=c.person_id, traffic_source=ibis.null("string")).view()


@contextmanager
def materialized(store: Any, expr: Any) -> Iterator[Any]:
    """`expr` computed once into a temporary table (dropped afterwards), for a set that
    several later statements read: DuckDB would otherwise recompute it in each."""
    name = f"__ss_audience_{uuid.uuid4().hex}"
    store.con.execute(f'CREATE TEMP TABLE "{name}" AS {store.ibis.compile(expr)}')
    try:
        yield store.ibis.table(name)
    finally:
        store.con.execute(f'DROP TABLE IF EXISTS temp.main."{name}"')
