"""The analysis runners over HTTP: top posts, benchmarks, attribution, funnels and the
campaign review.

Each route calls the same `Client` method as the Python API and the CLI and sends the
runner's JSON unchanged. Shop data is tenant-scoped like every /api route (a shop key
reads its own shop, another one is 403); inline or uploaded paths carry no shop data, so
any key may run the models over them. Bodies are bounded by ``server.max_body_bytes``
(413). A runner's ValueError (an unknown model, a bad option, unusable paths) is a 400
with the runner's message.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from socialscope.api.analysis_schemas import (
    NO_NUL,
    STORE_FIELDS,
    AttributionBody,
    AttributionOut,
    BenchmarkOut,
    BuiltinFunnelOut,
    CampaignReviewBody,
    CampaignReviewOut,
    FunnelBody,
    FunnelOut,
    MarkovOrder,
    TopPostsOut,
)
from socialscope.api.errors import error_responses
from socialscope.api.limited_route import LimitedBodyRoute
from socialscope.api.routes import API_PREFIX
from socialscope.api.routes.ingest import read_body
from socialscope.api.routes.query import (
    FromParam,
    ShopParam,
    State,
    ToParam,
    blank_to_none,
    json_rows,
    reject_nul,
    scoped,
)
from socialscope.api.security import CurrentPrincipal, require_principal
from socialscope.attribution.paths import paths_from_records
from socialscope.attribution.runner import AttributionResult
from socialscope.funnels.builtin import BUILTINS
from socialscope.metrics.query import QueryError
from socialscope.metrics.registry import REGISTRY
from socialscope.platform_benchmarks import BENCHMARKS
from socialscope.server.state import ServerState
from socialscope.top_posts import COLUMNS as TOP_POST_COLUMNS

REPEATABLE = frozenset({"orders"})
"""The only query parameter of these routes that may be given several times."""


def reject_repeats(request: Request) -> None:
    """400 for a single-valued query parameter given twice (FastAPI would silently keep
    the last one, so `channel=a&channel=b` would read as `channel=b`)."""
    counts = Counter(name for name, _ in request.query_params.multi_items())
    for name, count in counts.items():
        if count > 1 and name not in REPEATABLE:
            raise HTTPException(
                400, f"query parameter {name!r} is given {count} times: give it once"
            )


router = APIRouter(
    prefix=API_PREFIX,
    tags=["analysis"],
    dependencies=[Depends(require_principal), Depends(reject_nul), Depends(reject_repeats)],
    route_class=LimitedBodyRoute,
)

MAX_TOP_POSTS = 1000
CSV_TYPES = frozenset({"", "text/csv", "application/csv", "text/plain"})


@contextmanager
def bad_options() -> Iterator[None]:
    """A runner's ValueError (bad option, unusable paths) → 400 with its message; dates at
    the ends of the calendar (or a huge window) overflow date arithmetic → 400 too."""
    try:
        yield
    except QueryError:
        raise  # the common handler answers it (400)
    except OverflowError:
        raise HTTPException(
            400, "a date or duration is out of range (past the ends of the calendar)"
        ) from None
    except ValueError as exc:
        raise HTTPException(400, str(exc) or type(exc).__name__) from None


def attribution_json(result: AttributionResult) -> JSONResponse:
    return JSONResponse(result.to_json())


# -- top posts, benchmarks ------------------------------------------------------------------
@router.get(
    "/top-posts",
    response_class=JSONResponse,
    responses={200: {"model": TopPostsOut}, **error_responses(400, 401, 403, 500)},
    summary="Posts ranked by engagement rate by reach",
)
def top_posts(
    principal: CurrentPrincipal,
    state: State,
    shop: ShopParam = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
    channel: Annotated[str | None, Query(description="Only this channel.")] = None,
    kind: Annotated[str | None, Query(description="Only this post kind (post, reel...).")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_TOP_POSTS, description="How many posts.")] = 10,
) -> JSONResponse:
    """As `socialscope top-posts --format json` for one shop: ties by engagements, then
    post_id; posts without reach last. Activity basis: posts with content rows dated in
    the period (default: the span of the shop's posts)."""
    client = state.client()
    chosen = scoped(principal, client, shop, {})
    with bad_options():
        result = client.top_posts(
            chosen,
            blank_to_none(date_from),
            blank_to_none(date_to),
            blank_to_none(channel),
            blank_to_none(kind),
            limit,
        )
    return JSONResponse(
        {
            "shop": result.shop,
            "from": result.date_from.isoformat() if result.date_from else None,
            "to": result.date_to.isoformat() if result.date_to else None,
            "rows": json_rows(result.rows, TOP_POST_COLUMNS),
        }
    )


@router.get(
    "/benchmarks",
    response_model=list[BenchmarkOut],
    responses=error_responses(400, 401, 500),
    summary="Static platform benchmarks (METRICS.md 10)",
)
def benchmarks(
    principal: CurrentPrincipal,
    state: State,
    metric: Annotated[
        str | None, Query(description="A metric id (default: every benchmark).")
    ] = None,
    channel: Annotated[
        str | None, Query(description="Only this channel's and the any-channel ones.")
    ] = None,
) -> list[dict[str, Any]]:
    """Public figures with their source and date, in the metric's unit (ratios 0..1,
    seconds). A registered metric without benchmarks gives an empty list; an unknown
    metric is a 400."""
    metric, channel = blank_to_none(metric), blank_to_none(channel)
    if metric is None:
        chosen = [b for b in BENCHMARKS if channel is None or b.channel in (None, channel)]
    elif metric not in REGISTRY:
        raise HTTPException(400, f"unknown metric {metric!r}; see /api/v1/metrics")
    else:
        chosen = state.client().benchmarks(metric, channel)
    return [b.as_dict() for b in chosen]


# -- attribution -------------------------------------------------------------------------
@router.post(
    "/attribution",
    response_class=JSONResponse,
    responses={200: {"model": AttributionOut}, **error_responses(400, 401, 403, 413, 500)},
    summary="Attribution models side by side, over inline paths or the store's journeys",
)
def attribution(body: AttributionBody, principal: CurrentPrincipal, state: State) -> JSONResponse:
    """Either `paths` (rows like the paths CSV), or `shop`, `from` and `to` (paths built
    from the store's journeys; a shop key may only ask for its own shop). The JSON of
    `socialscope attribution --format json`."""
    client = state.client()
    if body.paths is not None:
        given = sorted(_field_name(f) for f in body.model_fields_set & STORE_FIELDS)
        if given:
            raise HTTPException(
                400, f"give paths or the store options, not both: {', '.join(given)} given"
            )
        with bad_options():
            paths = paths_from_records(
                (p.record() for p in body.paths), currency=body.currency, source="request body"
            )
            result = client.attribution(
                paths,
                models=body.models,
                orders=body.orders,
                half_life_hours=body.half_life_hours,
            )
        return attribution_json(result)
    if body.date_from is None or body.date_to is None:
        raise HTTPException(
            400, "give paths, or from and to (and shop) to build the paths from the store"
        )
    chosen = scoped(principal, client, body.shop, {})
    with bad_options():
        result = client.attribution(
            shop=chosen,
            date_from=body.date_from,
            date_to=body.date_to,
            models=body.models,
            orders=body.orders,
            half_life_hours=body.half_life_hours,
            lookback_days=body.lookback_days,
            include=body.include,
            touch_events=body.touch_events,
            conversion=body.conversion,
            net_of_refunds=body.net_of_refunds,
            currency=body.currency,
        )
    return attribution_json(result)


def _field_name(name: str) -> str:
    return {"date_from": "from", "date_to": "to"}.get(name, name)


CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "An aggregated paths CSV (docs/attribution.md): path (` > `-separated), "
            "total_conversions, total_conversion_value, total_null, optional hours_till_conv."
        ),
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.post(
    "/attribution/paths",
    response_class=JSONResponse,
    responses={200: {"model": AttributionOut}, **error_responses(400, 401, 413, 415, 500)},
    openapi_extra=CSV_BODY,
    summary="Attribution models side by side over an uploaded paths CSV",
)
async def attribution_paths(
    request: Request,
    principal: CurrentPrincipal,
    state: State,
    models: Annotated[
        str, Query(pattern=NO_NUL, description="all, or a comma list of models / markov_oK.")
    ] = "all",
    orders: Annotated[
        list[MarkovOrder] | None, Query(description="Markov orders; repeatable (default 1).")
    ] = None,
    half_life_hours: Annotated[
        float, Query(gt=0, le=1e6, allow_inf_nan=False, description="time_decay half-life.")
    ] = 168.0,
    currency: Annotated[
        str | None, Query(description="Label of the values (a file does not say).")
    ] = None,
) -> JSONResponse:
    """The JSON of `socialscope attribution --paths FILE --format json`; a bad line is a
    400 naming the line and column."""
    media = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if media not in CSV_TYPES:
        raise HTTPException(415, f"unsupported Content-Type {media!r}: send text/csv")
    body = await read_body(request, state.config.server.max_body_bytes)
    result = await run_in_threadpool(
        _attribute_csv, state, body, models, tuple(orders or (1,)), half_life_hours, currency
    )
    return attribution_json(result)


