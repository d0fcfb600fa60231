"""loss_destinations (METRICS.md 9): where a shop's lost users bought instead.

For the lost users of shop S in one calendar month: their paid orders (created in the
month in the other shop's local time, not cancelled) in the OTHER shops of the same store,
grouped by product category and price band, with distinct users, orders and the users'
share of S's lost users. Rules (docs/audience.md):

* Person matching across shops: a lost user of S (a customer id) is the same person as a
  customer of shop T when an `identities` row of S and one of T share
  (channel, channel_user_id). Visitors never linked to a customer cannot be followed.
* k-anonymity: a group is shown only with ≥ k distinct users; no totals over the
  destination side are shown (nothing to subtract a shown group from).
* Differencing: the period is exactly one whole calendar month that is over in S's time
  zone (periods cannot overlap or grow), the dimensions are fixed (category × price band)
  and no filters are accepted on either side.
* Another shop is never named — except the caller's own shops (`named_shops`, e.g. the
  shops one API key reads): their groups carry the shop id, and such a group is shown
  only when the pooled remainder of the same category × band is empty or itself ≥ k, so
  a suppressed pooled group cannot be derived by subtraction.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import ibis

from socialscope.audience.privacy import PrivacyError, effective_k
from socialscope.audience.usersets import UserSetRequest, materialized, units

if TYPE_CHECKING:
    from socialscope.client import Client

BAND_EDGES: tuple[int, ...] = (10, 25, 50, 100, 250)
"""Price-band edges in 'base units'; a currency's band edges are these × its scale."""
CURRENCY_SCALE: dict[str, int] = {
    "USD": 1, "EUR": 1, "GBP": 1, "CHF": 1, "CAD": 1, "AUD": 1, "NZD": 1, "SGD": 1,
    "MYR": 5, "PLN": 5, "CNY": 10, "HKD": 10, "SEK": 10, "NOK": 10, "DKK": 10,
    "THB": 50, "TWD": 50, "PHP": 50, "INR": 100, "JPY": 100,
    "KRW": 1000, "IDR": 10000, "VND": 10000,
}  # fmt: skip
"""Round magnitude factors (not exchange rates) so that bands read naturally in each
currency; unlisted currencies use 1."""
UNCATEGORISED = "uncategorised"
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


@dataclass(frozen=True)
class DestinationGroup:
    category: str
    price_band: str
    currency: str
    users: int
    orders: int
    share: float  # users / lost users of the shop
    shop: str | None = None  # only for the caller's own shops

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "category": self.category,
            "price_band": self.price_band,
            "currency": self.currency,
            "users": self.users,
            "orders": self.orders,
            "share": self.share,
        }
        if self.shop is not None:
            out["shop"] = self.shop
        return out


@dataclass(frozen=True)
class LossDestinations:
    shop: str
    month: str
    date_from: date
    date_to: date
    k: int
    lost_users: int
    groups: tuple[DestinationGroup, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "shop": self.shop,
            "month": self.month,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "k": self.k,
            "lost_users": self.lost_users,
            "groups": [g.to_json() for g in self.groups],
        }


def month_period(month: str, shop_tz: str, today: date | None = None) -> tuple[date, date]:
    """'YYYY-MM' → (first day, last day); PrivacyError unless the month is over in the
    shop's time zone (a month still running would grow between two queries)."""
    try:
        if not _MONTH.fullmatch(month):
            raise ValueError(month)
        first = datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise PrivacyError(f"month must be YYYY-MM, got {month!r}") from None
    last = first.replace(day=monthrange(first.year, first.month)[1])
    now = today or datetime.now(ZoneInfo(shop_tz)).date()
    if last >= now:
        raise PrivacyError(
            f"month {month} is not over yet in the shop's time zone: loss destinations "
            "are only reported for complete calendar months"
        )
    return first, last


def band_label(currency: str, band: int) -> str:
    scale = CURRENCY_SCALE.get(currency, 1)
    edges = [e * scale for e in BAND_EDGES]
    if band == 0:
        return f"< {edges[0]} {currency}"
    if band >= len(edges):
        return f"≥ {edges[-1]} {currency}"
    return f"{edges[band - 1]}–{edges[band]} {currency}"


