"""What a platform adapter turns one webhook request into.

An adapter is a pure function: verified raw bytes (+ headers) and the configuration in,
a list of :class:`WebhookEvent` out. Each event carries the platform's own dedupe key
(as FORMATS.md §6 names it), its time in UTC, the canonical rows it means (SCHEMA.md
columns, ``shop_id`` included; values as plain Python: str, int, bool, Decimal, an aware
UTC datetime, or None; an optional ``extra`` dict for platform fields worth keeping) and
the platform's event object for the raw event log. Events with no canonical meaning
(delivery receipts, reads, reactions, joins...) still come back, with no rows, so they
are logged and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Platform(StrEnum):
    LINE = "line"
    META = "meta"
    SHOPIFY = "shopify"


class RowMode(StrEnum):
    """How a row meets a stored row with the same key."""

    UPSERT = "upsert"
    """The contract's rule (SCHEMA.md): newer ``updated_at`` or different content wins."""
    PATCH = "patch"
    """Columns the row leaves out (absent or None) are taken from the stored row first:
    for events that only know part of a row (a live that stopped, a removed comment)."""
    REDACT = "redact"
    """Only for messages: blank the text of the stored row (a retracted message)."""


@dataclass(frozen=True)
class Row:
    table: str
    values: dict[str, Any]
    mode: RowMode = RowMode.UPSERT
    keep: frozenset[str] = frozenset()
    """Columns whose stored non-null value should win over this row's value: the row only
    approximates them (an order's ``paid_at`` guessed from ``processed_at`` by
    orders/create or orders/updated must not overwrite the exact time orders/paid gave).
    A store that ignores it just takes the row's value."""


@dataclass(frozen=True)
class WebhookEvent:
    platform: Platform
    shop_id: str
    dedupe_key: str
    kind: str
    """message, echo, postback, follow, unfollow, unsend, handoff, delivery, read, comment,
    live_status, order, refund, ... (free text, for the log and the counters)."""
    ts: datetime
    rows: tuple[Row, ...] = ()
    payload: dict[str, Any] = field(default_factory=dict)


class PayloadError(ValueError):
    """A genuine (verified) request whose body cannot be understood: answered 400."""


class RoutingError(LookupError):
    """A verified request for an account no configured shop owns."""