def _attribute_csv(
    state: ServerState,
    body: bytes,
    models: str,
    orders: tuple[int, ...],
    half_life_hours: float,
    currency: str | None,
) -> AttributionResult:
    """Write the upload to a temporary file and read it as the CLI reads --paths."""
    with tempfile.TemporaryDirectory(prefix="socialscope-paths-") as tmp:
        path = Path(tmp) / "paths.csv"
        path.write_bytes(body)
        try:
            with bad_options():
                return state.client().attribution(
                    path,
                    models=models,
                    orders=orders,
                    half_life_hours=half_life_hours,
                    currency=blank_to_none(currency),
                )
        except HTTPException as exc:
            exc.detail = str(exc.detail).replace(str(path), "the request body")
            raise


# -- funnels ------------------------------------------------------------------------------
@router.get(
    "/funnels/builtin",
    response_model=list[BuiltinFunnelOut],
    responses=error_responses(400, 401, 500),
    summary="The built-in funnels and their steps",
)
def builtin_funnels(principal: CurrentPrincipal) -> list[dict[str, Any]]:
    """As `socialscope funnel --list --format json`."""
    return [
        {
            "name": b.name,
            "steps": [step.label for step in b.steps],
            "unit": b.unit,
            "same": list(b.same),
            "description": b.description,
        }
        for b in BUILTINS.values()
    ]