def loss_destinations(
    client: Client,
    shop: str,
    month: str,
    k: int | None = None,
    named_shops: Collection[str] = (),
    today: date | None = None,
) -> LossDestinations:
    """The k-anonymous loss destinations of `shop` in `month` (YYYY-MM)."""
    kk = effective_k(client.store, k)
    shops = client.shops()
    if shop not in shops:
        raise PrivacyError(f"unknown shop {shop!r}")
    tz = str(shops[shop].get("timezone") or "UTC")
    first, last = month_period(month, tz, today)
    con = client.store.ibis
    named = frozenset(named_shops) - {shop}
    with materialized(
        client.store, units(con, UserSetRequest(shop, "lost_users", first, last))
    ) as lost:
        lost_n = int(con.to_pyarrow(lost.count()).as_py())
        rows = con.to_pyarrow(_cells(con, shop, lost, first, last, named)).to_pylist()
    groups = _visible(rows, kk, lost_n)
    return LossDestinations(shop, month, first, last, kk, lost_n, tuple(groups))


def _cells(con: Any, shop: str, lost: Any, first: date, last: date, named: frozenset[str]) -> Any:
    """Per (named shop or pool, category, currency, band): distinct S-users and orders."""
    ids = con.table("identities")
    mine = ids.filter(ids.shop_id == shop).select(
        m_channel=ids.channel, m_user=ids.channel_user_id, m_customer=ids.customer_id
    )
    mine = mine.semi_join(lost, mine.m_customer == lost.unit).view()
    theirs = ids.filter(ids.shop_id != shop).select(
        t_shop=ids.shop_id, t_channel=ids.channel, t_user=ids.channel_user_id,
        t_customer=ids.customer_id,
    )  # fmt: skip
    link = mine.join(
        theirs, [mine.m_channel == theirs.t_channel, mine.m_user == theirs.t_user]
    ).select(person="m_customer", t_shop="t_shop", t_customer="t_customer")
    link = link.view().distinct()
    lo = datetime.combine(first, time())
    hi = datetime.combine(last + timedelta(days=1), time())
    o = con.table("d_orders")
    o = o.filter(
        o.shop_id != shop,
        o.created_at_local >= lo,
        o.created_at_local < hi,
        ~o.is_cancelled,
        o.paid_at.notnull(),
    )
    o = o.join(link, [o.shop_id == link.t_shop, o.customer_id == link.t_customer]).view()
    items = con.table("order_items").select(
        i_shop="shop_id", i_order="order_id", product_id="product_id", unit_price="unit_price"
    )
    o = o.join(items, [o.shop_id == items.i_shop, o.order_id == items.i_order]).view()
    prods = con.table("products").select(p_shop="shop_id", p_id="product_id", p_cat="category")
    o = o.left_join(prods, [o.shop_id == prods.p_shop, o.product_id == prods.p_id]).view()
    scale = ibis.literal(1)
    for cur, factor in CURRENCY_SCALE.items():
        if factor != 1:
            scale = ibis.ifelse(o.currency == cur, factor, scale)
    base = o.unit_price.cast("decimal(18, 4)") / scale
    band = ibis.literal(0)
    for i, edge in enumerate(BAND_EDGES, start=1):
        band = ibis.ifelse(base >= edge, i, band)
    cat = ibis.ifelse(o.p_cat.isnull() | (o.p_cat.strip() == ""), UNCATEGORISED, o.p_cat)
    named_list = sorted(named)
    dest = (
        ibis.ifelse(o.shop_id.isin(named_list), o.shop_id, ibis.null("string"))
        if named_list
        else ibis.null("string")
    )
    rel = o.select(
        dest=dest, category=cat, currency=o.currency, band=band, person=o.person,
        order_key=o.shop_id + "\x1f" + o.order_id,
    )  # fmt: skip
    return rel.group_by(["dest", "category", "currency", "band"]).agg(
        users=rel.person.nunique(), orders=rel.order_key.nunique()
    )


def _visible(rows: list[dict[str, Any]], k: int, lost_n: int) -> list[DestinationGroup]:
    """The groups that may be shown: ≥ k users; a named shop's group also needs the
    pooled group of the same category × band to be absent or ≥ k."""
    pooled = {
        (r["category"], r["currency"], r["band"]): r["users"] for r in rows if r["dest"] is None
    }
    out = []
    for r in rows:
        key = (r["category"], r["currency"], r["band"])
        if r["users"] < k:
            continue
        if r["dest"] is not None and 0 < pooled.get(key, 0) < k:
            continue
        out.append(
            DestinationGroup(
                category=r["category"],
                price_band=band_label(r["currency"], r["band"]),
                currency=r["currency"],
                users=int(r["users"]),
                orders=int(r["orders"]),
                share=int(r["users"]) / lost_n if lost_n else 0.0,
                shop=r["dest"],
            )
        )
    out.sort(key=lambda g: (-g.users, -g.orders, g.shop or "", g.category, g.price_band))
    return out
