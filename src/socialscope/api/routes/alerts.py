"""``GET /api/v1/alerts`` (the alert history) and ``GET /api/v1/alerts/rules`` (the
configured rules, without secrets: webhook targets by name and URL without credentials).

Tenant-scoped like every route: a shop key sees its own shop's messages and the rules
that apply to it (its own and ``shop_id = "*"``); asking for another shop is 403. The
admin key sees every shop (``shop`` narrows it).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse

from socialscope.alerts.history import read_history
from socialscope.alerts.rules import ALL_SHOPS, public_rule
from socialscope.api.errors import error_responses
from socialscope.api.params import reject_nul, single_valued
from socialscope.api.routes import API_PREFIX
from socialscope.api.routes.query import ROWS_RESPONSE, State, blank_to_none
from socialscope.api.security import CurrentPrincipal, require_principal, scope_shop

router = APIRouter(
    prefix=API_PREFIX,
    tags=["alerts"],
    dependencies=[Depends(require_principal), Depends(reject_nul), Depends(single_valued())],
)

MAX_LIMIT = 10_000


@router.get(
    "/alerts",
    response_class=JSONResponse,
    responses={**ROWS_RESPONSE, **error_responses(400, 401, 403, 500)},
    summary="Alert history: firing and resolved messages, newest first",
)
def alert_history(
    principal: CurrentPrincipal,
    state: State,
    shop: Annotated[
        str | None, Query(description="Shop id; a shop key reads its own shop.")
    ] = None,
    date_from: Annotated[
        str | None, Query(alias="from", description="From this UTC date or ISO instant.")
    ] = None,
    date_to: Annotated[
        str | None, Query(alias="to", description="To this UTC date (inclusive) or instant.")
    ] = None,
    rule: Annotated[str | None, Query(description="Only this rule id.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most N rows.")] = 1000,
) -> JSONResponse:
    """The rows of `socialscope alerts history --format json`: shop_id, rule_id,
    incident_id, state (firing|resolved), at (UTC), metric, dims, value, threshold,
    message, severity and deliveries (target, status, attempts, last_error)."""
    chosen = scope_shop(principal, blank_to_none(shop))
    shops = {chosen} if chosen is not None else None
    try:
        rows = read_history(
            state.client().store,
            shops,
            blank_to_none(date_from),
            blank_to_none(date_to),
            blank_to_none(rule),
            limit,
        )
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    return JSONResponse(rows)


@router.get(
    "/alerts/rules",
    response_class=JSONResponse,
    responses={**ROWS_RESPONSE, **error_responses(401, 403, 500)},
    summary="The configured alert rules (no secrets)",
)
def alert_rules(principal: CurrentPrincipal, state: State) -> JSONResponse:
    """The rules as `socialscope alerts list --format json`; a shop key sees those that
    apply to its shop."""
    config = state.config
    hooks = {h.name: h for h in config.alert_webhooks}
    out: list[dict[str, Any]] = []
    for rule in config.alerts:
        shops = principal.shops
        if shops is not None and rule.shop_id != ALL_SHOPS and rule.shop_id not in shops:
            continue
        out.append(public_rule(rule, hooks))
    return JSONResponse(out)