@router.post(
    "/funnels",
    response_class=Response,
    responses={
        200: {
            "model": FunnelOut,
            "description": "`FunnelResult.to_json()`.",
            "content": {"application/json": {}},
        },
        **error_responses(400, 401, 403, 413, 500),
    },
    summary="A funnel (custom steps or a built-in) over one shop's data",
)
def funnel(body: FunnelBody, principal: CurrentPrincipal, state: State) -> Response:
    """Per step: count, conversion, drop-off and time to convert, for whoever entered
    step 1 in the period, overall and by `by` (docs/funnels.md). A shop key reads its own
    shop."""
    client = state.client()
    chosen = scoped(principal, client, body.shop, {})
    with bad_options():
        result = client.funnel(
            body.steps,
            builtin=body.builtin,
            shop=chosen,
            date_from=body.date_from,
            date_to=body.date_to,
            unit=body.unit,
            mode=body.mode,
            window=body.window,
            step_windows={int(k): v for k, v in body.step_windows.items()},
            counting=body.counting,
            by=blank_to_none(body.by),
            breakdown_at=body.breakdown_at,
            same=body.same,
        )
    return Response(result.to_json(), media_type="application/json")


# -- campaign review ----------------------------------------------------------------------
@router.post(
    "/campaign-review",
    response_class=Response,
    responses={
        200: {
            "model": CampaignReviewOut,
            "description": "`CampaignReviewResult.to_json()`.",
            "content": {"application/json": {}},
        },
        **error_responses(400, 401, 403, 413, 500),
    },
    summary="Targets and lift of a campaign, post or live",
)
def campaign_review(
    body: CampaignReviewBody, principal: CurrentPrincipal, state: State
) -> Response:
    """What the top of the funnel must deliver for a sales target (from the trailing
    rates) and whether traffic, the ad conversion rate and sales moved after the launch
    beyond the baseline's prediction interval (docs/campaign-review.md). A shop key reads
    its own shop."""
    client = state.client()
    chosen = scoped(principal, client, body.shop, {})
    with bad_options():
        result = client.campaign_review(
            body.kind,
            body.ref,
            shop=chosen,
            launch=body.launch,
            days_after=body.days_after,
            weeks_before=body.weeks_before,
            trailing_days=body.trailing_days,
            target_sales=body.target_sales,
            interval=body.interval,
        )
    return Response(result.to_json(), media_type="application/json")
