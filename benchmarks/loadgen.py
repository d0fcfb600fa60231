"""A minimal asyncio HTTP/1.1 load generator (keep-alive, pre-built requests, uvloop).

The Python HTTP clients (httpx, aiohttp...) spend more CPU per request than the server
under test, so on a 2-core machine they cannot load it. This client does the least an
HTTP/1.1 client can: it writes pre-built request bytes on a kept-alive connection and
reads the status line, the headers and a ``Content-Length`` (or chunked) body.

Two ways to drive a server:

* :func:`closed_loop` — ``connections`` workers, each sending its next request as soon as
  the previous one is answered, for ``duration`` seconds: the maximum throughput;
* :func:`paced` — an open loop: request ``i`` is *scheduled* at ``t0 + i / rate`` and its
  latency is measured from that scheduled time, not from when a connection got free to
  send it, so a server stall shows in the latency of every request it delayed (no
  coordinated omission, as in wrk2). Requests wait in a client-side queue for one of
  ``connections`` connections, as they would in a real sender's connection pool.

Both record, per request index, the status (0 = never sent, -1 = transport error or
timeout), the latency and the acknowledgement time; :class:`Phase` summarises them.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

NOT_SENT = 0
FAILED = -1
TICK = 0.001
"""Seconds between two releases of due requests in a paced run, at least."""


def request_bytes(
    method: str,
    path: str,
    host: str,
    headers: Sequence[tuple[str, str]] = (),
    body: bytes = b"",
) -> bytes:
    """One HTTP/1.1 request, ready to write (keep-alive is HTTP/1.1's default)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class HTTPError(Exception):
    """The server's answer was not a well-formed HTTP/1.1 response."""


class Connection:
    """One kept-alive HTTP/1.1 connection; reconnects after the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self.reconnects = 0

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port, limit=1 << 20
            )
            self.reconnects += 1
        return self._reader, self._writer

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        """Send one pre-built request; (status, body) of its response."""
        reader, writer = await self._connect()
        try:
            writer.write(raw)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.") or len(head) < 12:
                raise HTTPError(f"bad status line {head[:40]!r}")
            status = int(head[9:12])
            length = -1
            chunked = close = False
            for line in head[:-4].split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"transfer-encoding":
                    chunked = b"chunked" in value.lower()
                elif name == b"connection":
                    close = b"close" in value.lower()
            if chunked:
                body = await _read_chunked(reader)
            elif length >= 0:
                body = await reader.readexactly(length)
            else:  # no length: the body runs to the end of the connection
                body = await reader.read()
                close = True
        except BaseException:
            self.close()
            raise
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers are expected
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


@dataclass
class Phase:
    """What one load phase did, per request index of its request list."""

    name: str
    mode: str
    connections: int
    total: int
    rate: float | None = None
    duration: float = 0.0
    started: float = 0.0
    """`time.perf_counter()` when the first request was due."""
    elapsed: float = 0.0
    """Seconds from `started` until the last response."""
    status: list[int] = field(default_factory=list)
    latency: list[float] = field(default_factory=list)
    """Seconds: from the scheduled time (paced) or the send (closed loop) to the answer."""
    service: list[float] = field(default_factory=list)
    """Seconds from the actual send to the answer (paced: without the client queue)."""
    acked_at: list[float] = field(default_factory=list)
    """`time.perf_counter()` of a 2xx answer (nan otherwise)."""
    errors: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.status = [NOT_SENT] * self.total
        self.latency = [math.nan] * self.total
        self.service = [math.nan] * self.total
        self.acked_at = [math.nan] * self.total

    def record(self, i: int, status: int, scheduled: float, sent: float, done: float) -> None:
        self.status[i] = status
        self.latency[i] = done - scheduled
        self.service[i] = done - sent
        if 200 <= status < 300:
            self.acked_at[i] = done

    def fail(self, i: int, error: BaseException | str) -> None:
        self.status[i] = FAILED
        self.errors[error if isinstance(error, str) else type(error).__name__] += 1

    # summaries
    @property
    def sent(self) -> int:
        return sum(1 for s in self.status if s != NOT_SENT)

    @property
    def ok(self) -> int:
        return sum(1 for s in self.status if 200 <= s < 300)

    @property
    def failed(self) -> int:
        """Transport errors, timeouts and non-2xx answers."""
        return sum(1 for s in self.status if s != NOT_SENT and not 200 <= s < 300)

    def status_counts(self) -> dict[str, int]:
        counts = Counter("error" if s == FAILED else str(s) for s in self.status if s != NOT_SENT)
        return dict(sorted(counts.items()))

    def requests_per_s(self) -> float:
        return self.ok / self.elapsed if self.elapsed > 0 else math.nan

    def percentiles_ms(self, qs: Sequence[float] = (50, 90, 95, 99, 99.9)) -> dict[str, float]:
        """Latency percentiles of the 2xx answers, plus the maximum."""
        return _percentiles_ms(
            [lat for lat, s in zip(self.latency, self.status, strict=True) if 200 <= s < 300], qs
        )

    def service_percentiles_ms(self, qs: Sequence[float] = (50, 99)) -> dict[str, float]:
        return _percentiles_ms(
            [lat for lat, s in zip(self.service, self.status, strict=True) if 200 <= s < 300], qs
        )

    def summary(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "connections": self.connections,
            "target_rate_per_s": self.rate,
            "duration_s": round(self.duration, 3),
            "elapsed_s": round(self.elapsed, 3),
            "requests_prepared": self.total,
            "requests_sent": self.sent,
            "requests_ok": self.ok,
            "requests_failed": self.failed,
            "statuses": self.status_counts(),
            "errors": dict(self.errors),
            "requests_per_s": round(self.requests_per_s(), 1),
            "latency_ms": self.percentiles_ms(),
            "service_time_ms": self.service_percentiles_ms(),
        }


def _percentiles_ms(values: Sequence[float], qs: Sequence[float]) -> dict[str, float]:
    if not values:
        return {f"p{q:g}": math.nan for q in qs} | {"max": math.nan}
    arr = np.asarray(values) * 1000.0
    out = {f"p{q:g}": round(float(np.percentile(arr, q)), 3) for q in qs}
    out["max"] = round(float(arr.max()), 3)
    return out


Watcher = Callable[[Phase, asyncio.Event], Coroutine[Any, Any, None]]
"""A coroutine run beside the load (a poller, a scraper); the event is set when the load
is done, and the watcher is cancelled `grace` seconds later if it has not returned."""


async def _run(
    phase: Phase, load: Awaitable[None], watchers: Sequence[Watcher], grace: float
) -> None:
    done = asyncio.Event()
    tasks = [asyncio.ensure_future(w(phase, done)) for w in watchers]
    try:
        await load
        done.set()
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
    finally:
        done.set()
        for task in tasks:
            if not task.done():
                task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def closed_loop(
    host: str,
    port: int,
    requests: Sequence[bytes],
    *,
    connections: int,
    duration: float,
    timeout: float = 10.0,
    name: str = "closed",
    watchers: Sequence[Watcher] = (),
    grace: float = 0.0,
) -> Phase:
    """Each of `connections` workers sends its next request as soon as it has an answer,
    until `duration` seconds have passed or the requests run out."""
    phase = Phase(name, "closed", connections, len(requests), duration=duration)
    pending = iter(range(len(requests)))
    phase.started = time.perf_counter()
    deadline = phase.started + duration
    last = [phase.started]

    async def worker() -> None:
        conn = Connection(host, port)
        try:
            while time.perf_counter() < deadline:
                i = next(pending, None)
                if i is None:
                    return
                sent = time.perf_counter()
                try:
                    async with asyncio.timeout(timeout):
                        status, _ = await conn.request(requests[i])
                except (OSError, asyncio.IncompleteReadError, HTTPError, TimeoutError) as exc:
                    phase.fail(i, exc)
                    continue
                done = time.perf_counter()
                phase.record(i, status, sent, sent, done)
                last[0] = max(last[0], done)
        finally:
            conn.close()

    async def load() -> None:
        await asyncio.gather(*(worker() for _ in range(connections)))

    await _run(phase, load(), watchers, grace)
    phase.elapsed = last[0] - phase.started
    return phase


async def paced(
    host: str,
    port: int,
    requests: Sequence[bytes],
    *,
    connections: int,
    rate: float,
    timeout: float = 10.0,
    name: str = "paced",
    watchers: Sequence[Watcher] = (),
    grace: float = 0.0,
) -> Phase:
    """Request i is due at t0 + i / rate; its latency counts from then (open loop)."""
    n = len(requests)
    phase = Phase(name, "paced", connections, n, rate=rate, duration=n / rate)
    queue: asyncio.Queue[int] = asyncio.Queue()
    phase.started = t0 = time.perf_counter() + 0.05
    last = [t0]

    async def dispatch() -> None:
        # wakes at most every TICK seconds and releases every request due by then (the
        # event loop's timers have millisecond resolution: shorter sleeps would spin)
        i = 0
        while i < n:
            now = time.perf_counter()
            while i < n and t0 + i / rate <= now:
                queue.put_nowait(i)
                i += 1
            if i < n:
                await asyncio.sleep(max(TICK, t0 + i / rate - time.perf_counter()))
        for _ in range(connections):
            queue.put_nowait(-1)

    async def worker() -> None:
        conn = Connection(host, port)
        try:
            while (i := await queue.get()) >= 0:
                scheduled = t0 + i / rate
                sent = time.perf_counter()
                try:
                    async with asyncio.timeout(timeout):
                        status, _ = await conn.request(requests[i])
                except (OSError, asyncio.IncompleteReadError, HTTPError, TimeoutError) as exc:
                    phase.fail(i, exc)
                    continue
                done = time.perf_counter()
                phase.record(i, status, scheduled, sent, done)
                last[0] = max(last[0], done)
        finally:
            conn.close()

    async def load() -> None:
        await asyncio.gather(dispatch(), *(worker() for _ in range(connections)))

    await _run(phase, load(), watchers, grace)
    phase.elapsed = last[0] - t0
    return phase


def run(coro: Coroutine[Any, Any, Phase]) -> Phase:
    """Run one phase on a uvloop event loop (asyncio's own loop if uvloop is missing).

    When this thread already runs an event loop (a test process whose Playwright browser
    is open, a notebook), the phase runs on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run_here(coro)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_run_here, coro).result()


def _run_here(coro: Coroutine[Any, Any, Phase]) -> Phase:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency
        return asyncio.run(coro)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coro)
