"""Preparation of the consideration facts (METRICS.md section 6), in Ibis.

- Sessions are `web_sessions` rows as stored; whether one is *social* is `is_social`.
- `prepare_leads` — lead / signup touchpoints with their channel normalised, so a
  touchpoint's free-text channel ("Facebook ") meets a session's enum value ("facebook").
- `prepare_first_purchases` — one row per customer whose first paid order ever in the shop
  was paid in the period, with the number of their sessions in the 90 days before it.

`visitor_links` (which visitor is which customer) is shared with the purchase facts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ibis

from socialscope.contract.enums import Channel
from socialscope.metrics.factspec import PERIOD_FROM, PERIOD_TO

Lookup = Callable[[str], Any]

SOCIAL_CHANNELS: frozenset[str] = frozenset(
    c.value
    for c in (
        Channel.FACEBOOK,
        Channel.INSTAGRAM,
        Channel.LINE,
        Channel.TIKTOK,
        Channel.DOUYIN,
        Channel.WHATSAPP,
        Channel.YOUTUBE,
        Channel.X,
    )
)
"""The social platforms of the SCHEMA channel enum. Not social: web_chat (the shop's own
site chat), email and sms (owned direct messaging, not a social platform), other (unknown)."""

SOCIAL_MEDIA: frozenset[str] = frozenset(
    {"social", "paid_social", "social_paid", "organic_social", "social_media", "social_network"}
)
"""utm_medium values that mark a social visit, after `normal_medium` (lower case, trimmed,
'-' and ' ' read as '_'): "Paid-Social", "social-paid" and "Social Media" all count."""

LEAD_EVENTS: tuple[str, ...] = ("lead", "signup")
LOOKBACK_DAYS = 90


def normal_medium(medium: Any) -> Any:
    """utm_medium compared case- and separator-insensitively."""
    return medium.strip().lower().replace("-", "_").replace(" ", "_")


def normal_channel(channel: Any) -> Any:
    """A touchpoint's free-text channel in the session enum's spelling; blank is null."""
    value = channel.strip().lower()
    return ibis.cases((value == "", ibis.null("string")), else_=value)


def is_social(t: Any) -> Any:
    """A session is social when its channel is a social platform or its medium is social."""
    by_channel = t.channel.isin(sorted(SOCIAL_CHANNELS)).fill_null(False)
    by_medium = normal_medium(t.medium).isin(sorted(SOCIAL_MEDIA)).fill_null(False)
    return by_channel | by_medium


def visitor_links(lookup: Lookup) -> Any:
    """Distinct (l_shop, l_visitor, l_customer): a visitor is a customer when any of its
    web sessions or touchpoints carries that customer_id (a visitor who logged in once is
    that customer for all its visits). A shared device may link one visitor to several
    customers; it then counts for each of them."""
    parts = []
    for name in ("web_sessions", "touchpoints"):
        t = lookup(name)
        known = t.filter(t.customer_id.notnull() & (t.customer_id.strip() != ""))
        parts.append(
            known.select(
                l_shop=known.shop_id, l_visitor=known.visitor_id, l_customer=known.customer_id
            )
        )
    return ibis.union(*parts, distinct=True)


def prepare_leads(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """Lead and signup touchpoints, channel normalised (`normal_channel`)."""
    leads = t.filter(t.event.isin(list(LEAD_EVENTS)))
    return leads.mutate(channel=normal_channel(leads.channel))


def paid_orders(d_orders: Any) -> Any:
    """Orders that are purchases: paid_at present, not cancelled, of a known customer."""
    o = d_orders
    return o.filter(o.is_paid & ~o.is_cancelled & o.customer_id.notnull())


def prepare_first_purchases(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """One row per customer whose first paid order ever (not cancelled) is in the period.

    Columns: shop_id, customer_id, paid_at / paid_at_local (the first payment),
    n_sessions (their sessions started in [paid_at − 90 days, paid_at)), and
    first_session_channel (the channel of the earliest of those; null without one).
    Their sessions: web_sessions with their customer_id, plus sessions without a
    customer_id of a visitor linked to them (`visitor_links`).
    """
    p_from, p_to = params[PERIOD_FROM], params[PERIOD_TO]
    paid = paid_orders(t)
    first = paid.group_by("shop_id", "customer_id").agg(
        paid_at=paid.paid_at.min(), paid_at_local=paid.paid_at_local.min()
    )
    first = first.filter(first.paid_at_local >= p_from, first.paid_at_local < p_to)

    ws = lookup("web_sessions")
    own = ws.filter(ws.customer_id.notnull()).select(
        s_shop=ws.shop_id,
        s_customer=ws.customer_id,
        s_id=ws.session_id,
        s_at=ws.started_at,
        s_channel=ws.channel,
    )
    links = visitor_links(lookup)
    anon = ws.filter(ws.customer_id.isnull())
    anon = anon.join(
        links, [anon.shop_id == links.l_shop, anon.visitor_id == links.l_visitor]
    ).select(
        s_shop=anon.shop_id,
        s_customer=links.l_customer,
        s_id=anon.session_id,
        s_at=anon.started_at,
        s_channel=anon.channel,
    )
    sessions = ibis.union(own, anon, distinct=True)

    lookback = ibis.interval(days=LOOKBACK_DAYS)
    hits = first.join(
        sessions,
        [
            first.shop_id == sessions.s_shop,
            first.customer_id == sessions.s_customer,
            sessions.s_at >= first.paid_at - lookback,
            sessions.s_at < first.paid_at,
        ],
    )
    earliest = ibis.window(
        group_by=[hits.shop_id, hits.customer_id], order_by=[hits.s_at, hits.s_id]
    )
    hits = hits.mutate(
        _rn=ibis.row_number().over(earliest),
        _n=hits.s_id.count().over(ibis.window(group_by=[hits.shop_id, hits.customer_id])),
    )
    head = hits.filter(hits._rn == 0).select(
        h_shop=hits.shop_id,
        h_customer=hits.customer_id,
        h_n=hits._n,
        first_session_channel=hits.s_channel,
    )
    out = first.left_join(
        head, [first.shop_id == head.h_shop, first.customer_id == head.h_customer]
    )
    out = out.mutate(n_sessions=out.h_n.coalesce(0))
    return out.drop("h_shop", "h_customer", "h_n")
