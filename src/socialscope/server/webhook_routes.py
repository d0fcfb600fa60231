"""The webhook endpoints: bounded body, signature on the raw bytes, then the inbox, then 200.

Order of checks per request (FORMATS.md §0): body size (413) → signature over the exact
bytes (401) → parse (a signed body that is not valid JSON or not the platform's shape:
400) → append to the durable inbox and wait for its fsync → 200. The canonical rows are
written later by the drainer, from the same bytes. A verified request for an account no
shop owns is accepted and quarantined there: it is genuine, so a 4xx would only make the
platform retry it (and, for Meta, unsubscribe the app).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from socialscope.api.body import BodyTooLargeError, read_limited
from socialscope.api.errors import error_response
from socialscope.config import Config, ShopConfig
from socialscope.server.inbox import Inbox
from socialscope.server.inbox import Request as InboxRequest
from socialscope.webhooks.events import PayloadError, Platform, RoutingError, WebhookEvent

log = logging.getLogger("socialscope.webhooks")

SHOPIFY_HEADERS = (
    "x-shopify-topic",
    "x-shopify-shop-domain",
    "x-shopify-event-id",
    "x-shopify-webhook-id",
    "x-shopify-triggered-at",
    "x-shopify-api-version",
)
"""Headers the Shopify adapter reads, kept with the body in the inbox."""


def webhook_router(config: Config, inbox: Inbox, telemetry: Any = None) -> APIRouter:
    """The /webhooks routes for this configuration and inbox."""
    from socialscope.webhooks import auth
    from socialscope.webhooks.line import parse_line
    from socialscope.webhooks.meta import parse_meta
    from socialscope.webhooks.shopify import parse_shopify

    router = APIRouter(prefix="/webhooks", tags=["webhooks"])
    limit = config.server.max_body_bytes

    def rejected(platform: Platform, reason: str) -> None:
        if telemetry is not None:
            telemetry.webhook_rejected_total.labels(platform=str(platform), reason=reason).inc()

    async def accept(
        request: Request,
        platform: Platform,
        authenticate: Callable[[bytes, Any], Sequence[ShopConfig]],
        parse: Callable[[bytes, Any, Sequence[ShopConfig]], list[WebhookEvent]],
        keep_headers: Sequence[str] = (),
    ) -> Response:
        received = time.time()
        try:
            body = await read_limited(request, limit)
        except BodyTooLargeError:
            rejected(platform, "too_large")
            return error_response(413, f"request body larger than {limit} bytes")
        try:
            shops = authenticate(body, request.headers)
        except auth.SignatureError as exc:
            rejected(platform, "signature")
            return error_response(exc.status, str(exc))
        try:
            events = parse(body, request.headers, shops)
        except PayloadError as exc:
            rejected(platform, "payload")
            return error_response(400, f"signed body is not a valid {platform} webhook: {exc}")
        except RoutingError as exc:  # genuine: kept, and quarantined by the drainer
            log.warning("%s webhook for an unconfigured account: %s", platform, exc)
            events = []
        else:
            if not events:
                return JSONResponse({"status": "ok", "events": 0})
        request_id = uuid.uuid4().hex
        entry = InboxRequest(
            request_id=request_id,
            platform=str(platform),
            received_at=received,
            body=body,
            headers={h: request.headers[h] for h in keep_headers if h in request.headers},
            shops=tuple(s.shop_id for s in shops),
        )
        await asyncio.wrap_future(inbox.submit(entry))
        return JSONResponse({"status": "ok", "events": len(events), "request_id": request_id})

    @router.post("/line", summary="LINE Messaging API webhook")
    async def line(request: Request) -> Response:
        return await accept(
            request,
            Platform.LINE,
            lambda body, headers: auth.authenticate_line(body, headers, config),
            lambda body, _headers, shops: parse_line(body, shops),
        )

    @router.get("/meta", summary="Meta subscription handshake", response_class=PlainTextResponse)
    async def meta_handshake(request: Request) -> Response:
        challenge = auth.meta_handshake(dict(request.query_params), config)
        if challenge is None:
            rejected(Platform.META, "verify_token")
            return error_response(403, "verification failed: wrong hub.verify_token or hub.mode")
        return PlainTextResponse(challenge)

    @router.post("/meta", summary="Meta webhook (Messenger, Instagram, Page feed, live)")
    async def meta(request: Request) -> Response:
        return await accept(
            request,
            Platform.META,
            lambda body, headers: auth.authenticate_meta(body, headers, config),
            lambda body, _headers, shops: parse_meta(body, shops),
        )

    @router.post("/shopify", summary="Shopify webhook (orders, refunds)")
    async def shopify(request: Request) -> Response:
        return await accept(
            request,
            Platform.SHOPIFY,
            lambda body, headers: [auth.authenticate_shopify(body, headers, config)],
            lambda body, headers, shops: parse_shopify(body, dict(headers), shops[0]),
            SHOPIFY_HEADERS,
        )

    return router
