"""The CLI's way to a store that a running server owns: its HTTP API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from socialscope.server.discovery import ServerInfo, find

TIMEOUT = httpx.Timeout(600.0, connect=5.0)


class StoreBusyError(RuntimeError):
    """Another process holds the store open for writing."""

    def __init__(self, db: Path, info: ServerInfo | None):
        self.db, self.info = db, info
        if info is not None:
            message = (
                f"the store {db} is owned by a running `socialscope serve` at {info.url} "
                f"(pid {info.pid}); `query`, `ingest` and `attribution` from the store go "
                "through it, other commands need it stopped first (or use its HTTP API, "
                "see /docs)"
            )
        else:
            message = (
                f"the store {db} is open in another process (DuckDB allows one writer and no "
                "other reader meanwhile); stop that process or run `socialscope serve` and "
                "use its HTTP API"
            )
        super().__init__(message)


class RemoteError(RuntimeError):
    """The server answered with an error."""


def owner(db: Path) -> ServerInfo | None:
    return find(db)


def _call(info: ServerInfo, method: str, path: str, **kw: Any) -> Any:
    headers = {"Authorization": f"Bearer {info.token}"}
    try:
        response = httpx.request(method, info.url + path, headers=headers, timeout=TIMEOUT, **kw)
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot reach the server at {info.url}: {exc}") from None
    if response.status_code >= 400:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:300]
        raise RemoteError(message)
    return response.json()


def ingest(info: ServerInfo, paths: Sequence[Path], table: str | None) -> dict[str, Any]:
    """Import files through the server (it reads them from this machine's disk)."""
    body = {"paths": [str(p.resolve()) for p in paths], "table": table}
    result: dict[str, Any] = _call(info, "POST", "/api/v1/local/ingest-paths", json=body)
    return result


def query(info: ServerInfo, params: Mapping[str, Any]) -> Any:
    """`GET /api/v1/query` with the CLI's parameters; the rows the CLI prints as JSON."""
    return _call(info, "GET", "/api/v1/query", params=params)


def attribution(info: ServerInfo, body: Mapping[str, Any]) -> dict[str, Any]:
    """`POST /api/v1/attribution` with paths built from the store: the CLI's JSON result."""
    result: dict[str, Any] = _call(info, "POST", "/api/v1/attribution", json=dict(body))
    return result


def alert_history(info: ServerInfo, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """`GET /api/v1/alerts`: the rows `socialscope alerts history --format json` prints."""
    rows: list[dict[str, Any]] = _call(info, "GET", "/api/v1/alerts", params=dict(params))
    return rows
