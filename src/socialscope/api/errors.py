"""Every error of the API is JSON: ``{"error": {"status": 400, "message": "..."}}``.

Messages say what was wrong and how to fix it (query errors come straight from the
metric layer, which words them that way). A 500 says only "internal server error": the
exception is logged for the operator, never sent. No handler ever echoes a header, so a
Bearer key cannot come back in an error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from socialscope.ingest.loader import IngestError
from socialscope.metrics.query import QueryError

log = logging.getLogger("socialscope.api")

INTERNAL = "internal server error"


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


_DESCRIPTIONS: dict[int, str] = {
    400: "Bad request: a malformed or invalid parameter or body (the message says which).",
    401: "Missing, malformed or unknown Bearer key.",
    403: "The key may not read or write this shop.",
    404: "No such resource.",
    413: "The request body is larger than the server's max_body_bytes.",
    415: "Unsupported Content-Type.",
    500: "Internal server error.",
    503: "The store cannot be reached.",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` documenting error codes with the error body."""
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in codes}


def error_payload(status: int, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "message": message}}


def error_bytes(status: int, message: str) -> bytes:
    return json.dumps(error_payload(status, message)).encode()


def error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_payload(status, message), status_code=status, headers=headers)


def _where(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if not parts:
        return "request"
    kind, rest = parts[0], parts[1:]
    if kind in {"query", "path", "header", "cookie"}:
        return f"{kind} parameter {'.'.join(rest)!r}" if rest else f"{kind} parameter"
    if kind == "body":
        return "body" + (f" field {'.'.join(rest)!r}" if rest else "")
    return ".".join(parts)


def validation_message(exc: RequestValidationError) -> str:
    """One readable line per problem, e.g. "query parameter 'limit': Input should be ..."."""
    problems = [
        f"{_where(err.get('loc', ()))}: {err.get('msg', 'invalid')}" for err in exc.errors()
    ]
    return "; ".join(problems) or "invalid request"


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "error"
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"not found: no route {request.method} {request.url.path}"
    elif exc.status_code == 405 and detail == "Method Not Allowed":
        detail = f"method {request.method} is not allowed on {request.url.path}"
    return error_response(exc.status_code, detail, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(400, validation_message(exc))


async def _bad_request(request: Request, exc: Exception) -> JSONResponse:
    return error_response(400, str(exc) or type(exc).__name__)


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    log.error(
        "unhandled %s while answering %s %s",
        type(exc).__name__,
        request.method,
        request.url.path,
        exc_info=exc,
    )
    return error_response(500, INTERNAL)


def install_error_handlers(app: FastAPI) -> None:
    """JSON errors for HTTP errors, validation, query and ingest errors, and the rest."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(QueryError, _bad_request)
    app.add_exception_handler(IngestError, _bad_request)
    app.add_exception_handler(Exception, _internal)
