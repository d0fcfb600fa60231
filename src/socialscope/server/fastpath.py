"""The webhook POST routes as a raw ASGI app in front of FastAPI.

A webhook request is the one hot path of the server (thousands a second from the
platforms); FastAPI's routing, dependency and middleware layers cost about as much as the
work itself. This app answers ``POST /webhooks/{line,meta,shopify}`` directly and hands
every other request (the Meta ``GET`` handshake, the API, the dashboard) to the app
behind it. The semantics are those of :mod:`socialscope.server.webhook_routes` (whose
routes stay registered, for the OpenAPI schema and the handshake): body size (413, from
Content-Length before reading, or as soon as the stream passes the limit) → signature on
the raw bytes (401) → parse (400) → durable inbox → 200, with the same JSON bodies, the
same Prometheus counters (``requests_total``/``request_seconds`` under the route template,
``webhook_rejected_total`` by reason) and a JSON 500 for an unexpected error.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from socialscope.api.errors import error_payload
from socialscope.config import Config, ShopConfig
from socialscope.server.inbox import Inbox
from socialscope.server.inbox import Request as InboxRequest
from socialscope.server.webhook_routes import SHOPIFY_HEADERS
from socialscope.webhooks.events import PayloadError, Platform, RoutingError, WebhookEvent

log = logging.getLogger("socialscope.webhooks")

Authenticate = Callable[[bytes, Headers], Sequence[ShopConfig]]
Parse = Callable[[bytes, Headers, Sequence[ShopConfig]], list[WebhookEvent]]


@dataclass(frozen=True)
class Route:
    platform: Platform
    authenticate: Authenticate
    parse: Parse
    keep_headers: Sequence[str] = ()


class _DisconnectedError(Exception):
    """The client went away before its body was read."""


class _TooLargeError(Exception):
    """The body is larger than the limit."""


def _json(content: Any) -> bytes:
    """As Starlette's JSONResponse renders it."""
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def routes(config: Config) -> dict[str, Route]:
    """The webhook POST routes of this configuration, by path."""
    from socialscope.webhooks import auth
    from socialscope.webhooks.line import parse_line
    from socialscope.webhooks.meta import parse_meta
    from socialscope.webhooks.shopify import parse_shopify

    return {
        "/webhooks/line": Route(
            Platform.LINE,
            lambda body, headers: auth.authenticate_line(body, headers, config),
            lambda body, _headers, shops: parse_line(body, shops),
        ),
        "/webhooks/meta": Route(
            Platform.META,
            lambda body, headers: auth.authenticate_meta(body, headers, config),
            lambda body, _headers, shops: parse_meta(body, shops),
        ),
        "/webhooks/shopify": Route(
            Platform.SHOPIFY,
            lambda body, headers: [auth.authenticate_shopify(body, headers, config)],
            lambda body, headers, shops: parse_shopify(body, dict(headers), shops[0]),
            SHOPIFY_HEADERS,
        ),
    }


class WebhookFastPath:
    """``POST /webhooks/*`` answered here; everything else passed to `app`."""

    def __init__(self, app: ASGIApp, config: Config, inbox: Inbox, telemetry: Any) -> None:
        self.app = app
        self.inbox = inbox
        self.telemetry = telemetry
        self.limit = config.server.max_body_bytes
        self.routes = routes(config)

    def __getattr__(self, name: str) -> Any:
        # `server.app.state` and the like still reach the FastAPI app behind
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.routes.get(scope["path"]) if scope["type"] == "http" else None
        if route is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        try:
            status, body = await self._handle(route, scope, receive)
        except _DisconnectedError:
            status = 499  # counted, nothing to answer
            return
        except Exception as exc:
            log.error(
                "unhandled %s while answering POST %s",
                type(exc).__name__,
                scope["path"],
                exc_info=exc,
            )
            status, body = 500, _json(error_payload(500, "internal server error"))
        finally:
            if self.telemetry is not None:
                self.telemetry.observe_request(scope["path"], status, time.perf_counter() - start)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-length", str(len(body)).encode()),
                    (b"content-type", b"application/json"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _rejected(self, platform: Platform, reason: str) -> None:
        if self.telemetry is not None:
            self.telemetry.webhook_rejected_total.labels(
                platform=str(platform), reason=reason
            ).inc()

    def _error(self, status: int, message: str) -> tuple[int, bytes]:
        return status, _json(error_payload(status, message))

    async def _read(self, headers: Headers, receive: Receive) -> bytes:
        declared = headers.get("content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.limit
            except ValueError:
                too_large = False
            if too_large:
                raise _TooLargeError
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _DisconnectedError
            chunk = message.get("body", b"")
            if chunk:
                total += len(chunk)
                if total > self.limit:
                    raise _TooLargeError
                chunks.append(chunk)
            if not message.get("more_body", False):
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    async def _handle(self, route: Route, scope: Scope, receive: Receive) -> tuple[int, bytes]:
        from socialscope.webhooks.auth import SignatureError

        received = time.time()
        platform = route.platform
        headers = Headers(scope=scope)
        try:
            body = await self._read(headers, receive)
        except _TooLargeError:
            self._rejected(platform, "too_large")
            return self._error(413, f"request body larger than {self.limit} bytes")
        try:
            shops = route.authenticate(body, headers)
        except SignatureError as exc:
            self._rejected(platform, "signature")
            return self._error(exc.status, str(exc))
        try:
            events = route.parse(body, headers, shops)
        except PayloadError as exc:
            self._rejected(platform, "payload")
            return self._error(400, f"signed body is not a valid {platform} webhook: {exc}")
        except RoutingError as exc:  # genuine: kept, and quarantined by the drainer
            log.warning("%s webhook for an unconfigured account: %s", platform, exc)
            events = []
        else:
            if not events:
                return 200, _json({"status": "ok", "events": 0})
        request_id = uuid.uuid4().hex
        entry = InboxRequest(
            request_id=request_id,
            platform=str(platform),
            received_at=received,
            body=body,
            headers={h: headers[h] for h in route.keep_headers if h in headers},
            shops=tuple(s.shop_id for s in shops),
        )
        await asyncio.wrap_future(self.inbox.submit(entry))
        return 200, _json({"status": "ok", "events": len(events), "request_id": request_id})
