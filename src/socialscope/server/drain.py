"""Move accepted webhook requests from the inbox into the store, in batches.

Per batch: the adapters turn each request into events (deterministically, from the raw
bytes the inbox kept); events whose (shop, platform, dedupe key) is already in the event
log — or earlier in the same batch — are duplicates and change nothing; the rows of the
new events are folded per key (PATCH rows over the stored row, REDACT as a patch that
blanks the text) and imported with the same loader as files, so validation, quarantine,
the ``updated_at`` rule and the derived-table refresh are the same. Only then are the
events logged and the drained position saved, in one transaction.

Crash safety follows from the order: a crash before the log commit replays the batch on
restart, and the replay changes nothing the first pass stored (every canonical write is
an idempotent keyed upsert and a patch of a row by itself is the row). So every request
acknowledged by the inbox ends up in the store exactly once.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa

from socialscope.config import Config
from socialscope.contract.tables import TABLES, TableSpec
from socialscope.ingest.loader import IngestReport, ingest_arrow
from socialscope.server.inbox import Entry, Inbox, Position
from socialscope.server.lanes import Lanes, lane_of_key, position_key
from socialscope.store import derive
from socialscope.store.duckdb import Store
from socialscope.webhooks.events import (
    PayloadError,
    Platform,
    RoutingError,
    Row,
    RowMode,
    WebhookEvent,
)

log = logging.getLogger("socialscope.drain")

BATCH_LIMIT = 5_000
"""Requests per batch at most (a backlog drains in several batches)."""
WEBHOOK_FALLBACK_SHARE = 0.6
"""A drained batch rebuilds a shop's derived tables whole only when it touched more than
this share of the shop's threads or orders (imports: 0.2). Measured on the benchmark's
shops (6,000 threads each, 2,000 requests touching ~25 % of them): the keyed refresh took
about half the CPU of the whole rebuild."""


@dataclass
class DrainStats:
    """What one batch did (for the log and the Prometheus counters)."""

    requests: int = 0
    events: int = 0
    duplicates: int = 0
    rejected: int = 0
    stored_by_platform: dict[str, int] = field(default_factory=dict)
    duplicates_by_platform: dict[str, int] = field(default_factory=dict)
    report: IngestReport | None = None
    oldest_received: float | None = None


def parse_request(entry: Entry, config: Config) -> list[WebhookEvent]:
    """The events of one inbox request, by its platform's adapter."""
    from socialscope.webhooks.line import parse_line
    from socialscope.webhooks.meta import parse_meta
    from socialscope.webhooks.shopify import parse_shopify

    req = entry.request
    shops = [s for s in config.shops if s.shop_id in req.shops]
    match req.platform:
        case Platform.LINE:
            return parse_line(req.body, shops)
        case Platform.META:
            return parse_meta(req.body, shops)
        case Platform.SHOPIFY:
            if not shops:
                raise RoutingError("no configured shop for this Shopify domain")
            return parse_shopify(req.body, req.headers, shops[0])
    raise PayloadError(f"unknown platform {req.platform!r}")


def saved_positions(store: Store) -> dict[str, Position]:
    """The drained position of every lane the store has drained (see `lanes`)."""
    out: dict[str, Position] = {}
    for key, value in store.con.execute("SELECT key, value FROM _meta").fetchall():
        lane = lane_of_key(str(key))
        if lane is not None:
            out[lane] = Position.parse(str(value))
    return out


