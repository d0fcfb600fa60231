"""Delivering alert messages from the durable outbox (`_alert_outbox`).

Every firing or resolved message becomes one outbox row per target, written in the same
transaction as its history row; this module sends the due rows:

* ``log``: one structured line on the ``socialscope.alerts`` logger (never a secret);
* a webhook: a JSON POST whose raw body is signed — ``X-Socialscope-Signature:
  sha256=<hex HMAC-SHA256(secret, body)>`` — with ``X-Socialscope-Timestamp`` (Unix
  seconds, also in the body as ``timestamp``, so it is signed) and the delivery id as
  ``X-Socialscope-Delivery``, ``Idempotency-Key`` and ``delivery_id`` in the body.

A 2xx marks the row sent (committed before the next row is tried): an acknowledged
delivery is never sent again, also after a restart. Anything else (connection refused,
timeout, non-2xx) schedules a retry with exponential backoff and jitter — the n-th retry
waits ``min(backoff_max_s, backoff_base_s * 2**(n-1))``, between half and all of it —
until ``max_attempts``; then the row is marked failed (shown by ``alerts history``). A
crash after the receiver's 2xx but before the commit resends the same delivery id: the
receiver drops ids it has seen (at-least-once, idempotent by key).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from socialscope import outbound
from socialscope.alerts.rules import LOG_TARGET, AlertWebhook
from socialscope.alerts.store import OUTBOX, fetch_dicts, iso
from socialscope.store.duckdb import Store

log = logging.getLogger("socialscope.alerts")

SIGNATURE_HEADER = "X-Socialscope-Signature"
TIMESTAMP_HEADER = "X-Socialscope-Timestamp"
DELIVERY_HEADER = "X-Socialscope-Delivery"
IDEMPOTENCY_HEADER = "Idempotency-Key"
TOLERANCE_S = 300
"""How old a signed timestamp a receiver should accept (replay protection)."""
BATCH = 100


def sign(secret: bytes, body: bytes) -> str:
    """The signature header value of ``body``."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(
    secret: bytes,
    body: bytes,
    signature: str | None,
    timestamp: str | None,
    now: float,
    tolerance_s: int = TOLERANCE_S,
) -> bool:
    """What a receiver checks: the HMAC of the raw body, then that the signed timestamp
    equals the header and is recent (a replayed old request is refused)."""
    if not signature or not timestamp:
        return False
    if not hmac.compare_digest(sign(secret, body), signature):
        return False
    try:
        sent = int(timestamp)
        signed = json.loads(body)["timestamp"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(signed == sent and abs(now - sent) <= tolerance_s)


def backoff(hook: AlertWebhook, attempts: int, rand: Callable[[], float]) -> timedelta:
    """The wait before retry number ``attempts`` (≥ 1): exponential, "equal jitter"."""
    full = min(hook.backoff_max_s, hook.backoff_base_s * 2 ** (attempts - 1))
    return timedelta(seconds=full / 2 + rand() * full / 2)


@dataclass
class DeliveryStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def body_of(row: dict[str, Any], attempt: int, now: datetime) -> bytes:
    message = json.loads(row["payload"])
    message["delivery_id"] = row["delivery_id"]
    message["attempt"] = attempt
    message["timestamp"] = int(now.timestamp())
    return json.dumps(message, ensure_ascii=False, sort_keys=True).encode("utf-8")


class Outbox:
    """Sends the outbox's due rows; safe to run from one thread at a time per store."""

    def __init__(
        self,
        store: Store,
        webhooks: tuple[AlertWebhook, ...],
        *,
        lock: threading.Lock | None = None,
        transport: httpx.BaseTransport | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.store = store
        self.hooks = {h.name: h for h in webhooks}
        self.lock = lock
        self.transport = transport or httpx.HTTPTransport()
        self.rand = rand

    def _writing(self) -> AbstractContextManager[Any]:
        return self.lock if self.lock is not None else nullcontext()

    def due(self, now: datetime) -> list[dict[str, Any]]:
        """Pending rows whose time has come — except one whose incident has an earlier
        message to the same target still pending: a receiver never gets "resolved"
        before its "firing" (a failed earlier message no longer holds it back)."""
        return fetch_dicts(
            self.store,
            f"SELECT delivery_id, target, payload, attempts, state FROM {OUTBOX} o "
            "WHERE status = 'pending' AND next_attempt_at <= ?::TIMESTAMPTZ "
            f"AND NOT EXISTS (SELECT 1 FROM {OUTBOX} e WHERE e.status = 'pending' "
            "AND e.incident_id = o.incident_id AND e.target = o.target "
            'AND (e."at" < o."at" OR (e."at" = o."at" AND e.state = \'firing\' '
            "AND o.state = 'resolved'))) "
            f'ORDER BY created_at, "at", delivery_id LIMIT {BATCH}',
            [iso(now)],
        )

    def next_due(self) -> datetime | None:
        row = self.store.con.execute(
            f"SELECT CAST(min(next_attempt_at) AS TIMESTAMP) FROM {OUTBOX} WHERE status = 'pending'"
        ).fetchone()
        return None if row is None or row[0] is None else row[0].replace(tzinfo=UTC)

    def run_once(self, now: datetime | None = None) -> DeliveryStats:
        """Try every due row once."""
        stats = DeliveryStats()
        now = now or datetime.now(UTC)
        for row in self.due(now):
            self._deliver(row, stats)
        return stats

    def _mark(
        self,
        delivery_id: str,
        status: str,
        attempts: int,
        error: str | None,
        next_at: datetime | None = None,
    ) -> None:
        now = datetime.now(UTC)
        with self._writing():
            self.store.con.execute(
                f"UPDATE {OUTBOX} SET status = ?, attempts = ?, last_error = ?, "
                "next_attempt_at = coalesce(?::TIMESTAMPTZ, next_attempt_at), "
                "sent_at = CASE WHEN ? = 'sent' THEN ?::TIMESTAMPTZ ELSE sent_at END "
                "WHERE delivery_id = ?",
                [
                    status,
                    attempts,
                    error,
                    iso(next_at) if next_at else None,
                    status,
                    iso(now),
                    delivery_id,
                ],
            )

    def _deliver(self, row: dict[str, Any], stats: DeliveryStats) -> None:
        attempts = int(row["attempts"]) + 1
        target = row["target"]
        delivery_id = row["delivery_id"]
        if target == LOG_TARGET:
            message = json.loads(row["payload"])
            level = logging.INFO if message.get("state") == "resolved" else logging.WARNING
            if message.get("severity") == "critical" and level == logging.WARNING:
                level = logging.ERROR
            log.log(
                level,
                "alert %s",
                json.dumps(
                    {**message, "delivery_id": delivery_id}, ensure_ascii=False, sort_keys=True
                ),
            )
            self._mark(delivery_id, "sent", attempts, None)
            stats.sent += 1
            return
        hook = self.hooks.get(target)
        if hook is None:
            self._mark(delivery_id, "failed", attempts, f"target {target!r} is not configured")
            log.error("alert delivery %s failed: target %s is not configured", delivery_id, target)
            stats.failed += 1
            return
        now = datetime.now(UTC)
        body = body_of(row, attempts, now)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "socialscope-alerts",
            SIGNATURE_HEADER: sign(hook.secret.get_secret_value().encode("utf-8"), body),
            TIMESTAMP_HEADER: str(int(now.timestamp())),
            DELIVERY_HEADER: delivery_id,
            IDEMPOTENCY_HEADER: delivery_id,
        }
        error: str | None = None
        try:
            status = self._post(hook, body, headers)
            if 200 <= status < 300:
                self._mark(delivery_id, "sent", attempts, None)
                stats.sent += 1
                return
            error = f"HTTP {status}"
        except httpx.HTTPError as exc:
            error = type(exc).__name__  # the message may hold the URL (and its credentials)
        if attempts >= hook.max_attempts:
            self._mark(delivery_id, "failed", attempts, error)
            log.error(
                "alert delivery %s to %s failed after %d attempts: %s",
                delivery_id,
                target,
                attempts,
                error,
            )
            stats.failed += 1
            return
        wait = backoff(hook, attempts, self.rand)
        self._mark(delivery_id, "pending", attempts, error, now + wait)
        log.warning(
            "alert delivery %s to %s: attempt %d failed (%s), retry in %.3f s",
            delivery_id,
            target,
            attempts,
            error,
            wait.total_seconds(),
        )
        stats.retried += 1

    def _post(self, hook: AlertWebhook, body: bytes, headers: dict[str, str]) -> int:
        """POST through the transport itself (`socialscope.outbound`: no URL in logs)."""
        return outbound.post(self.transport, hook.url, body, headers, hook.timeout_s)

    def close(self) -> None:
        self.transport.close()
