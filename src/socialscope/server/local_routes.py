"""Routes for the CLI on the same machine while the server owns the store.

Only the random local token of the discovery file opens them (an admin API key does
not: these read files from the server's own disk). Hidden from the OpenAPI schema.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from socialscope.api.errors import error_response
from socialscope.ingest.loader import IngestError, ingest_paths
from socialscope.server.state import ServerState


class IngestPaths(BaseModel):
    paths: list[str]
    table: str | None = None


def _is_local(request: Request, state: ServerState) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not state.local_token:
        return False
    return hmac.compare_digest(token.strip().encode(), state.local_token.encode())


def local_router(state: ServerState) -> APIRouter:
    router = APIRouter(prefix="/api/v1/local", include_in_schema=False)

    @router.post("/ingest-paths")
    def ingest_files(body: IngestPaths, request: Request) -> Any:
        if not _is_local(request, state):
            return error_response(403, "only the local CLI of this server may import files by path")

        def run(client: Any) -> dict[str, Any]:
            report = ingest_paths(client.store, [Path(p) for p in body.paths], table=body.table)
            client.invalidate()
            out: dict[str, Any] = report.to_dict()
            return out

        try:
            return state.write(run)
        except IngestError as exc:
            return error_response(400, str(exc))

    return router
