"""The privacy-sensitive runners over HTTP: audience profile and export, loss
destinations, peer benchmarks (docs/audience.md).

Tenant-scoped like every /api route: a shop key reads its own shop (another one → 403);
the admin key may name any shop, and the privacy rules hold for it too. k is the server's
`[server] privacy_k`, else the store setting — a caller cannot lower it. Loss
destinations name another shop only when the calling key reads that shop as well (a
multi-store owner: several shops configured with the same api_key).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse, Response

from socialscope.api.errors import error_responses
from socialscope.api.limited_route import LimitedBodyRoute
from socialscope.api.params import reject_nul, single_valued
from socialscope.api.routes import API_PREFIX
from socialscope.api.routes.analysis import bad_options
from socialscope.api.routes.query import (
    FromParam,
    ParamParam,
    ShopParam,
    State,
    ToParam,
    blank_to_none,
    parse_params,
    scoped,
)
from socialscope.api.security import CurrentPrincipal, require_principal
from socialscope.client import Client

router = APIRouter(
    prefix=API_PREFIX,
    tags=["audience"],
    dependencies=[
        Depends(require_principal),
        Depends(reject_nul),
        Depends(single_valued(("param",))),
    ],
    route_class=LimitedBodyRoute,
)

SetParam = Annotated[
    str,
    Query(
        alias="set",
        max_length=40,
        description="click_users, exposure_users, buyers, non_buyers, lost_users, "
        "inquiring_customers, live_commenters or post_commenters.",
    ),
]
Opt = Annotated[str | None, Query(max_length=200)]
RequiredFrom = Annotated[str, Query(alias="from", description="First local date, YYYY-MM-DD.")]
RequiredTo = Annotated[str, Query(alias="to", description="Last local date (inclusive).")]


def _request(
    client: Client,
    shop: str | None,
    set_name: str,
    date_from: str,
    date_to: str,
    filters: dict[str, str | None],
) -> Any:
    with bad_options():
        return client.user_set_request(
            set_name, date_from, date_to, shop, **{k: blank_to_none(v) for k, v in filters.items()}
        )


@router.get(
    "/audience/profile",
    response_class=JSONResponse,
    responses=error_responses(400, 401, 403, 500),
    summary="k-anonymous profile of a user set, beside buyers and non-buyers",
)
def audience_profile(
    principal: CurrentPrincipal,
    state: State,
    set_name: SetParam,
    date_from: RequiredFrom,
    date_to: RequiredTo,
    shop: ShopParam = None,
    product_id: Opt = None,
    category: Opt = None,
    traffic_source: Opt = None,
    live_id: Opt = None,
    post_id: Opt = None,
) -> JSONResponse:
    """As `socialscope audience profile --format json`."""
    client = state.client()
    chosen = scoped(principal, client, shop, {})
    filters = {
        "product_id": product_id,
        "category": category,
        "traffic_source": traffic_source,
        "live_id": live_id,
        "post_id": post_id,
    }
    req = _request(client, chosen, set_name, date_from, date_to, filters)
    with bad_options():
        result = client.audience_profile(req, k=state.config.server.privacy_k)
    return JSONResponse(result.to_json())


@router.get(
    "/audience/export",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "customer_id per line"},
        **error_responses(400, 401, 403, 500),
    },
    summary="A user set as CSV of the shop's own customer ids (refused below k)",
)
def audience_export(
    principal: CurrentPrincipal,
    state: State,
    set_name: SetParam,
    date_from: RequiredFrom,
    date_to: RequiredTo,
    shop: ShopParam = None,
    product_id: Opt = None,
    category: Opt = None,
    traffic_source: Opt = None,
    live_id: Opt = None,
    post_id: Opt = None,
) -> Response:
    """As `socialscope audience export`: only the calling shop's customer ids."""
    client = state.client()
    chosen = scoped(principal, client, shop, {})
    filters = {
        "product_id": product_id,
        "category": category,
        "traffic_source": traffic_source,
        "live_id": live_id,
        "post_id": post_id,
    }
    req = _request(client, chosen, set_name, date_from, date_to, filters)
    with bad_options():
        text = client.audience_export(req, k=state.config.server.privacy_k)
    name = f"audience_{req.set}_{req.date_from}_{req.date_to}.csv"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/loss-destinations",
    response_class=JSONResponse,
    responses=error_responses(400, 401, 403, 500),
    summary="Where the shop's lost users bought instead (k-anonymous, complete months)",
)
def loss_destinations(
    principal: CurrentPrincipal,
    state: State,
    month: Annotated[str, Query(max_length=7, description="A complete month, YYYY-MM.")],
    shop: ShopParam = None,
) -> JSONResponse:
    """As `socialscope loss-destinations --format json`; another shop is named only when
    this key reads it too."""
    client = state.client()
    chosen = scoped(principal, client, shop, {})
    if chosen is None:
        shops = sorted(client.shops())
        if len(shops) != 1:
            raise HTTPException(400, "shop is required: the store holds several shops")
        chosen = shops[0]
    named = (principal.shops or frozenset()) - {chosen}
    with bad_options():
        result = client.loss_destinations(
            chosen, month, k=state.config.server.privacy_k, named_shops=named
        )
    return JSONResponse(result.to_json())


@router.get(
    "/peers",
    response_class=JSONResponse,
    responses=error_responses(400, 401, 403, 500),
    summary="Peer benchmark: percentile rank and peer quantiles (METRICS.md 10)",
)
def peers(
    principal: CurrentPrincipal,
    state: State,
    metric: Annotated[str, Query(max_length=100, description="A registered metric id.")],
    shop: ShopParam = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
    param: ParamParam = None,
) -> JSONResponse:
    """As `socialscope peers METRIC --format json`: aggregates of ≥ 5 peers only."""
    client = state.client()
    chosen = scoped(principal, client, shop, {})
    if chosen is None:
        shops = sorted(client.shops())
        if len(shops) != 1:
            raise HTTPException(400, "shop is required: the store holds several shops")
        chosen = shops[0]
    with bad_options():
        result = client.peer_benchmark(
            metric, chosen, blank_to_none(date_from), blank_to_none(date_to), parse_params(param)
        )
    return JSONResponse(result.to_json())
