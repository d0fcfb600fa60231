"""Prometheus metrics of one server: HTTP requests, webhook events, inbox and lag.

Every app has its own :class:`prometheus_client.CollectorRegistry` (never the process-wide
default), so two apps in one process (tests) count separately. The HTTP side counts
requests in :class:`TelemetryMiddleware`, labelled by route *template*
(``/api/v1/metrics/{metric_id}``), never by raw path, so label cardinality stays bounded;
requests that match no route are labelled ``unmatched``. The webhook side (the inbox and
its drainer) increments the event counters and sets the two gauges.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialscope.api.errors import error_bytes

log = logging.getLogger("socialscope.api")

UNMATCHED = "unmatched"
"""The route label of requests that matched no route (404s of random paths)."""

LATENCY_BUCKETS: Sequence[float] = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
)


class Telemetry:
    """The server's metrics, on a registry of its own.

    Attributes the webhook side uses::

        telemetry.events_stored_total.labels(platform="line").inc(n)
        telemetry.events_duplicate_total.labels(platform="meta").inc()
        telemetry.webhook_rejected_total.labels(platform="shopify", reason="signature").inc()
        telemetry.inbox_depth.set(pending_files)
        telemetry.ingest_lag_seconds.set(seconds_between_receipt_and_store)

    ``namespace`` prefixes every metric name (``socialscope`` gives
    ``socialscope_requests_total``...); the default is no prefix.
    """

    CONTENT_TYPE = CONTENT_TYPE_LATEST

    def __init__(self, registry: CollectorRegistry | None = None, namespace: str = "") -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.external: Callable[[], Mapping[Any, float]] | None = None
        """Counts kept by other processes, added when rendering (intake processes)."""
        reg = self.registry
        self.requests_total = Counter(
            "requests_total",
            "HTTP requests answered, by route template and status code.",
            ["route", "status"],
            namespace=namespace,
            registry=reg,
        )
        self.request_seconds = Histogram(
            "request_seconds",
            "HTTP request latency in seconds, by route template.",
            ["route"],
            namespace=namespace,
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.events_stored_total = Counter(
            "events_stored_total",
            "Webhook events stored (new rows), by platform.",
            ["platform"],
            namespace=namespace,
            registry=reg,
        )
        self.events_duplicate_total = Counter(
            "events_duplicate_total",
            "Webhook events already stored (redeliveries), by platform.",
            ["platform"],
            namespace=namespace,
            registry=reg,
        )
        self.webhook_rejected_total = Counter(
            "webhook_rejected_total",
            "Webhook requests refused, by platform and reason.",
            ["platform", "reason"],
            namespace=namespace,
            registry=reg,
        )
        self.inbox_depth = Gauge(
            "inbox_depth",
            "Accepted webhook requests waiting in the durable inbox.",
            namespace=namespace,
            registry=reg,
        )
        self.ingest_lag_seconds = Gauge(
            "ingest_lag_seconds",
            "Seconds between receiving the last drained webhook request and storing it.",
            namespace=namespace,
            registry=reg,
        )

    def observe_request(self, route: str, status: int, seconds: float) -> None:
        """Count one answered HTTP request."""
        self.requests_total.labels(route=route, status=str(status)).inc()
        self.request_seconds.labels(route=route).observe(seconds)

    def render(self) -> bytes:
        """The registry in the Prometheus text exposition format (with the counts of the
        intake processes, when `external` is set: see ``server.shared_telemetry``)."""
        if self.external is None:
            return generate_latest(self.registry)
        from socialscope.server.shared_telemetry import Merged

        return generate_latest(Merged(self.registry, self.external))


def route_label(scope: Scope) -> str:
    """The template of the route that handled the request, else ``unmatched``."""
    route = scope.get("route")
    if isinstance(route, BaseRoute):
        path = getattr(route, "path", None)
        if isinstance(path, str):
            return path
    return UNMATCHED


class TelemetryMiddleware:
    """Counts and times every HTTP request; turns an unhandled exception into a JSON 500.

    The exception is logged once (with its traceback, for the operator) and the client
    gets ``{"error": {"status": 500, "message": "internal server error"}}`` — no exception
    text, which could hold internals. If the response had already started, the connection
    is simply closed by re-raising to the server.
    """

    def __init__(self, app: ASGIApp, telemetry: Telemetry) -> None:
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = int(message["status"])
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            status = 500
            log.error(
                "unhandled %s while answering %s %s",
                type(exc).__name__,
                scope.get("method", "?"),
                route_label(scope),
                exc_info=exc,
            )
            if started:
                raise
            await _send_500(send)
        finally:
            self.telemetry.observe_request(route_label(scope), status, time.perf_counter() - start)


async def _send_500(send: Send) -> None:
    body = error_bytes(500, "internal server error")
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    start: dict[str, Any] = {"type": "http.response.start", "status": 500, "headers": headers}
    await send(start)
    await send({"type": "http.response.body", "body": body})
