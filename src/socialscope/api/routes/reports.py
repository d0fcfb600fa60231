"""The digest over HTTP: the same document as `socialscope report`, and the record of
scheduled digests.

A shop key reads its own shop's digest (another shop is 403); the admin key names the
shop (or gets the only one). The document is rendered on request; PDFs take a second or
two, so the route runs in the worker thread pool like every synchronous route.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse, Response

from socialscope.api.errors import error_responses
from socialscope.api.params import reject_nul, single_valued
from socialscope.api.routes import API_PREFIX
from socialscope.api.routes.query import FromParam, ShopParam, State, ToParam, scoped
from socialscope.api.security import CurrentPrincipal, require_principal
from socialscope.cli.render import json_value
from socialscope.client import Client
from socialscope.reports.deliver import CONTENT_TYPES
from socialscope.reports.digest import build_report, report_period
from socialscope.reports.period import PeriodError
from socialscope.reports.render import RenderError
from socialscope.reports.schedule import runs

router = APIRouter(
    prefix=API_PREFIX,
    tags=["reports"],
    dependencies=[Depends(require_principal), Depends(reject_nul), Depends(single_valued(()))],
)


def _one_shop(client: Client, chosen: str | None) -> str:
    """The shop to read: the named one (known to the store), else the store's only shop —
    like every /api route, several shops without `shop` is a 400, never a mix."""
    shops = client.shops()
    if chosen is None:
        if len(shops) != 1:
            raise HTTPException(400, "shop is required: the store holds several shops")
        return next(iter(shops))
    if chosen not in shops:
        raise HTTPException(400, f"unknown shop {chosen!r}")
    return chosen


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


@router.get(
    "/reports/digest",
    response_class=Response,
    responses={
        200: {
            "description": "The digest document.",
            "content": {"text/html": {}, "application/pdf": {}},
        },
        **error_responses(400, 401, 403, 500),
    },
    summary="The shop's digest (overview + customer service) as HTML or PDF",
)
def digest(
    principal: CurrentPrincipal,
    state: State,
    shop: ShopParam = None,
    period: Annotated[
        str | None,
        Query(description="yesterday | last-week | last-7-days | last-30-days | last-month"),
    ] = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
    format: Annotated[Literal["html", "pdf"], Query(description="Document format.")] = "html",
    lang: Annotated[
        Literal["en", "zh-Hant", "zh-Hans", "pl"] | None,
        Query(description="Language (default: the shop's)."),
    ] = None,
) -> Response:
    """As `socialscope report`: the Social Data Overview and the customer-service summary
    against the previous period, with anomalies and fired alerts."""
    client = state.client()
    chosen = _one_shop(client, scoped(principal, client, shop, {}))
    try:
        resolved = report_period(
            client, chosen, period, _day(date_from, "from"), _day(date_to, "to")
        )
        doc, _ = build_report(client, chosen, resolved, format, lang)
    except (PeriodError, ValueError) as exc:
        raise HTTPException(400, str(exc)) from None
    except RenderError as exc:
        raise HTTPException(500, str(exc)) from None
    return Response(
        doc.body,
        media_type=CONTENT_TYPES[doc.fmt],
        headers={"Content-Disposition": f'inline; filename="{doc.filename}"'},
    )


@router.get(
    "/reports/runs",
    response_class=JSONResponse,
    responses=error_responses(400, 401, 403, 500),
    summary="Scheduled digests produced (delivered or failed), newest first",
)
def report_runs(principal: CurrentPrincipal, state: State, shop: ShopParam = None) -> JSONResponse:
    """The record of the `[[reports]]` schedule: one row per schedule, shop and period."""
    client = state.client()
    chosen = scoped(principal, client, shop, {})
    chosen = _one_shop(client, chosen)
    rows: list[dict[str, Any]] = [r for r in runs(client) if r["shop_id"] == chosen]
    return JSONResponse([{k: json_value(v) for k, v in r.items()} for r in rows])
