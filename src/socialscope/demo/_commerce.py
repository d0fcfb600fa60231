"""Orders (every source), their lines and refunds; store visits and funnel events;
CSAT ratings and product reviews.

Orders are not sampled on their own: each comes from the activity that causes it — an
agent's order message in a chat, a "+1" comment under a live or post, a purchase at
the end of a web session — so inquiry conversion, live funnels and attribution paths
in the demo are coherent with the chats, comments and touchpoints around them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from socialscope.demo._catalog import Products
from socialscope.demo._chat import Chat
from socialscope.demo._context import S_ORDERS, S_RATINGS, S_WEB, ShopCtx
from socialscope.demo._people import People
from socialscope.demo._social import Social
from socialscope.demo._util import (
    DAY,
    MONEY_SCALE,
    NULL_I,
    Arr,
    Frame,
    concat,
    fmt,
    nulls,
    pick,
    present,
    scramble,
    take,
    where_str,
)

_P_UNPAID = {
    "message_center": 0.11,
    "live": 0.16,
    "post": 0.13,
    "web": 0.025,
    "app": 0.02,
    "pos": 0.0,
    "marketplace": 0.01,
}
_P_TRANSFER = {"message_center": 0.5, "live": 0.55, "post": 0.5, "web": 0.2, "app": 0.1}

# utm source, medium, social channel, attribution label, traffic source, weight
_SOURCES: tuple[tuple[str, str, str | None, str, str, float], ...] = (
    ("facebook.com", "social", "facebook", "facebook", "post", 0.11),
    ("facebook", "paid_social", "facebook", "facebook", "ad", 0.08),
    ("instagram.com", "social", "instagram", "instagram", "post", 0.11),
    ("instagram", "paid_social", "instagram", "instagram", "ad", 0.06),
    ("line", "social", "line", "line", "message", 0.08),
    ("tiktok.com", "social", "tiktok", "tiktok", "short_video", 0.07),
    ("google", "organic", None, "organic_search", "search", 0.17),
    ("google", "cpc", None, "paid_search", "ad", 0.07),
    ("(direct)", "(none)", None, "direct", "shop_page", 0.17),
    ("newsletter", "email", None, "email", "external", 0.05),
    ("bing", "organic", None, "organic_search", "search", 0.02),
    ("pinterest.com", "referral", None, "referral", "external", 0.02),
)
S_SHELF = 9
"""Random stream of the shelf-traffic draw (after _context's streams 0-8): its own, so
adding it left every other demo number as it was."""
_EXPOSURE_SOURCES = ("recommendation", "search", "product_card", "short_video", "post", "ad")
_EXPOSURE_LABELS = ("direct", "organic_search", "direct", "tiktok", "instagram", "facebook")


def _step_units(ctx: ShopCtx) -> int:
    return round(ctx.p.price_step * MONEY_SCALE) if ctx.p.minor == 1 else 100


def _round_to(units: Arr, step: int) -> Arr:
    out: Arr = (np.round(np.asarray(units, dtype=np.float64) / step) * step).astype(np.int64)
    return out


def order_batch(
    n: int,
    created: Arr,
    source: str | Arr,
    *,
    cust_idx: Arr | None = None,
    customer_id: Arr | None = None,
    **cols: Arr,
) -> Frame:
    """A batch of orders to build; columns not given are null."""
    batch: Frame = {
        "created": np.asarray(created, dtype=np.float64),
        "source": np.full(n, source, dtype=object) if isinstance(source, str) else source,
        "cust_idx": np.full(n, -1) if cust_idx is None else cust_idx.astype(np.int64),
        "customer_id": nulls(n) if customer_id is None else customer_id,
        "product": np.full(n, -1),
        "qty": np.zeros(n, dtype=np.int64),
        "ref": np.full(n, -1),
        "foreign": np.zeros(n, dtype=bool),
    }
    for k in ("channel", "staff_id", "conversation_id", "live_id", "post_id"):
        batch[k] = nulls(n)
    batch["traffic_source"] = nulls(n)
    batch["campaign"] = nulls(n)
    batch.update(cols)
    return batch


@dataclass(frozen=True)
class Orders:
    orders: Frame
    items: Frame
    refunds: Frame
    created: Arr  # local
    fulfilled: Arr  # local, nan when not (yet) fulfilled
    cust_idx: Arr
    ref: Arr
    line_order: Arr
    line_product: Arr


def build_orders(ctx: ShopCtx, products: Products, batch: Frame) -> Orders:
    p = ctx.p
    rng = ctx.rng(S_ORDERS)
    end = ctx.clock.end_s
    keep = batch["created"] < end
    batch = take(batch, np.flatnonzero(keep))
    batch = take(batch, np.lexsort((np.arange(len(batch["created"])), batch["created"])))
    n = len(batch["created"])
    src = batch["source"]
    created = batch["created"]
    step = _step_units(ctx)

    # ---- lines
    n_lines = 1 + np.minimum(rng.poisson(np.where(batch["product"] >= 0, 0.35, 0.7)), 4)
    lo = np.repeat(np.arange(n), n_lines)
    line_no = np.arange(len(lo)) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines)
    first = line_no == 0
    prod = products.sample(rng, len(lo))
    hint = batch["product"][lo]
    prod = np.where(first & (hint >= 0), hint, prod)
    r = rng.random(len(lo))
    qty = (1 + (r < 0.16) + (r < 0.04)).astype(np.int64)
    qty = np.where(first & (batch["qty"][lo] > 0), batch["qty"][lo], qty)
    unit = products.price[prod].astype(np.int64)
    unit = np.where(src[lo] == "live", _round_to(unit * 0.9, step), unit)
    foreign = batch["foreign"]
    fx_code, fx_rate = (
        (p.second_currency[0], p.second_currency[1]) if p.second_currency else ("", 1.0)
    )
    unit = np.where(foreign[lo], _round_to(unit / fx_rate, 100), unit)
    line_amount = qty * unit
    subtotal = np.zeros(n, dtype=np.int64)
    np.add.at(subtotal, lo, line_amount)

    # ---- money
    fee = round(p.shipping_fee * MONEY_SCALE)
    free = round(p.free_shipping * MONEY_SCALE)
    shipping = np.where(subtotal >= free, 0, fee)
    shipping = np.where(foreign, 15 * MONEY_SCALE, shipping)
    shipping = np.where(np.isin(src, ("pos", "marketplace")), 0, shipping)
    has_camp = present(batch["campaign"])
    camp_disc = has_camp & (rng.random(n) < 0.7)
    coupon = ~camp_disc & (rng.random(n) < 0.08)
    discount = np.where(camp_disc, _round_to(subtotal * 0.1, step), 0)
    discount = np.where(coupon, np.minimum(int(p.coupon * MONEY_SCALE), subtotal), discount)
    discount = np.where(foreign, 0, discount)
    amount = subtotal + shipping - discount

    # ---- payment, cancellation, fulfilment
    p_unpaid = np.array([_P_UNPAID.get(str(s), 0.02) for s in src])
    p_transfer = np.array([_P_TRANSFER.get(str(s), 0.0) for s in src])
    unpaid = rng.random(n) < p_unpaid
    transfer = rng.random(n) < p_transfer
    lag = np.where(
        transfer,
        np.clip(rng.lognormal(np.log(3 * 3600.0), 1.2, n), 60, 4 * DAY),
        rng.uniform(5, 180, n),
    )
    lag = np.where(src == "pos", 0.0, lag)
    paid = np.where(unpaid, np.nan, created + lag)
    paid[paid >= end] = np.nan
    cancel_at = np.where(
        np.isnan(paid) & (rng.random(n) < 0.55), created + rng.uniform(3600, 3 * DAY, n), np.nan
    )
    paid_cancel = ~np.isnan(paid) & (rng.random(n) < 0.012) & (src != "pos")
    cancel_at = np.where(paid_cancel, paid + rng.uniform(3600, 2 * DAY, n), cancel_at)
    cancel_at[cancel_at >= end] = np.nan
    cancelled = ~np.isnan(cancel_at)
    fulfilled = np.where(
        ~np.isnan(paid) & ~cancelled,
        paid + np.where(src == "pos", 0.0, rng.uniform(0.5 * DAY, 3 * DAY, n)),
        np.nan,
    )
    fulfilled[fulfilled >= end] = np.nan
    closed = fulfilled + 14 * DAY
    closed[~(closed < end)] = np.nan

    # ---- refunds: after payment, never more than the order
    refund_amt = np.full(n, NULL_I, dtype=np.int64)
    refund_ts = np.full(n, np.nan)
    base = np.where(np.isnan(fulfilled), paid, fulfilled)
    want = ~np.isnan(paid) & ~cancelled & (rng.random(n) < p.refund_rate)
    rts = base + np.clip(rng.lognormal(np.log(4 * DAY), 0.6, n), 3600, 30 * DAY)
    want &= rts < end
    first_line = np.cumsum(n_lines) - n_lines
    partial = np.where(
        n_lines > 1,
        line_amount[first_line],
        _round_to(amount * rng.uniform(0.2, 0.5, n), step),
    )
    full = rng.random(n) < 0.35
    refund_amt = np.where(want, np.where(full, amount, np.minimum(partial, amount)), refund_amt)
    refund_ts = np.where(want, rts, refund_ts)
    # Cancelled after payment: refunded in full.
    pc = paid_cancel & cancelled
    c_rts = cancel_at + rng.uniform(600, DAY, n)
    pc &= c_rts < end
    refund_amt = np.where(pc, amount, refund_amt)
    refund_ts = np.where(pc, c_rts, refund_ts)
    has_refund = refund_amt != NULL_I

    status = np.full(n, "paid", dtype=object)
    status[~np.isnan(fulfilled)] = "fulfilled"
    status[~np.isnan(closed)] = "closed"
    status[has_refund & full & ~cancelled] = "closed"
    status[np.isnan(paid)] = "open"
    status[cancelled] = "cancelled"
    updated = np.nanmax(np.stack([created, paid, cancel_at, fulfilled, closed, refund_ts]), axis=0)

    clock = ctx.clock
    order_ids = fmt(p.prefix.upper() + "{:08d}", 10_000_000 + np.arange(n))
    currency = np.where(foreign, fx_code, p.currency).astype(object)

    def ts(x: Arr) -> Arr:
        out: Arr = np.where(np.isnan(x), NULL_I, clock.to_utc_us(np.nan_to_num(x)))
        return out

    orders: Frame = {
        "order_id": order_ids,
        "customer_id": batch["customer_id"],
        "created_at": ts(created),
        "updated_at": ts(updated),
        "paid_at": ts(paid),
        "cancelled_at": ts(cancel_at),
        "currency": currency,
        "amount": amount,
        "discount_amount": discount,
        "shipping_amount": shipping,
        "source": src,
        "channel": batch["channel"],
        "staff_id": batch["staff_id"],
        "conversation_id": batch["conversation_id"],
        "live_id": batch["live_id"],
        "post_id": batch["post_id"],
        "traffic_source": batch["traffic_source"],
        "campaign": batch["campaign"],
        "is_presale": rng.random(n) < (0.04 if p.category == "apparel" else 0.0),
        "status": status,
    }
    items: Frame = {
        "order_id": order_ids[lo],
        "line_id": (line_no + 1).astype(str).astype(object),
        "product_id": products.ids[prod],
        "quantity": qty,
        "unit_price": unit,
        "amount": line_amount,
    }
    ri = np.flatnonzero(has_refund)
    ri = ri[np.argsort(refund_ts[ri], kind="stable")]
    reasons = pick(p.texts.refund_reasons, rng.integers(0, len(p.texts.refund_reasons), len(ri)))
    refunds: Frame = {
        "refund_id": fmt("rf_" + p.prefix + "_{:06d}", np.arange(1, len(ri) + 1)),
        "order_id": order_ids[ri],
        "ts": ts(refund_ts[ri]),
        "amount": refund_amt[ri],
        "reason": np.where(cancelled[ri], "cancelled after payment", reasons).astype(object),
    }
    return Orders(
        orders, items, refunds, created, fulfilled, batch["cust_idx"], batch["ref"], lo, prod
    )


def chat_orders(ctx: ShopCtx, people: People, chat: Chat, staff_ids: Arr) -> Frame:
    """代客下單: orders an agent created in the chat, right before the order message."""
    rng = ctx.rng(S_ORDERS + 100)
    sel = np.flatnonzero(~np.isnan(chat.conv_order_at))
    n = len(sel)
    created = chat.conv_order_at[sel] - rng.uniform(5, 90, n)
    users = chat.conv_user[sel]
    camp = ctx.campaign_at(created)
    return order_batch(
        n,
        created,
        "message_center",
        cust_idx=people.user_cust[users],
        customer_id=people.customer_of_users(users),
        channel=chat.conv_channel[sel],
        staff_id=staff_ids[chat.conv_order_staff[sel]],
        conversation_id=chat.conv_id[sel],
        traffic_source=np.full(n, "message", dtype=object),
        campaign=where_str(rng.random(n) < 0.6, camp),
        product=chat.conv_product[sel],
    )


def keyword_orders(ctx: ShopCtx, people: People, social: Social) -> Frame:
    """直播收單 / post sales: a share of "+1" commenters order what they asked for."""
    rng = ctx.rng(S_ORDERS + 200)
    is_live = present(social.intent_live_id)
    sel = np.flatnonzero(rng.random(len(is_live)) < np.where(is_live, 0.62, 0.5))
    n = len(sel)
    wait = np.clip(rng.lognormal(np.log(600.0), 1.0, n), 30, None)
    created = np.minimum(social.intent_local[sel] + wait, social.intent_deadline[sel])
    users = social.intent_user[sel]
    live = is_live[sel]
    return order_batch(
        n,
        created,
        np.where(live, "live", "post").astype(object),
        cust_idx=people.user_cust[users],
        customer_id=people.customer_of_users(users),
        channel=social.intent_channel[sel],
        live_id=social.intent_live_id[sel],
        post_id=where_str(~live, social.intent_post_id[sel]),
        traffic_source=np.where(live, "live", "post").astype(object),
        campaign=ctx.campaign_at(created),
        product=social.intent_product[sel],
        qty=social.intent_qty[sel],
    )


def offline_orders(ctx: ShopCtx, people: People) -> Frame:
    """Orders no tracked session explains: untracked web/app, POS and marketplaces."""
    rng = ctx.rng(S_ORDERS + 300)
    p = ctx.p
    parts: list[Frame] = []
    shares = {"web": 0.35, "app": 0.5, "pos": 1.0, "marketplace": 1.0}
    store_hours = np.array([0] * 10 + [2, 3, 4, 4, 4, 4, 4, 5, 5, 5, 4, 2, 0, 0], float)
    w = people.cust_weight / people.cust_weight.sum()
    for src, per_day in p.orders_per_day.items():
        t = ctx.sample_times(rng, per_day * shares[src], store_hours if src == "pos" else None)
        n = len(t)
        known = rng.random(n) < {"pos": 0.6, "marketplace": 0.45}.get(src, 1.0)
        cust = np.where(known, rng.choice(len(w), n, p=w), -1)
        ts_src = {"web": "search", "app": "recommendation", "marketplace": "external"}.get(src)
        parts.append(
            order_batch(
                n,
                t,
                src,
                cust_idx=cust,
                customer_id=where_str(known, people.cust_id[np.maximum(cust, 0)]),
                traffic_source=np.full(n, ts_src, dtype=object),
                campaign=where_str(rng.random(n) < 0.5, ctx.campaign_at(t)),
            )
        )
    return concat(parts)


@dataclass(frozen=True)
class Web:
    sessions: Frame
    touch: Frame  # customer_id filled; purchase rows still lack order_id/value
    purchase_row: Arr  # touchpoint row of each purchase
    batch: Frame  # orders of the purchases (ref = touchpoint row)
    visitor_cust: Arr
    session_visitor: Arr
    session_local: Arr


def build_web(ctx: ShopCtx, people: People, products: Products) -> Web:
    """Sessions by source/medium and their funnel: click → views → cart → checkout →
    purchase, with exposure-only impressions so product CTR is below 100 %."""
    p = ctx.p
    rng = ctx.rng(S_WEB)
    clock = ctx.clock
    start = ctx.sample_times(rng, p.sessions_per_day)
    n = len(start)
    n_vis = max(int(n / 2.1), 50)
    vw = rng.lognormal(0.0, 1.0, n_vis)
    vis = rng.choice(n_vis, n, p=vw / vw.sum())
    cw = people.cust_weight / people.cust_weight.sum()
    v_cust = np.where(rng.random(n_vis) < 0.3, rng.choice(len(cw), n_vis, p=cw), -1)

    weights = np.array(
        [r[5] if r[2] is None or r[2] in p.social else 0.0 for r in _SOURCES], dtype=np.float64
    )
    k = rng.choice(len(_SOURCES), n, p=weights / weights.sum())
    source = np.array([r[0] for r in _SOURCES], dtype=object)[k]
    medium = np.array([r[1] for r in _SOURCES], dtype=object)[k]
    channel = np.array([r[2] for r in _SOURCES], dtype=object)[k]
    label = np.array([r[3] for r in _SOURCES], dtype=object)[k]
    tsrc = np.array([r[4] for r in _SOURCES], dtype=object)[k]
    # Shelf traffic (Douyin's 商品卡): part of the direct and search visits came in through
    # the platform's recommendation feed or a product card, so those sources have clicks
    # and orders too, not only exposures.
    u = ctx.rng(S_SHELF).random(n)
    shelf = np.isin(tsrc, ("shop_page", "search")) & (u < 0.35)
    tsrc = np.where(shelf, np.where(u < 0.2, "recommendation", "product_card"), tsrc)
    tsrc = tsrc.astype(object)
    camp_now = ctx.campaign_at(start)
    paid_like = np.isin(medium, ("paid_social", "cpc", "email"))
    evergreen = np.where(medium == "email", "weekly_newsletter", "always_on")
    in_camp = present(camp_now)
    campaign = where_str(paid_like, np.where(in_camp, camp_now, evergreen))
    campaign = np.where(
        (medium == "social") & (rng.random(n) < 0.5) & in_camp,
        camp_now,
        campaign,
    )
    u = rng.random(n)
    device = np.where(u < 0.74, "mobile", np.where(u < 0.95, "desktop", "tablet")).astype(object)
    land_prod = products.sample(rng, n)
    u = rng.random(n)
    on_product = u < 0.45
    cats = pick(tuple(c.name for c in p.categories), rng.integers(0, len(p.categories), n))
    landing = where_str(on_product, "/products/" + products.ids[land_prod].astype(str))
    landing = np.where((u >= 0.45) & (u < 0.7), "/", landing)
    landing = np.where((u >= 0.7) & (u < 0.9), "/collections/" + cats.astype(str), landing)
    landing = np.where(u >= 0.9, np.where(in_camp, "/pages/sale", "/"), landing)
    bounce = rng.random(n) < 0.38
    pageviews = np.where(bounce, 1, 2 + rng.poisson(2.0, n))
    duration = np.where(
        bounce,
        rng.uniform(0, 25, n),
        np.clip(rng.lognormal(np.log(150.0), 0.9, n) * np.sqrt(pageviews / 3.0), 20, 3600),
    )

    # Funnel decisions per session.
    views = np.where(bounce, on_product.astype(int), np.minimum(pageviews, 1 + rng.poisson(0.9, n)))
    boost = np.where(in_camp, 1.4, 1.0)
    cart = (views > 0) & ~bounce & (rng.random(n) < 0.11 * boost)
    checkout = cart & (rng.random(n) < 0.55)
    purchase = checkout & (rng.random(n) < 0.7)
    duration = np.where(purchase, np.maximum(duration, 240 + rng.exponential(200, n)), duration)
    lead = ~purchase & (rng.random(n) < 0.025)
    signup = ~purchase & (rng.random(n) < 0.012)
    # Buyers and new members log in: their visitor becomes a known customer.
    link = np.flatnonzero(purchase | signup)
    need = np.unique(vis[link][v_cust[vis[link]] < 0])
    v_cust[need] = rng.choice(len(cw), len(need), p=cw)
    engaged = np.where(
        bounce, duration * rng.uniform(0, 0.5, n), duration * rng.uniform(0.4, 0.95, n)
    )

    sess_ids = fmt(p.prefix + "-ws-{:07d}", np.arange(1, n + 1))
    vis_ids = fmt("v_{:012x}", scramble(np.arange(n_vis + 2 * n + 10), 2**48, 0x5DEECE66D, 0xB))
    sessions: Frame = {
        "session_id": sess_ids,
        "visitor_id": vis_ids[vis],
        "customer_id": where_str(v_cust[vis] >= 0, people.cust_id[np.maximum(v_cust[vis], 0)]),
        "started_at": clock.to_utc_us(start),
        "duration_s": np.round(duration, 1),
        "engaged_s": np.round(engaged, 1),
        "pageviews": pageviews.astype(np.int64),
        "source": source,
        "medium": medium,
        "campaign": campaign,
        "channel": channel,
        "landing_page": landing,
        "device": device,
    }

    # ---- touchpoints: (session, ts, event, product) per part
    parts: list[tuple[Arr, Arr, str, Arr]] = []
    imp = ~np.isin(label, ("direct", "organic_search")) & (rng.random(n) < 0.65)
    si = np.flatnonzero(imp)
    parts.append((si, start[si] - rng.uniform(30, 6 * 3600, len(si)), "impression", land_prod[si]))
    si = np.arange(n)
    parts.append((si, start, "click", np.where(on_product, land_prod, -1)))
    vs = np.repeat(np.arange(n), views)
    vrank = np.arange(len(vs)) - np.repeat(np.cumsum(views) - views, views)
    vprod = np.where((vrank == 0) & on_product[vs], land_prod[vs], products.sample(rng, len(vs)))
    vfrac = 0.05 + 0.55 * (vrank + rng.random(len(vs))) / np.maximum(views[vs], 1)
    parts.append((vs, start[vs] + duration[vs] * vfrac, "product_view", vprod))
    first_view = np.full(n, -1)
    first_view[vs[vrank == 0]] = vprod[vrank == 0]
    for mask, lo, hi, ev in (
        (cart, 0.62, 0.75, "add_to_cart"),
        (checkout, 0.8, 0.9, "checkout"),
        (purchase, 0.93, 0.99, "purchase"),
        (lead, 0.3, 0.6, "lead"),
        (signup, 0.6, 0.9, "signup"),
    ):
        si = np.flatnonzero(mask)
        t = start[si] + duration[si] * rng.uniform(lo, hi, len(si))
        parts.append(
            (si, t, ev, first_view[si] if ev not in ("lead", "signup") else np.full(len(si), -1))
        )
    t_sess = np.concatenate([x[0] for x in parts])
    t_ts = np.concatenate([x[1] for x in parts])
    t_ev = np.concatenate([np.full(len(x[0]), x[2], dtype=object) for x in parts])
    t_prod = np.concatenate([x[3] for x in parts])
    # Exposure-only impressions by visitors who never click.
    n_exp = int(n * 1.3)
    e_t = ctx.sample_times(rng, p.sessions_per_day * 1.3)[:n_exp]
    n_exp = len(e_t)
    ek = rng.integers(0, len(_EXPOSURE_SOURCES), n_exp)
    all_ts = np.r_[t_ts, e_t]
    ok = all_ts < clock.end_s
    m = len(all_ts)
    sess_of = np.r_[t_sess, np.full(n_exp, -1)]
    visitor_idx = np.where(
        sess_of >= 0,
        vis[np.maximum(sess_of, 0)],
        n_vis + np.r_[np.zeros(len(t_sess), int), np.arange(n_exp)],
    )
    cust = np.where(sess_of >= 0, v_cust[visitor_idx.clip(0, n_vis - 1)], -1)
    in_s = sess_of >= 0
    sidx = np.maximum(sess_of, 0)
    prod_all = np.r_[t_prod, products.sample(rng, n_exp)]
    touch: Frame = {
        "visitor_id": vis_ids[visitor_idx],
        "customer_id": where_str(cust >= 0, people.cust_id[np.maximum(cust, 0)]),
        "ts_local": all_ts,
        "event": np.r_[t_ev, np.full(n_exp, "impression", dtype=object)],
        "channel": np.where(
            in_s, label[sidx], pick(_EXPOSURE_LABELS, np.r_[np.zeros(len(t_sess), int), ek])
        ),
        "source": np.where(
            in_s, tsrc[sidx], pick(_EXPOSURE_SOURCES, np.r_[np.zeros(len(t_sess), int), ek])
        ),
        "campaign": where_str(in_s, campaign[sidx]),
        "product_id": where_str(prod_all >= 0, products.ids[np.maximum(prod_all, 0)]),
        "order_id": nulls(m),
        "value": np.full(m, NULL_I, dtype=np.int64),
        "currency": nulls(m),
        "_session": sess_of,
    }
    keep = np.flatnonzero(ok)
    touch = take(touch, keep[np.lexsort((keep, all_ts[keep]))])
    touch["event_id"] = fmt(p.prefix + "-tp-{:08d}", np.arange(1, len(touch["event"]) + 1))
    purchase_row = np.flatnonzero(touch["event"] == "purchase")
    ps = touch["_session"][purchase_row]
    np_ = len(ps)
    foreign = np.zeros(np_, dtype=bool)
    if p.second_currency is not None:
        foreign = rng.random(np_) < p.second_currency[2]
    is_app = (device[ps] == "mobile") & (
        rng.random(np_) < (0.3 if p.orders_per_day["app"] > 1 else 0.0)
    )
    batch = order_batch(
        np_,
        touch["ts_local"][purchase_row],
        np.where(is_app, "app", "web").astype(object),
        cust_idx=v_cust[vis[ps]],
        customer_id=people.cust_id[v_cust[vis[ps]]],
        channel=channel[ps],
        traffic_source=tsrc[ps],
        campaign=campaign[ps],
        product=first_view[ps],
        ref=purchase_row,
        foreign=foreign,
    )
    return Web(sessions, touch, purchase_row, batch, v_cust, vis, start)


def finish_touchpoints(ctx: ShopCtx, web: Web, orders: Orders) -> Frame:
    """Purchase touchpoints get the order they created, its value and currency."""
    touch = dict(web.touch)
    has = orders.ref >= 0
    rows = orders.ref[has]
    touch["order_id"] = touch["order_id"].copy()
    touch["order_id"][rows] = orders.orders["order_id"][has]
    touch["value"] = touch["value"].copy()
    touch["value"][rows] = orders.orders["amount"][has]
    touch["currency"] = touch["currency"].copy()
    touch["currency"][rows] = orders.orders["currency"][has]
    touch["ts"] = ctx.clock.to_utc_us(touch.pop("ts_local"))
    touch.pop("_session")
    return touch


def build_ratings(
    ctx: ShopCtx, people: People, chat: Chat, staff_ids: Arr, orders: Orders, products: Products
) -> Frame:
    """CSAT after ~20 % of answered conversations (slower replies, lower scores) and
    reviews of a share of delivered order lines."""
    rng = ctx.rng(S_RATINGS)
    tx = ctx.p.texts
    end = ctx.clock.end_s
    answered = np.flatnonzero(chat.conv_staff >= 0)
    sel = answered[rng.random(len(answered)) < 0.2]
    t = chat.conv_end[sel] + rng.uniform(60, 1800, len(sel))
    delay = np.nan_to_num(chat.conv_first_delay[sel], nan=1e9)
    probs = np.where(
        (delay <= 180)[:, None],
        np.array([0.03, 0.03, 0.07, 0.25, 0.62]),
        np.where(
            (delay <= 900)[:, None],
            np.array([0.05, 0.07, 0.15, 0.33, 0.4]),
            np.array([0.16, 0.14, 0.2, 0.25, 0.25]),
        ),
    )
    score = 1 + (rng.random(len(sel))[:, None] > np.cumsum(probs, axis=1)).sum(axis=1)
    score = np.minimum(score, 5)
    with_text = rng.random(len(sel)) < 0.4
    csat: Frame = {
        "kind": np.full(len(sel), "csat", dtype=object),
        "ts_local": t,
        "score": score.astype(np.int64),
        "customer_id": people.customer_of_users(chat.conv_user[sel]),
        "conversation_id": chat.conv_id[sel],
        "staff_id": staff_ids[chat.conv_staff[sel]],
        "text": where_str(with_text, pick(tx.csat, score - 1)),
    }
    # Reviews of delivered lines.
    lo = orders.line_order
    f = orders.fulfilled[lo]
    cand = np.flatnonzero(~np.isnan(f) & (rng.random(len(lo)) < 0.07))
    rt = f[cand] + rng.uniform(2 * DAY, 12 * DAY, len(cand))
    probs_r = np.array([0.04, 0.05, 0.1, 0.25, 0.56])
    rs = 1 + (rng.random(len(cand))[:, None] > np.cumsum(probs_r)[None, :]).sum(axis=1)
    rs = np.minimum(rs, 5)
    reviews: Frame = {
        "kind": np.full(len(cand), "review", dtype=object),
        "ts_local": rt,
        "score": rs.astype(np.int64),
        "customer_id": orders.orders["customer_id"][lo[cand]],
        "order_id": orders.orders["order_id"][lo[cand]],
        "product_id": products.ids[orders.line_product[cand]],
        "text": where_str(rng.random(len(cand)) < 0.7, pick(tx.review, rs - 1)),
    }
    out = concat([csat, reviews])
    keep = np.flatnonzero(out["ts_local"] < end)
    out = take(out, keep[np.argsort(out["ts_local"][keep], kind="stable")])
    out["rating_id"] = fmt("rt_" + ctx.p.prefix + "_{:06d}", np.arange(1, len(out["kind"]) + 1))
    out["ts"] = ctx.clock.to_utc_us(out.pop("ts_local"))
    return out
