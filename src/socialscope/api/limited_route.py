"""A route class whose request bodies are bounded by ``server.max_body_bytes``.

FastAPI reads a JSON body whole before any dependency runs, so a limit cannot be a
dependency. This route checks the Bearer key first (an anonymous caller never gets a body
buffered: 401), then reads the body with :func:`read_limited` (413 from the declared
Content-Length before reading, or as soon as the stream passes the limit) and hands
FastAPI a request that replays those bytes; pydantic body models, their OpenAPI schemas,
the auth dependency and the 400 validation errors then work as on any other route.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute
from starlette.types import Message

from socialscope.api.body import BodyTooLargeError, read_limited
from socialscope.api.errors import error_response
from socialscope.api.security import authenticate, get_state


def too_large_message(limit: int) -> str:
    return (
        f"the body is larger than the server's limit of {limit:,} bytes "
        "(server.max_body_bytes): send fewer paths or raise the limit"
    )


class LimitedBodyRoute(APIRoute):
    """An APIRoute that refuses a body larger than the server's max_body_bytes (413)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            state = get_state(request)
            try:
                authenticate(state, request.headers.get("authorization"))
            except HTTPException as exc:
                return error_response(exc.status_code, str(exc.detail), exc.headers)
            declared = request.headers.get("content-length")
            if declared is not None and not declared.strip().isdigit():
                return error_response(400, "invalid Content-Length header")
            limit = state.config.server.max_body_bytes
            try:
                body = await read_limited(request, limit)
            except BodyTooLargeError:
                return error_response(413, too_large_message(limit))
            return await handler(Request(request.scope, _replay(body)))

        return limited


def _replay(body: bytes) -> Callable[[], Coroutine[Any, Any, Message]]:
    """An ASGI receive that yields `body` once, then a disconnect."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
