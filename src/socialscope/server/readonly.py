"""`serve` over a read-only engine: the HTTP API and the dashboard on PySpark (or another
Ibis backend), with nothing that writes.

The same app as the embedded server (routes, keys, limits, telemetry) over one shared
read-only client. What would write answers with a JSON error saying so: the ingest routes
409 (ReadOnlyEngineError, through `ServerState.writing`), the webhook routes 503 (no inbox:
platforms retry, and should be pointed at an ingest server instead). Nothing is published
for the local CLI: there is no store to own.
"""

from __future__ import annotations

import logging
import signal
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from socialscope.api.errors import error_response
from socialscope.client import Client
from socialscope.config import Config
from socialscope.engines.base import ReadOnlyEngineError
from socialscope.server.state import ServerState

log = logging.getLogger("socialscope.server")


@dataclass
class ReadOnlyServer:
    state: ServerState
    app: FastAPI

    def close(self) -> None:
        if self.state.engine_client is not None:
            self.state.engine_client.close()


def _webhooks_unavailable(engine: str) -> APIRouter:
    router = APIRouter(prefix="/webhooks", tags=["webhooks"])

    @router.api_route(
        "/{path:path}",
        methods=["GET", "POST"],
        summary="Webhooks are not accepted by a read-only server",
        include_in_schema=False,
    )
    def unavailable(path: str) -> JSONResponse:
        return error_response(
            503,
            f"this server reads the {engine} engine and is read-only: webhooks are not "
            "accepted here; point the platform at an ingest server (serve --engine duckdb)",
            headers={"Retry-After": "3600"},
        )

    return router


def build_read_only(config: Config, client: Client) -> ReadOnlyServer:
    """The app over `client` (a Client.over_engine); the caller closes the server."""
    from socialscope.api.app import create_app
    from socialscope.web.views import web_router

    state = ServerState(config, None, engine_client=client)
    app = create_app(state)

    async def read_only(request: Request, exc: Exception) -> JSONResponse:
        return error_response(409, str(exc))

    app.add_exception_handler(ReadOnlyEngineError, read_only)
    app.include_router(_webhooks_unavailable(client.engine.name))
    app.include_router(web_router(state))
    return ReadOnlyServer(state, app)


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve_read_only(
    config: Config, client: Client, host: str | None = None, port: int | None = None
) -> None:
    """Run the read-only server until interrupted."""
    import uvicorn

    host = host or config.server.host
    port = port if port is not None else config.server.port
    server = build_read_only(config, client)
    signal.signal(signal.SIGTERM, _exit_quietly)
    try:
        log.info("serving the %s engine read-only on http://%s:%s", client.engine.name, host, port)
        run: Any = uvicorn.run
        run(server.app, host=host, port=port, log_level="info", access_log=False)
    finally:
        server.close()
