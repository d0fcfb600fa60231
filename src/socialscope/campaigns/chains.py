"""The funnel chains of each kind of subject, and their trailing rates from registered metrics.

Each rate is Σ numerator / Σ denominator of two registered metrics over the trailing period
(the `trailing_days` local days before the launch), for the whole shop: the subject itself
has no history before its launch, and the shop's other campaigns, posts or lives are the
best evidence of how its funnel converts. Money is in the shop's currency only.

campaign: sales → orders (÷ AOV) → click users (÷ conversion rate) → impressions (÷ CTR).
post:     sales → paying customers (÷ sales per paying customer, source post) → ordering
          → keyword → commenting customers (÷ each step rate) → gross reach (÷ commenting
          customers per reach) → impressions (÷ reach per impression).
live:     sales → paying customers (÷ sales per paying customer, source live) → ordering
          → keyword → commenting customers → viewers (÷ commenting customers per viewer).

Known approximations, shown with the rates: the funnel step counts are cohorts of the posts
published / lives started in the trailing period (their orders count whenever they came),
while sales and reach are dated by the order's creation and the counter's day; orders ÷
conversion rate treats one order as one converted click user; click users ÷ CTR treats a
click user as a link click.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from socialscope.campaigns.subjects import Kind
from socialscope.campaigns.targets import Rate, Step
from socialscope.client import Client


@dataclass(frozen=True)
class ChainStep:
    metric: str  # the stage's metric
    label: str
    rate_name: str
    rate_label: str
    numerator: str  # metric ids of the rate's parts
    denominator: str


def _customer_steps(prefix: str) -> tuple[ChainStep, ...]:
    """paying → ordering → keyword → commenting customers of a post or live (source = prefix)."""
    paying, ordering = f"{prefix}_paying_customers", f"{prefix}_ordering_customers"
    keyword, commenting = f"{prefix}_keyword_customers", f"{prefix}_commenting_customers"
    return (
        ChainStep(
            paying,
            "paying customers",
            "sales_per_paying_customer",
            f"sales per paying customer (source {prefix})",
            "sales_amount",
            paying,
        ),
        ChainStep(
            ordering,
            "ordering customers",
            f"{prefix}_paying_rate",
            "paying / ordering customers",
            paying,
            ordering,
        ),
        ChainStep(
            keyword,
            "keyword customers",
            f"{prefix}_ordering_rate",
            "ordering / keyword customers",
            ordering,
            keyword,
        ),
        ChainStep(
            commenting,
            "commenting customers",
            f"{prefix}_keyword_rate",
            "keyword / commenting customers",
            keyword,
            commenting,
        ),
    )


CHAINS: Mapping[Kind, tuple[ChainStep, ...]] = {
    "campaign": (
        ChainStep(
            "order_count", "orders", "aov", "sales per order (AOV)", "sales_amount", "order_count"
        ),
        ChainStep(
            "click_users",
            "click users",
            "conversion_rate",
            "conversion rate of click users",
            "converted_click_users",
            "click_users",
        ),
        ChainStep(
            "impressions",
            "impressions",
            "click_through_rate",
            "click-through rate (link clicks / impressions)",
            "link_clicks",
            "impressions",
        ),
    ),
    "post": (
        *_customer_steps("post"),
        ChainStep(
            "reach",
            "gross reach",
            "commenting_per_reach",
            "commenting customers / gross reach",
            "post_commenting_customers",
            "reach",
        ),
        ChainStep(
            "impressions",
            "impressions",
            "reach_per_impression",
            "gross reach / impressions",
            "reach",
            "impressions",
        ),
    ),
    "live": (
        *_customer_steps("live"),
        ChainStep(
            "live_viewers",
            "viewers",
            "live_commenting_rate",
            "commenting customers / viewers",
            "live_commenting_customers",
            "live_viewers",
        ),
    ),
}

MONEY_METRICS = frozenset({"sales_amount"})


def _where(metric: str, kind: Kind, currency: str | None) -> dict[str, list[str]]:
    """Money in the shop currency only; a post's / live's sales from that source only
    (order_count beside AOV takes the same currency so the two parts match)."""
    where: dict[str, list[str]] = {}
    if metric in MONEY_METRICS or (kind == "campaign" and metric == "order_count"):
        if currency:
            where["currency"] = [currency]
        if kind != "campaign":
            where["source"] = [kind]
    return where


def _as_decimal(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def trailing_values(
    client: Client,
    kind: Kind,
    shop: str,
    currency: str | None,
    date_from: date,
    date_to: date,
) -> dict[str, Decimal]:
    """Every part of the kind's chain over the trailing period, one query per filter set."""
    metrics = dict.fromkeys(m for s in CHAINS[kind] for m in (s.numerator, s.denominator))
    groups: dict[tuple[tuple[str, tuple[str, ...]], ...], list[str]] = {}
    for metric in metrics:
        key = tuple(sorted((k, tuple(v)) for k, v in _where(metric, kind, currency).items()))
        groups.setdefault(key, []).append(metric)
    values: dict[str, Decimal] = {}
    for key, group in groups.items():
        res = client.query(
            group,
            shop=shop,
            date_from=date_from,
            date_to=date_to,
            where={k: list(v) for k, v in key},
        )
        row = res.rows[0] if res.rows else {}
        values |= {m: _as_decimal(row.get(m)) for m in group}
    return values


def chain_steps(kind: Kind, values: Mapping[str, Decimal]) -> list[Step]:
    """The kind's chain with its rates filled from the trailing values."""
    return [
        Step(
            s.metric,
            s.label,
            Rate(
                s.rate_name,
                s.rate_label,
                s.numerator,
                s.denominator,
                values[s.numerator],
                values[s.denominator],
            ),
        )
        for s in CHAINS[kind]
    ]
