"""`GET /api/v1/anomalies`: a metric's flagged points with their explanations.

The same `Client.anomalies` as the CLI and Python; the body is the JSON array of
`socialscope anomalies --format json` (one object per flagged point). Tenant-scoped like
every /api route: a shop key reads its own shop (another one is 403). The evaluated
period is bounded (MAX_DAYS per grain; the history before it is read on top).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from socialscope.api.errors import error_responses
from socialscope.api.params import reject_nul, single_valued
from socialscope.api.routes import API_PREFIX
from socialscope.api.routes.query import (
    FromParam,
    ShopParam,
    State,
    ToParam,
    blank_to_none,
    parse_where,
    scoped,
)
from socialscope.api.security import CurrentPrincipal, require_principal
from socialscope.metrics.query import QueryError

MAX_DAYS = {"day": 732, "hour": 62, "week": 732, "month": 1830}
"""The longest evaluated period per grain (two years of days or weeks, two months of hours,
five years of months)."""

router = APIRouter(
    prefix=API_PREFIX,
    tags=["insights"],
    dependencies=[
        Depends(require_principal),
        Depends(reject_nul),
        Depends(single_valued(("where",))),
    ],
)

ANOMALIES_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "description": "The dimension values as keys, then date (the day, or the first "
        "local day of the week/month) or hour, value, expected, "
        "low, high, deviation_pct (null when expected is 0), direction (up|down) and "
        "explanations [{kind, at, label, ref, score}], most likely first.",
        "additionalProperties": True,
    },
}


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


def check_period(date_from: str | None, date_to: str | None, grain: str) -> None:
    """400 when an explicit period is longer than the grain allows."""
    start, end = _day(date_from, "from"), _day(date_to, "to")
    if start is None or end is None or grain not in MAX_DAYS:
        return
    if (end - start).days + 1 > MAX_DAYS[grain]:
        raise QueryError(
            f"from/to: at most {MAX_DAYS[grain]} days with grain={grain}; narrow the period"
        )


@router.get(
    "/anomalies",
    response_class=JSONResponse,
    responses={
        200: {
            "description": "The flagged points, as `socialscope anomalies --format json`.",
            "content": {"application/json": {"schema": ANOMALIES_SCHEMA}},
        },
        **error_responses(400, 401, 403, 500),
    },
    summary="A metric's anomalies, each with what happened around it",
)
def anomalies(
    principal: CurrentPrincipal,
    state: State,
    metric: Annotated[str, Query(min_length=1, max_length=200, description="One metric id.")],
    by: Annotated[
        str | None, Query(max_length=500, description="DIM[,DIM...]: one series per slice.")
    ] = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
    shop: ShopParam = None,
    grain: Annotated[str, Query(description="day | hour | week | month")] = "day",
    sensitivity: Annotated[
        float, Query(gt=0, le=100, description="Band half-width in robust σ.")
    ] = 3.0,
    where: Annotated[list[str] | None, Query(description="DIM=VALUE[,VALUE]; repeatable.")] = None,
    explain: Annotated[bool, Query(description="Add the explanations.")] = True,
) -> JSONResponse:
    """As `socialscope anomalies --format json`: default period the last 30 days of data;
    see docs/anomalies.md for the band and the explanation scores."""
    where_map = parse_where(where)
    client = state.client()
    chosen = scoped(principal, client, shop, where_map)  # 403 for another shop's filter
    if "shop_id" in where_map:
        raise QueryError("where: anomalies run on one shop; pass shop instead of a shop_id filter")
    check_period(blank_to_none(date_from), blank_to_none(date_to), grain)
    found = client.anomalies(
        metric,
        shop=chosen,
        date_from=blank_to_none(date_from),
        date_to=blank_to_none(date_to),
        by=blank_to_none(by),
        grain=grain,
        sensitivity=sensitivity,
        where=where_map or None,
        explain=explain,
    )
    return JSONResponse([a.to_json() for a in found])
