"""Deterministic, realistic demo data for every canonical table.

Three shops in different time zones and currencies (a large Taipei apparel shop, a
Kraków ceramics studio, a Los Angeles snack brand) over a window ending on
`end_date`. Activity follows each shop's local day (lunch and evening peaks), weekday
rhythm, a growth trend, campaigns and a big live, so trends and comparisons look real;
orders, ratings and funnels are derived from the chats, comments and sessions that
cause them, so the tables agree with each other.

Same config → byte-identical tables: all randomness comes from numpy PCG64 streams
seeded from `config.seed`, and the only outside input is `end_date` (today in UTC
when not given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import pyarrow as pa

from socialscope.contract.tables import TABLES
from socialscope.demo._catalog import build_products
from socialscope.demo._chat import build_chat
from socialscope.demo._commerce import (
    build_orders,
    build_ratings,
    build_web,
    chat_orders,
    finish_touchpoints,
    keyword_orders,
    offline_orders,
)
from socialscope.demo._context import ShopCtx
from socialscope.demo._people import build_people, build_staff, set_first_seen
from socialscope.demo._profiles import PROFILES, ShopProfile
from socialscope.demo._social import build_social
from socialscope.demo._util import Frame, concat, length, to_arrow

__all__ = ["DemoConfig", "generate_demo"]


def _today_utc() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class DemoConfig:
    """What to generate. `days` of data end on `end_date` (inclusive, shop-local)."""

    seed: int = 7
    days: int = 90
    end_date: date = field(default_factory=_today_utc)

    def __post_init__(self) -> None:
        if self.seed < 0:
            raise ValueError("seed must be ≥ 0")
        if self.days < 7:
            raise ValueError("days must be ≥ 7 (weekly rhythms need a week)")


def generate_demo(config: DemoConfig | None = None) -> dict[str, pa.Table]:
    """Every canonical table (TABLES order), exactly the contract's columns and types."""
    cfg = config or DemoConfig()
    parts: dict[str, list[Frame]] = {name: [] for name in TABLES}
    for idx, profile in enumerate(PROFILES):
        for name, frame in _shop_tables(profile, idx, cfg).items():
            n = length(frame)
            frame["shop_id"] = np.full(n, profile.shop_id, dtype=object)
            parts[name].append(frame)
    return {name: to_arrow(TABLES[name], concat(parts[name])) for name in TABLES}


def _shop_tables(p: ShopProfile, idx: int, cfg: DemoConfig) -> dict[str, Frame]:
    ctx = ShopCtx.build(p, cfg.seed, idx, cfg.end_date, cfg.days)
    products = build_products(ctx)
    people = build_people(ctx)
    staff, agent_status = build_staff(ctx)
    chat = build_chat(ctx, people, staff, products)
    social = build_social(ctx, people, staff, products)
    web = build_web(ctx, people, products)
    batch = concat(
        [
            chat_orders(ctx, people, chat, staff.ids),
            keyword_orders(ctx, people, social),
            web.batch,
            offline_orders(ctx, people),
        ]
    )
    orders = build_orders(ctx, products, batch)
    touchpoints = finish_touchpoints(ctx, web, orders)
    ratings = build_ratings(ctx, people, chat, staff.ids, orders, products)

    # Customers were first seen at their first activity (or before the window).
    set_first_seen(
        ctx,
        people,
        np.concatenate(
            [
                people.user_cust[chat.msg_user],
                people.user_cust[social.comment_user],
                orders.cust_idx,
                web.visitor_cust[web.session_visitor],
            ]
        ),
        np.concatenate([chat.msg_local, social.comment_local, orders.created, web.session_local]),
    )
    shops: Frame = {
        "name": np.array([p.name], dtype=object),
        "timezone": np.array([p.timezone], dtype=object),
        "currency": np.array([p.currency], dtype=object),
        "tier": np.array([p.tier], dtype=object),
        "category": np.array([p.category], dtype=object),
        "service_hours": np.array([f"{p.open_h:02d}:00-{p.close_h:02d}:00"], dtype=object),
    }
    return {
        "shops": shops,
        "customers": people.customers,
        "identities": people.identities,
        "staff": staff.frame,
        "messages": chat.messages,
        "comments": social.comments,
        "posts": social.posts,
        "content_metrics": social.metrics,
        "live_sessions": social.lives,
        "products": products.frame,
        "orders": orders.orders,
        "order_items": orders.items,
        "refunds": orders.refunds,
        "web_sessions": web.sessions,
        "touchpoints": touchpoints,
        "ratings": ratings,
        "agent_status": agent_status,
    }
