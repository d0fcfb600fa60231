"""``GET /api/v1/conversations`` and ``GET /api/v1/orders``: the rows behind the metrics.

Same parameters as ``socialscope conversations|orders`` (``shop``, ``from``, ``to``,
repeatable ``where=COLUMN=V1,V2`` and ``param=NAME=VALUE``, ``limit``) and the same JSON
rows as their ``--format json`` (timestamps to the second, id lists kept as lists).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from socialscope.api.errors import error_responses
from socialscope.api.params import reject_nul, single_valued
from socialscope.api.routes import API_PREFIX
from socialscope.api.routes.query import (
    REPEATABLE,
    ROWS_RESPONSE,
    FromParam,
    ParamParam,
    ShopParam,
    State,
    ToParam,
    blank_to_none,
    date_bounds,
    json_rows,
    parse_params,
    parse_where,
    rows_response,
    scoped,
)
from socialscope.api.security import CurrentPrincipal, Principal, require_principal
from socialscope.cli.drilldown import plain_value
from socialscope.cli.render import Format
from socialscope.drilldown import CONVERSATION_FILTERS, ORDER_FILTERS, DrilldownResult
from socialscope.server.state import ServerState

router = APIRouter(
    prefix=API_PREFIX,
    tags=["drill-down"],
    dependencies=[
        Depends(require_principal),
        Depends(reject_nul),
        Depends(single_valued(REPEATABLE)),
    ],
)

LimitParam = Annotated[int | None, Query(ge=0, description="At most N rows (in time order).")]


def _where_doc(columns: tuple[str, ...]) -> str:
    return (
        "COLUMN=VALUE[,VALUE]; repeatable; an empty VALUE matches a missing one. Columns: "
        + ", ".join(columns)
    )


def drilldown_rows(result: DrilldownResult) -> list[dict[str, Any]]:
    """The rows as ``socialscope conversations|orders --format json`` prints them."""
    rows = [{k: plain_value(v, Format.JSON) for k, v in row.items()} for row in result.rows]
    return json_rows(rows, result.columns)


def _run(
    kind: str,
    principal: Principal,
    state: ServerState,
    shop: str | None,
    date_from: str | None,
    date_to: str | None,
    where: list[str] | None,
    param: list[str] | None,
    limit: int | None,
) -> JSONResponse:
    where_map = parse_where(where)
    params = parse_params(param)
    client = state.client()
    chosen = scoped(principal, client, shop, where_map)
    method = client.conversations if kind == "conversations" else client.orders
    with date_bounds():
        result = method(
            shop=chosen,
            date_from=blank_to_none(date_from),
            date_to=blank_to_none(date_to),
            where=where_map,
            params=params,
            limit=limit,
        )
    return rows_response(drilldown_rows(result))


@router.get(
    "/conversations",
    response_class=JSONResponse,
    responses={**ROWS_RESPONSE, **error_responses(400, 401, 403, 500)},
    summary="One row per conversation whose first event is in the period",
)
def conversations(
    principal: CurrentPrincipal,
    state: State,
    shop: ShopParam = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
    where: Annotated[
        list[str] | None,
        Query(
            description=_where_doc(CONVERSATION_FILTERS)
            + " (three_minute: good|failed|not_eligible; inquiry_outcome: "
            "converted|ordered_unpaid|lost|pending)."
        ),
    ] = None,
    param: ParamParam = None,
    limit: LimitParam = None,
) -> JSONResponse:
    """Its staff, rounds, response times, 3-minute verdict, csat, linked orders and the
    inquiry outcome of its customer (see `socialscope conversations --help`). Params:
    threshold_s (180), inquiry_window_h (72), duration (calendar)."""
    return _run("conversations", principal, state, shop, date_from, date_to, where, param, limit)


@router.get(
    "/orders",
    response_class=JSONResponse,
    responses={**ROWS_RESPONSE, **error_responses(400, 401, 403, 500)},
    summary="One row per order created in the period, cancelled ones flagged",
)
def orders(
    principal: CurrentPrincipal,
    state: State,
    shop: ShopParam = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
    where: Annotated[
        list[str] | None,
        Query(
            description=_where_doc(ORDER_FILTERS)
            + " (order_type: inquiry|silent; paid, cancelled: true|false)."
        ),
    ] = None,
    param: ParamParam = None,
    limit: LimitParam = None,
) -> JSONResponse:
    """Source, channel, amount, paid, refunds, attributed staff, conversation and
    inquiry/silent type. Param: inquiry_window_h (72)."""
    return _run("orders", principal, state, shop, date_from, date_to, where, param, limit)