# -- values -------------------------------------------------------------------------------
def as_text(value: Any) -> str | None:
    """A canonical value as the text the contract's validation reads."""
    if value is None or type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:  # from the store: naive UTC
            value = value.replace(tzinfo=UTC)
        return str(value.astimezone(UTC).isoformat()).replace("+00:00", "Z")
    if isinstance(value, date | int | float | Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _flat(row: Row, spec: TableSpec) -> dict[str, Any]:
    """Contract columns as given; `extra` keys flattened (prefixed when they collide)."""
    values = {k: v for k, v in row.values.items() if k != "extra"}
    for key, value in (row.values.get("extra") or {}).items():
        name = key if key not in spec.column_names else f"x_{key}"
        values[name] = value
    return values


def _sort_time(values: Mapping[str, Any], spec: TableSpec, fallback: datetime) -> datetime:
    """When a row's change happened: its `updated_at` where the table has one, else the
    event's time (adapters give aware UTC datetimes)."""
    if spec.updated_at is not None:
        t = values.get(spec.updated_at)
        if isinstance(t, datetime):
            return t if t.tzinfo else t.replace(tzinfo=UTC)
    return fallback


# -- the drainer --------------------------------------------------------------------------
class Drainer:
    """Drains every lane of the inbox into the store: a background thread, or one call at
    a time. `inbox` is this process's own writer (the owner's lane); the lanes of intake
    processes are found beside it."""

    def __init__(
        self,
        store: Store,
        inbox: Inbox,
        config: Config,
        *,
        write_lock: threading.Lock | None = None,
        on_batch: Callable[[DrainStats], None] | None = None,
        interval: float | None = None,
        poll: float = 0.02,
    ):
        self.store = store
        self.inbox = inbox
        self.config = config
        self.write_lock = write_lock or threading.Lock()
        self.on_batch = on_batch
        self.interval = interval if interval is not None else config.server.drain_interval_s
        self.lanes = Lanes(inbox.directory, local=inbox)
        self.positions = saved_positions(store)
        self.poll = poll
        """How often the lanes of other processes are looked at (their file sizes)."""
        self._stop = threading.Event()
        self._drain_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.drained = 0
        self._last_end = 0.0
        self.last_error: str | None = None

    # lifecycle
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="inbox-drainer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.drain_all()

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self.lanes.pending(self.positions):
                self._stop.wait(self.poll)
                continue
            # Let a burst gather into one batch: a batch has fixed costs (one import per
            # table, one derived-table refresh), so fewer, larger batches keep up better.
            # Under load the previous batch was the gathering time: no wait then.
            self._stop.wait(max(0.0, self.interval - (time.monotonic() - self._last_end)))
            try:
                self.drain_once()
                self._last_end = time.monotonic()
                self.last_error = None
            except Exception as exc:  # keep serving; the batch is retried next round
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("drain failed; will retry")
                self._stop.wait(1.0)

    def drain_all(self) -> int:
        total = 0
        while True:
            stats = self.drain_once()
            total += stats.requests
            if stats.requests == 0:
                return total

    def drain_once(self, limit: int = BATCH_LIMIT) -> DrainStats:
        """Drain up to `limit` durable requests; returns what was done."""
        with self._drain_lock:
            laned = self.lanes.read(self.positions, limit)
            stats = DrainStats(requests=len(laned))
            if not laned:
                return stats
            entries = [e for _, e in laned]
            stats.oldest_received = min(e.request.received_at for e in entries)
            ends = {lane: e.end for lane, e in laned}  # the last entry of each lane
            with self.write_lock:
                self._apply(entries, stats, ends)
            self.positions.update(ends)
            self.drained += len(entries)
            self.lanes.prune(self.positions)
        if self.on_batch is not None:
            self.on_batch(stats)
        return stats

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until everything durable so far is drained (True) or timeout (tests, bench)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._drain_lock:
                if not self.lanes.read(self.positions, 1):
                    return True
            time.sleep(0.01)
        return False

    # one batch
    def depth(self) -> int:
        """Requests acknowledged but not drained yet, in every lane."""
        with self._drain_lock:
            return self.lanes.depth(self.positions)

    def _apply(
        self, entries: Sequence[Entry], stats: DrainStats, ends: Mapping[str, Position]
    ) -> None:
        batch_id = uuid.uuid4().hex[:12]
        events: list[tuple[Entry, WebhookEvent]] = []
        rejects: list[tuple[Entry, str]] = []
        for entry in entries:
            try:
                events.extend((entry, ev) for ev in parse_request(entry, self.config))
            except (PayloadError, RoutingError, ValueError, KeyError, TypeError) as exc:
                rejects.append((entry, f"{type(exc).__name__}: {exc}"))
        fresh = self._new_events(events, stats)
        rows = self._fold(fresh)
        tables = {name: _arrow(values) for name, values in rows.items() if values}
        if tables:
            with derive.fallback_share(WEBHOOK_FALLBACK_SHARE):
                stats.report = ingest_arrow(self.store, tables, source=f"webhook/{batch_id}")
        self._commit(fresh, rejects, ends, batch_id)
        stats.events = len(events)
        stats.rejected = len(rejects)
        for _, ev in fresh:
            p = str(ev.platform)
            stats.stored_by_platform[p] = stats.stored_by_platform.get(p, 0) + 1

    def _new_events(
        self, events: list[tuple[Entry, WebhookEvent]], stats: DrainStats
    ) -> list[tuple[Entry, WebhookEvent]]:
        """Drop events already logged, or seen earlier in this batch."""
        if not events:
            return []
        keys = pa.table(
            {
                "shop_id": [ev.shop_id for _, ev in events],
                "platform": [str(ev.platform) for _, ev in events],
                "dedupe_key": [ev.dedupe_key for _, ev in events],
            }
        )
        con = self.store.con
        with registered(con, "__ss_evkeys", keys):
            seen = {
                (str(a), str(b), str(c))
                for a, b, c in con.execute(
                    "SELECT DISTINCT w.shop_id, w.platform, w.dedupe_key FROM _webhook_events w "
                    "SEMI JOIN __ss_evkeys k ON k.shop_id = w.shop_id "
                    "AND k.platform = w.platform AND k.dedupe_key = w.dedupe_key"
                ).fetchall()
            }
        fresh = []
        for entry, ev in events:
            key = (ev.shop_id, str(ev.platform), ev.dedupe_key)
            if key in seen:
                stats.duplicates += 1
                p = str(ev.platform)
                stats.duplicates_by_platform[p] = stats.duplicates_by_platform.get(p, 0) + 1
                continue
            seen.add(key)
            fresh.append((entry, ev))
        return fresh

    def _fold(
        self, events: Iterable[tuple[Entry, WebhookEvent]]
    ) -> dict[str, list[dict[str, Any]]]:
        """One row per (table, key): upserts replace, patches overlay, redactions blank."""
        by_table: dict[str, list[tuple[datetime, int, Row, str, str]]] = {}
        seq = 0
        for entry, ev in events:
            for row in ev.rows:
                seq += 1
                by_table.setdefault(row.table, []).append(
                    (ev.ts, seq, row, entry.request.request_id, ev.dedupe_key)
                )
        out: dict[str, list[dict[str, Any]]] = {}
        for name, items in by_table.items():
            spec = TABLES[name]
            partial = [r for _, _, r, _, _ in items if r.mode is not RowMode.UPSERT or r.keep]
            stored = self._stored(spec, partial)
            redacted = self._redactions(spec, [r for _, _, r, _, _ in items])
            folded: dict[tuple[Any, ...], dict[str, Any]] = {}
            order = sorted(items, key=lambda t: (_sort_time(t[2].values, spec, t[0]), t[1]))
            for _, _, row, request_id, dedupe in order:
                key = tuple(row.values.get(k) for k in spec.key)
                values = _flat(row, spec)
                values["webhook_request"] = request_id
                values["webhook_event"] = dedupe
                if row.mode is RowMode.UPSERT:
                    base = values
                    earlier = folded.get(key) or stored.get(key) or {}
                    for column in row.keep:  # known better before (e.g. the exact paid_at)
                        if earlier.get(column) is not None:
                            base[column] = earlier[column]
                else:
                    base = dict(folded.get(key) or stored.get(key) or {})
                    if row.mode is RowMode.REDACT:
                        if not base:
                            continue  # the message is not here yet: redacted on arrival
                        base["text"] = None
                        base["unsent"] = True
                    base.update({k: v for k, v in values.items() if v is not None})
                if key in redacted:
                    base["text"] = None
                    base["unsent"] = True
                if name == "comments" and base.get("deleted") is True:
                    base["text"] = None  # removed by its author: keep the fact, not the words
                folded[key] = base
            out[name] = list(folded.values())
        return out

    def _stored(self, spec: TableSpec, rows: list[Row]) -> dict[tuple[Any, ...], dict[str, Any]]:
        """The stored rows (contract columns + extra) with the keys of these rows."""
        if not rows:
            return {}
        keys = {tuple(str(r.values.get(k)) for k in spec.key) for r in rows}
        key_table = pa.table({k: [key[i] for key in keys] for i, k in enumerate(spec.key)})
        con = self.store.con
        with registered(con, "__ss_patch_keys", key_table):
            on = " AND ".join(f't."{k}" = k."{k}"' for k in spec.key)
            cols = ", ".join(f't."{c}"' for c in spec.column_names)
            cur = con.execute(
                f'SELECT {cols}, t.extra FROM "{spec.name}" t SEMI JOIN __ss_patch_keys k ON {on}'
            )
            names = [*spec.column_names, "extra"]
            found: dict[tuple[Any, ...], dict[str, Any]] = {}
            for record in cur.fetchall():
                values = dict(zip(names, record, strict=True))
                extra = values.pop("extra")
                if extra:
                    for k, v in json.loads(extra).items():
                        if v is not None:
                            values[k if k not in spec.column_names else f"x_{k}"] = v
                found[tuple(values[k] for k in spec.key)] = values
            return found

    def _redactions(self, spec: TableSpec, rows: list[Row]) -> set[tuple[Any, ...]]:
        """Keys of message rows in this batch that an earlier logged unsend retracted."""
        if spec.name != "messages":
            return set()
        wanted = [
            (str(r.values.get("shop_id")), str(r.values.get("event_id")))
            for r in rows
            if r.mode is RowMode.UPSERT and str(r.values.get("event_id", "")).startswith("line:")
        ]
        if not wanted:
            return set()
        keys = pa.table({"shop_id": [k[0] for k in wanted], "event_id": [k[1] for k in wanted]})
        con = self.store.con
        with registered(con, "__ss_unsend_keys", keys):
            found = con.execute(
                "SELECT w.shop_id, 'line:msg:' || json_extract_string(w.payload, "
                "'$.unsend.messageId') AS event_id FROM _webhook_events w "
                "SEMI JOIN __ss_unsend_keys k ON k.shop_id = w.shop_id "
                "AND k.event_id = 'line:msg:' || json_extract_string(w.payload, "
                "'$.unsend.messageId') "
                "WHERE w.platform = 'line' AND w.kind = 'unsend'"
            ).fetchall()
        return {(str(a), str(b)) for a, b in found}

    def _commit(
        self,
        events: list[tuple[Entry, WebhookEvent]],
        rejects: list[tuple[Entry, str]],
        positions: Mapping[str, Position],
        batch_id: str,
    ) -> None:
        con = self.store.con
        now = datetime.now(UTC).replace(tzinfo=None)
        log_rows = pa.table(
            {
                "shop_id": [ev.shop_id for _, ev in events],
                "platform": [str(ev.platform) for _, ev in events],
                "dedupe_key": [ev.dedupe_key for _, ev in events],
                "kind": [ev.kind for _, ev in events],
                "ts": pa.array(
                    [ev.ts.astimezone(UTC).replace(tzinfo=None) for _, ev in events],
                    pa.timestamp("us"),
                ),
                "received_at": pa.array(
                    [
                        datetime.fromtimestamp(e.request.received_at, UTC).replace(tzinfo=None)
                        for e, _ in events
                    ],
                    pa.timestamp("us"),
                ),
                "request_id": [e.request.request_id for e, _ in events],
                "payload": [
                    json.dumps(ev.payload, ensure_ascii=False, default=str) for _, ev in events
                ],
            }
        )
        con.execute("BEGIN TRANSACTION")
        try:
            if events:
                with registered(con, "__ss_evlog", log_rows):
                    con.execute(
                        "INSERT INTO _webhook_events SELECT shop_id, platform, dedupe_key, kind, "
                        "ts, received_at, request_id, CAST(payload AS JSON) FROM __ss_evlog"
                    )
            for entry, reason in rejects:
                req = entry.request
                con.execute(
                    "INSERT INTO _quarantine VALUES (?, 'webhook', ?, NULL, NULL, ?, ?, ?, ?)",
                    [
                        batch_id,
                        f"webhook/{req.platform}/{req.request_id}",
                        reason,
                        req.shops[0] if req.shops else None,
                        json.dumps({"body": req.body.decode("utf-8", "replace")}),
                        now,
                    ],
                )
            for lane, position in positions.items():
                con.execute(
                    "INSERT OR REPLACE INTO _meta VALUES (?, ?)",
                    [position_key(lane), str(position)],
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[None]:
    """An Arrow table visible to SQL as `name` for the duration of the block."""
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)


def _arrow(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as an all-text Arrow table (the loader validates and types them)."""
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    return pa.table({c: pa.array([as_text(r.get(c)) for r in rows], pa.string()) for c in columns})
