"""Facts: the tables metrics aggregate, with their local time column and dimensions.

A fact names a derived or canonical table, the shop-local timestamp that dates its rows
("in the period"), and how each dimension maps to a column. Metric specs only name a fact.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from socialscope.metrics.factspec import COMMON_DIMENSIONS, TIME_DIMENSIONS, FactSpec


def _with_products(t: Any, lookup: Callable[[str], Any], params: Mapping[str, Any]) -> Any:
    p = lookup("products").select(p_shop="shop_id", p_product="product_id", category="category")
    j = t.left_join(p, [t.shop_id == p.p_shop, t.product_id == p.p_product])
    return j.drop("p_shop", "p_product")


_FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "messages",
        "d_messages",
        "ts_local",
        {"channel": "channel", "sender": "sender", "staff_id": "staff_id"},
        "Chat events with their (assigned) conversation and identity-resolved customer.",
    ),
    FactSpec(
        "product_messages",
        "d_messages",
        "ts_local",
        {"channel": "channel", "product_id": "product_id", "category": "category"},
        "Chat messages joined with the product they mention.",
        prepare=_with_products,
    ),
    FactSpec(
        "conversations",
        "d_conversations",
        "first_ts_local",
        {"channel": "channel", "staff_id": "staff_id"},
        "One row per conversation, dated by its first event.",
    ),
    FactSpec(
        "interactions",
        "d_interactions",
        "ts_local",
        {"channel": "channel"},
        "Customer messages and customer comments (not deleted).",
    ),
    FactSpec(
        "comments",
        "comments",
        "ts_local",
        {"channel": "channel", "post_id": "post_id", "live_id": "live_id"},
        "Comments on posts and lives.",
    ),
    FactSpec(
        "orders",
        "d_orders",
        "created_at_local",
        {
            "source": "source",
            "channel": "channel",
            "staff_id": "attributed_staff_id",
            "live_id": "live_id",
            "post_id": "post_id",
            "currency": "currency",
        },
        "Orders not cancelled, dated by created_at; staff by the attribution rule.",
        currency_column="currency",
        base_filter=lambda t: ~t.is_cancelled,
    ),
)

LIBRARY_MODULES: tuple[str, ...] = (
    "socialscope.metrics.library.interaction",
    "socialscope.metrics.library.sales",
    "socialscope.metrics.library.staff",
    "socialscope.metrics.library.service",
    "socialscope.metrics.library.conversion",
    "socialscope.metrics.library.reception",
    "socialscope.metrics.library.content",
    "socialscope.metrics.library.live",
    "socialscope.metrics.library.consideration",
    "socialscope.metrics.library.purchase",
    "socialscope.metrics.library.products",
)
"""Modules declaring metrics (`METRICS`) and, optionally, the facts they need (`FACTS`)."""


def _all_facts() -> dict[str, FactSpec]:
    facts = {f.name: f for f in _FACTS}
    for name in LIBRARY_MODULES:
        for fact in getattr(importlib.import_module(name), "FACTS", ()):
            if fact.name in facts:
                raise ValueError(f"fact {fact.name!r} is declared twice")
            facts[fact.name] = fact
    return facts


FACTS: Mapping[str, FactSpec] = MappingProxyType(_all_facts())

__all__ = ["COMMON_DIMENSIONS", "FACTS", "TIME_DIMENSIONS", "FactSpec"]
