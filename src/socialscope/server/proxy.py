"""An intake process passes every request that is not a webhook POST to the store's owner.

The public port is served by the intake processes (they share the listening socket);
the owner listens on a Unix socket beside the store. Requests are forwarded as they come
(method, path and query as received, headers minus the hop-by-hop ones, the body
streamed) and the answer streamed back unchanged, so the API, the dashboard and the Meta
handshake behave exactly as when the owner serves the port itself. If the owner cannot be
reached the client gets a JSON 503.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
from starlette.types import Message, Receive, Scope, Send

from socialscope.api.errors import error_bytes

log = logging.getLogger("socialscope.intake")

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)

SET_BY_SERVER = frozenset({b"date", b"server"})
"""Response headers the intake process's own HTTP server writes (not twice)."""


class OwnerProxy:
    """A raw ASGI app forwarding HTTP requests to the owner's Unix socket."""

    def __init__(self, uds: str) -> None:
        self.uds = uds
        self.client = httpx.AsyncClient(
            transport=httpx.AsyncHTTPTransport(uds=uds),
            base_url="http://socialscope-owner",
            timeout=httpx.Timeout(None, connect=5.0),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":  # no websockets in this app
            await send({"type": "websocket.close", "code": 1003})
            return
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in HOP_BY_HOP]
        client = scope.get("client")
        if client:
            headers.append((b"x-forwarded-for", str(client[0]).encode()))
        has_body = any(k in (b"content-length", b"transfer-encoding") for k, _ in scope["headers"])
        target = scope.get("raw_path") or scope["path"].encode()
        if scope.get("query_string"):
            target += b"?" + scope["query_string"]
        request = self.client.build_request(
            scope["method"],
            target.decode("latin-1"),
            headers=headers,
            content=_body(receive) if has_body else None,
        )
        try:
            response = await self.client.send(request, stream=True)
        except httpx.HTTPError as exc:
            log.warning("the store's owner did not answer (%s)", type(exc).__name__)
            await _send_error(send, 503, "the server is starting or stopping; retry shortly")
            return
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status_code,
                    "headers": [
                        (k, v)
                        for k, v in response.headers.raw
                        if k.lower() not in HOP_BY_HOP and k.lower() not in SET_BY_SERVER
                    ],
                }
            )
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.client.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _body(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            return
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


async def _send_error(send: Send, status: int, message: str) -> None:
    body = error_bytes(status, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
