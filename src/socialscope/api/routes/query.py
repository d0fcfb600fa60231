"""``GET /api/v1/query``: metric values, exactly as ``socialscope query --format json``.

The parameters are the CLI's (``metrics``, ``by``, ``from``, ``to``, ``shop``, repeatable
``where=DIM=V1,V2`` and ``param=NAME=VALUE``, ``compare``, ``sparse``), parsed by the same
helper, and the body is the same bare JSON array of row objects the CLI prints.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from socialscope.api.errors import error_responses
from socialscope.api.params import reject_nul, single_valued
from socialscope.api.routes import API_PREFIX
from socialscope.api.security import (
    CurrentPrincipal,
    Principal,
    check_filters,
    get_state,
    require_principal,
    scope_shop,
)
from socialscope.cli.query import parse_pairs
from socialscope.cli.render import json_value
from socialscope.client import Client
from socialscope.metrics.query import QueryError
from socialscope.server.state import ServerState

State = Annotated[ServerState, Depends(get_state)]

REPEATABLE = ("where", "param")
"""Query parameters of the query and drill-down routes that may be given several times."""

MAX_DENSE_BUCKETS = 100_000
"""A dense query (every time bucket, the default) over an explicit range may return at
most this many buckets (e.g. ~11 years by hour); beyond, 400: narrow the range or pass
``sparse=true``. The CLI has no such cap; a server shared by tenants needs one."""
BUCKET_DAYS = {"hour": 1 / 24, "date": 1.0, "week": 7.0, "month": 28.0}


router = APIRouter(
    prefix=API_PREFIX,
    tags=["query"],
    dependencies=[
        Depends(require_principal),
        Depends(reject_nul),
        Depends(single_valued(REPEATABLE)),
    ],
)

ROWS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {"type": "object", "additionalProperties": True},
}
ROWS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The rows, as `--format json` prints them.",
        "content": {"application/json": {"schema": ROWS_SCHEMA}},
    }
}

# -- parameters shared with the drill-downs -------------------------------------------------
ShopParam = Annotated[
    str | None,
    Query(description="Shop id; a shop key reads its own shop when none is given."),
]
FromParam = Annotated[str | None, Query(alias="from", description="First local date, YYYY-MM-DD.")]
ToParam = Annotated[str | None, Query(alias="to", description="Last local date (inclusive).")]
ParamParam = Annotated[
    list[str] | None, Query(description="NAME=VALUE; repeatable (metric parameters).")
]


def parse_where(items: Sequence[str] | None) -> dict[str, list[str]]:
    """``DIM=V1,V2`` items, as the CLI's --where (QueryError when malformed)."""
    return parse_pairs(list(items or []), "where")


def parse_params(items: Sequence[str] | None) -> dict[str, Any]:
    """``NAME=VALUE`` items, as the CLI's --param."""
    return {k: ",".join(v) for k, v in parse_pairs(list(items or []), "param").items()}


def blank_to_none(value: str | None) -> str | None:
    return value if value is None or value.strip() else None


def scoped(
    principal: Principal, client: Client, shop: str | None, where: Mapping[str, Iterable[str]]
) -> str | None:
    """The shop to read, checked against the key (403) and, for a shop key, the store.

    A shop key whose shop has no data yet gets a message naming only its own shop (the
    metric layer's "unknown shop" message lists the store's shops).
    """
    chosen = scope_shop(principal, blank_to_none(shop))
    check_filters(principal, where)
    if principal.shops is not None:
        known = client.shops()
        asked = {chosen} | {v for k, vs in where.items() if k == "shop_id" for v in vs}
        for name in sorted(s for s in asked if s is not None):
            if name not in known:
                raise QueryError(f"shop {name!r} has no data in this store yet")
    return chosen


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None  # the metric layer words the error


def check_size(by: str | None, date_from: str | None, date_to: str | None, sparse: bool) -> None:
    """400 when a dense query's explicit range would give more than MAX_DENSE_BUCKETS."""
    start, end = _day(date_from), _day(date_to)
    if sparse or (start is None and end is None):
        return
    dims = [d.strip() for d in (by or "").split(",") if d.strip() in BUCKET_DAYS]
    if not dims:
        return
    today = date.today()
    days = ((end or max(today, start or today)) - (start or min(today, end or today))).days + 1
    buckets = 1.0
    for dim in dims:
        buckets *= max(1.0, days / BUCKET_DAYS[dim])
    if buckets > MAX_DENSE_BUCKETS:
        raise QueryError(
            f"from {start or '(data)'} to {end or '(data)'} by {', '.join(dims)} is "
            f"{buckets:,.0f} time buckets, more than {MAX_DENSE_BUCKETS:,}: narrow the "
            "range or pass sparse=true (only non-empty buckets)"
        )


@contextmanager
def date_bounds() -> Iterator[None]:
    """Dates at the very ends of the calendar overflow Python's date arithmetic: 400."""
    try:
        yield
    except OverflowError:
        raise QueryError("from/to (or the period they are compared with) is out of range") from None


def _finite(value: Any) -> Any:
    """JSON has no NaN/Infinity: such a float is sent as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows as the CLI's ``--format json`` writes them (socialscope.cli.render.to_json)."""
    return [{c: _finite(json_value(r.get(c))) for c in columns} for r in rows]


def rows_response(rows: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse(rows)


@router.get(
    "/query",
    response_class=JSONResponse,
    responses={**ROWS_RESPONSE, **error_responses(400, 401, 403, 500)},
    summary="Metric values by dimensions over a local date range",
)
def run_query(
    principal: CurrentPrincipal,
    state: State,
    metrics: Annotated[
        str, Query(min_length=1, description="METRIC[,METRIC...] (see /api/v1/metrics).")
    ],
    by: Annotated[
        str | None, Query(description="DIM[,DIM...]; date/hour/week/month are shop-local.")
    ] = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
    shop: ShopParam = None,
    where: Annotated[list[str] | None, Query(description="DIM=VALUE[,VALUE]; repeatable.")] = None,
    compare: Annotated[
        str | None,
        Query(
            description="previous | yoy | yesterday (today vs yesterday, cumulative by "
            "local hour; `to` names today, default the shop's current date)"
        ),
    ] = None,
    param: ParamParam = None,
    sparse: Annotated[
        bool, Query(description="Leave out empty time buckets (default: every bucket).")
    ] = False,
) -> JSONResponse:
    where_map = parse_where(where)
    params = parse_params(param)
    client = state.client()
    chosen = scoped(principal, client, shop, where_map)
    check_size(by, date_from, date_to, sparse)
    with date_bounds():
        result = client.query(
            metrics,
            by=blank_to_none(by),
            date_from=blank_to_none(date_from),
            date_to=blank_to_none(date_to),
            shop=chosen,
            where=where_map,
            compare=blank_to_none(compare),
            params=params,
            dense=not sparse,
        )
    return rows_response(json_rows(result.rows, result.columns))
