"""The FastAPI application of `socialscope serve`: routes, auth, errors, telemetry.

``create_app(state)`` builds the app over an open :class:`ServerState`; the server adds
its webhook router and lifecycle through ``extra_routers`` (and its own lifespan).
OpenAPI is served at ``/openapi.json`` and the interactive docs at ``/docs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

import socialscope
from socialscope.api.errors import install_error_handlers
from socialscope.api.security import get_state
from socialscope.api.telemetry import Telemetry, TelemetryMiddleware
from socialscope.server.state import ServerState

__all__ = ["create_app", "get_state"]

TITLE = "socialscope"
DESCRIPTION = (
    "Social-commerce analytics over one store: metric queries, the conversations and "
    "orders behind them, and imports. Every /api route takes `Authorization: Bearer KEY`: "
    "the admin key reads every shop, a shop's key only its own shop. Errors are "
    '`{"error": {"status": N, "message": "..."}}`.'
)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, without FastAPI's 422 responses (validation errors are 400
    with the common error body, documented on every route)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).pop("422", None)
    schemas = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    app.openapi_schema = schema
    return schema


def create_app(state: ServerState, *, extra_routers: Sequence[APIRouter] = ()) -> FastAPI:
    """The app over `state`; `state.telemetry` gets a :class:`Telemetry` if it has none."""
    from socialscope.api.routes import (
        alerts as alert_routes,
    )
    from socialscope.api.routes import (
        analysis,
        anomalies,
        audience,
        drilldown,
        health,
        ingest,
        metrics,
        products,
        query,
        reports,
    )

    if state.telemetry is None:
        state.telemetry = Telemetry()
    telemetry: Telemetry = state.telemetry
    app = FastAPI(
        title=TITLE,
        version=socialscope.__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.socialscope = state
    install_error_handlers(app)
    app.add_middleware(TelemetryMiddleware, telemetry=telemetry)
    for router in (
        health.router,
        metrics.router,
        query.router,
        drilldown.router,
        ingest.router,
        analysis.router,
        reports.router,
        products.router,
        audience.router,
        alert_routes.router,
        anomalies.router,
        *extra_routers,
    ):
        app.include_router(router)

    def openapi() -> dict[str, Any]:
        return _openapi(app)

    app.openapi = openapi  # type: ignore[method-assign]
    return app
