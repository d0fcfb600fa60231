"""Product traffic analysis (METRICS.md section 9): funnel by source and main channel."""

from socialscope.products.request import (
    BY,
    DEFAULT_LIMIT,
    DEFAULT_MIN_CLICK_USERS,
    DEFAULT_SORT,
    MAX_LIMIT,
    SORTS,
    ProductsError,
    ProductsRequest,
    split_values,
)
from socialscope.products.runner import (
    KPI_METRICS,
    STEPS,
    ProductRow,
    ProductsResult,
    SourceRow,
    run_products,
)
from socialscope.products.verdict import Verdict, main_channel

__all__ = [
    "BY",
    "DEFAULT_LIMIT",
    "DEFAULT_MIN_CLICK_USERS",
    "DEFAULT_SORT",
    "KPI_METRICS",
    "MAX_LIMIT",
    "SORTS",
    "STEPS",
    "ProductRow",
    "ProductsError",
    "ProductsRequest",
    "ProductsResult",
    "SourceRow",
    "Verdict",
    "main_channel",
    "run_products",
    "split_values",
]
