"""What a products run asks for, checked before anything touches the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from socialscope.contract.enums import TrafficSource
from socialscope.metrics.query import Compare

BY = ("product", "category")
KEY_DIMENSION = {"product": "product_id", "category": "category"}
SORTS: tuple[str, ...] = (
    "product_gmv",
    "product_buyers",
    "product_click_users",
    "exposure_users",
    "product_clicks",
    "click_to_purchase_rate",
    "uv_value",
    "product_ctr",
)
"""Metrics a products table can be sorted by."""
DEFAULT_SORT = "product_gmv"
DEFAULT_LIMIT = 20
MAX_LIMIT = 500
DEFAULT_MIN_CLICK_USERS = 30
"""A source needs this many click users before its click-to-purchase rate can make it the
best-converting channel: 1 buyer of 2 clicks is 50 %, and means nothing."""


class ProductsError(ValueError):
    """A products request that cannot be run, naming the parameter at fault."""


@dataclass(frozen=True)
class ProductsRequest:
    shop: str | None = None  # None: the store's only shop
    date_from: date | None = None  # shop-local, inclusive; None: the data's span
    date_to: date | None = None
    by: str = "product"  # product | category
    sources: tuple[str, ...] = ()  # traffic_source filter (empty: all)
    categories: tuple[str, ...] = ()  # category filter (empty: all)
    currency: str | None = None  # money (and buyers) of orders in this currency only
    compare: Compare | None = None
    sort: str = DEFAULT_SORT
    ascending: bool = False
    limit: int | None = DEFAULT_LIMIT  # None: every row
    min_click_users: int = DEFAULT_MIN_CLICK_USERS

    def __post_init__(self) -> None:
        if self.by not in BY:
            raise ProductsError(f"by must be one of {', '.join(BY)}, not {self.by!r}")
        if self.sort not in SORTS:
            raise ProductsError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if self.limit is not None and not 1 <= self.limit <= MAX_LIMIT:
            raise ProductsError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
        if self.min_click_users < 1:
            raise ProductsError(f"min_click_users must be at least 1, not {self.min_click_users}")
        known = {s.value for s in TrafficSource}
        bad = [s for s in self.sources if s not in known]
        if bad:
            raise ProductsError(
                f"source {bad[0]!r} is not a traffic source; use one of: {', '.join(sorted(known))}"
            )
        if self.currency is not None and not (
            len(self.currency) == 3 and self.currency.isalpha() and self.currency.isupper()
        ):
            raise ProductsError(f"currency must be an ISO 4217 code (USD), not {self.currency!r}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ProductsError(f"from ({self.date_from}) is after to ({self.date_to})")

    @property
    def key(self) -> str:
        """The dimension a row is keyed by: product_id or category."""
        return KEY_DIMENSION[self.by]

    def to_dict(self) -> dict[str, Any]:
        return {
            "shop": self.shop,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "by": self.by,
            "sources": list(self.sources),
            "categories": list(self.categories),
            "currency": self.currency,
            "compare": self.compare.value if self.compare else None,
            "sort": self.sort,
            "ascending": self.ascending,
            "limit": self.limit,
            "min_click_users": self.min_click_users,
        }


def split_values(raw: str | Sequence[str] | None) -> tuple[str, ...]:
    """'a,b' or ['a', 'b'] -> ('a', 'b'), blanks dropped."""
    if raw is None:
        return ()
    parts = raw.split(",") if isinstance(raw, str) else [p for v in raw for p in v.split(",")]
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))
