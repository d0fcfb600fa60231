"""``GET /healthz`` and ``GET /metrics`` (Prometheus): no key needed, no shop data shown."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

import socialscope
from socialscope.api.errors import error_response, error_responses
from socialscope.api.routes.query import State
from socialscope.api.telemetry import Telemetry
from socialscope.store.migrations import current_version

router = APIRouter(tags=["operations"])
log = logging.getLogger("socialscope.api")


class Health(BaseModel):
    status: str
    version: str
    schema_version: int


@router.get(
    "/healthz",
    response_model=Health,
    responses=error_responses(500, 503),
    summary="Liveness and store reachability",
)
def healthz(state: State) -> Any:
    try:
        engine = state.client().engine
        if engine.name == "duckdb":
            version = current_version(state.client().store.con)
        else:  # a read-only engine: the schema version its data was exported with
            version = int(getattr(engine, "schema_version", 0))
    except Exception as exc:
        log.error("health check: the store cannot be read (%s)", type(exc).__name__)
        return error_response(503, "the store cannot be read")
    return JSONResponse(
        {"status": "ok", "version": socialscope.__version__, "schema_version": version}
    )


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {
            "description": "Prometheus text exposition format.",
            "content": {Telemetry.CONTENT_TYPE: {"schema": {"type": "string"}}},
        },
        **error_responses(500),
    },
    summary="Prometheus metrics",
)
def prometheus(state: State) -> Response:
    telemetry: Telemetry = state.telemetry
    return Response(telemetry.render(), media_type=Telemetry.CONTENT_TYPE)
