"""Loose arguments (strings from the CLI, the HTTP API, the dashboard) -> ProductsRequest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from socialscope.metrics.query import Compare, QueryError, _as_date
from socialscope.products.request import (
    DEFAULT_LIMIT,
    DEFAULT_MIN_CLICK_USERS,
    DEFAULT_SORT,
    ProductsError,
    ProductsRequest,
    split_values,
)


def build_request(
    *,
    shop: str | None = None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    by: str = "product",
    sources: str | Sequence[str] | None = None,
    categories: str | Sequence[str] | None = None,
    currency: str | None = None,
    compare: str | None = None,
    sort: str = DEFAULT_SORT,
    ascending: bool = False,
    limit: int | None = DEFAULT_LIMIT,
    min_click_users: int = DEFAULT_MIN_CLICK_USERS,
) -> ProductsRequest:
    """One checked request; every error names its parameter (ProductsError)."""
    try:
        start, end = _as_date(date_from, "from"), _as_date(date_to, "to")
    except QueryError as e:
        raise ProductsError(str(e)) from None
    cmp = None
    if compare:
        try:
            cmp = Compare(compare)
        except ValueError:
            modes = ", ".join(c.value for c in Compare)
            raise ProductsError(f"compare must be one of {modes}, not {compare!r}") from None
    return ProductsRequest(
        shop=shop,
        date_from=start,
        date_to=end,
        by=by,
        sources=split_values(sources),
        categories=split_values(categories),
        currency=currency or None,
        compare=cmp,
        sort=sort,
        ascending=ascending,
        limit=limit,
        min_click_users=min_click_users,
    )
