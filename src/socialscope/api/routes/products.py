"""GET /api/v1/products: product traffic (METRICS.md section 9) over HTTP.

The same `Client.products` as the CLI and the dashboard; the body is the runner's
`to_dict()` (money as strings). Tenant-scoped like every /api route: a shop key reads its
own shop only (another shop is 403). Every parameter is validated and named in the 400.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from socialscope.api.errors import error_responses
from socialscope.api.limited_route import LimitedBodyRoute
from socialscope.api.params import reject_nul, single_valued
from socialscope.api.routes import API_PREFIX
from socialscope.api.routes.analysis import bad_options
from socialscope.api.routes.query import FromParam, ShopParam, State, ToParam, blank_to_none, scoped
from socialscope.api.security import CurrentPrincipal, require_principal
from socialscope.products import (
    BY,
    DEFAULT_LIMIT,
    DEFAULT_MIN_CLICK_USERS,
    DEFAULT_SORT,
    MAX_LIMIT,
    SORTS,
)

MAX_FILTER_CHARS = 2000
"""source / category lists are comma-separated; longer ones are refused (400)."""

router = APIRouter(
    prefix=API_PREFIX,
    tags=["analysis"],
    dependencies=[Depends(require_principal), Depends(reject_nul), Depends(single_valued())],
    route_class=LimitedBodyRoute,
)


class ProductsOut(BaseModel):
    """`socialscope products --format json`: request, period, KPI totals, rows."""

    request: dict[str, Any]
    shop: str | None
    date_from: str | None
    date_to: str | None
    previous_from: str | None
    previous_to: str | None
    currency: str | None
    totals: dict[str, Any]
    rows: list[dict[str, Any]]
    total_rows: int


@router.get(
    "/products",
    response_class=JSONResponse,
    responses={200: {"model": ProductsOut}, **error_responses(400, 401, 403, 500)},
    summary="Product traffic: funnel by source and main channel per product",
)
def products(
    principal: CurrentPrincipal,
    state: State,
    shop: ShopParam = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
    by: Annotated[str, Query(description=f"One of {', '.join(BY)}.")] = "product",
    source: Annotated[
        str | None,
        Query(max_length=MAX_FILTER_CHARS, description="Traffic sources, comma-separated."),
    ] = None,
    category: Annotated[
        str | None,
        Query(max_length=MAX_FILTER_CHARS, description="Categories, comma-separated."),
    ] = None,
    currency: Annotated[
        str | None,
        Query(max_length=8, description="GMV and buyers of orders in this currency only."),
    ] = None,
    compare: Annotated[str | None, Query(description="previous or yoy.")] = None,
    sort: Annotated[str, Query(description=f"One of {', '.join(SORTS)}.")] = DEFAULT_SORT,
    ascending: Annotated[bool, Query(description="Smallest first.")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Top N rows.")] = DEFAULT_LIMIT,
    min_click_users: Annotated[
        int,
        Query(ge=1, le=10**9, description="Click users a source needs to be the best converter."),
    ] = DEFAULT_MIN_CLICK_USERS,
) -> JSONResponse:
    """As `socialscope products --format json`: KPI totals (with `__previous`,
    `__change`, `__change_pct` on compare), then per product or category its funnel
    exposure → click → add to cart → order → paid, by traffic source, and the verdict."""
    client = state.client()
    chosen = scoped(principal, client, shop, {})
    with bad_options():
        result = client.products(
            chosen,
            blank_to_none(date_from),
            blank_to_none(date_to),
            by=by,
            sources=blank_to_none(source),
            categories=blank_to_none(category),
            currency=blank_to_none(currency),
            compare=blank_to_none(compare),
            sort=sort,
            ascending=ascending,
            limit=limit,
            min_click_users=min_click_users,
        )
    return JSONResponse(result.to_dict())
