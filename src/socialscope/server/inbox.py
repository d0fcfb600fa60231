"""The durable inbox: an append-only, fsynced log of verified webhook requests.

A webhook is acknowledged only once its raw bytes are on disk; the drainer then moves
them into DuckDB in batches. Appends are grouped: one writer thread writes every request
that arrived since its last fsync and fsyncs once (group commit), so a burst of requests
shares the cost of a sync.

Layout: a directory of segment files ``<n>.seg`` (n = 12 digits, one new segment per
server start and every ``SEGMENT_BYTES``). A record is a frame::

    MAGIC (4 bytes) | length (4, little endian) | crc32 of payload (4) | payload

and a payload is one JSON header line (request id, platform, receive time, the headers
the adapters need, the shops whose secret verified it) followed by the raw body. A frame
torn by a crash fails its length or checksum: it was never acknowledged, and reading
stops there (and goes on with the next segment, which a restart always opens).

Positions are ``(segment, offset)`` pairs; the store keeps the drained position (see
:mod:`socialscope.server.drain`), and segments wholly before it are deleted.
"""

from __future__ import annotations

import json
import os
import struct
import threading
import zlib
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAGIC = b"SSI1"
HEADER = struct.Struct("<4sII")
SEGMENT_BYTES = 64 * 1024 * 1024
SUFFIX = ".seg"


@dataclass(frozen=True, order=True)
class Position:
    """A place in the inbox: a segment number and a byte offset in it."""

    segment: int
    offset: int

    def __str__(self) -> str:
        return f"{self.segment}:{self.offset}"

    @classmethod
    def parse(cls, text: str) -> Position:
        seg, _, off = text.partition(":")
        return cls(int(seg), int(off))


START = Position(0, 0)


@dataclass(frozen=True)
class Request:
    """One accepted webhook request, as the inbox keeps it."""

    request_id: str
    platform: str
    received_at: float
    """Unix seconds."""
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    shops: tuple[str, ...] = ()

    def encode(self) -> bytes:
        head = json.dumps(
            {
                "id": self.request_id,
                "platform": self.platform,
                "received_at": self.received_at,
                "headers": self.headers,
                "shops": list(self.shops),
            },
            separators=(",", ":"),
        ).encode()
        payload = head + b"\n" + self.body
        return HEADER.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload

    @classmethod
    def decode(cls, payload: bytes) -> Request:
        head, _, body = payload.partition(b"\n")
        meta: dict[str, Any] = json.loads(head)
        return cls(
            request_id=str(meta["id"]),
            platform=str(meta["platform"]),
            received_at=float(meta["received_at"]),
            body=body,
            headers={str(k): str(v) for k, v in meta.get("headers", {}).items()},
            shops=tuple(str(s) for s in meta.get("shops", ())),
        )


@dataclass(frozen=True)
class Entry:
    request: Request
    start: Position
    end: Position


def _segment_path(directory: Path, number: int) -> Path:
    return directory / f"{number:012d}{SUFFIX}"


def segments(directory: Path) -> list[int]:
    """The segment numbers present, in order."""
    out = []
    for path in directory.glob(f"*{SUFFIX}"):
        try:
            out.append(int(path.stem))
        except ValueError:
            continue
    return sorted(out)


class Inbox:
    """Appends (group-committed) and reads of the inbox directory. Thread-safe."""

    def __init__(self, directory: Path, *, segment_bytes: int = SEGMENT_BYTES):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.segment_bytes = segment_bytes
        existing = segments(directory)
        self._segment = (existing[-1] + 1) if existing else 1
        self._file = self._open(self._segment)
        self._offset = 0
        self._pending: list[tuple[bytes, Future[Position]]] = []
        self._cond = threading.Condition()
        self._durable = Position(self._segment, 0)
        self._durable_cond = threading.Condition()
        self._closed = False
        self._error: BaseException | None = None
        self._writer = threading.Thread(target=self._write_loop, name="inbox-writer", daemon=True)
        self._writer.start()
        self.appended = 0

    def _open(self, number: int) -> Any:
        path = _segment_path(self.directory, number)
        fh = path.open("ab", buffering=0)
        dir_fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)  # the new file's name is durable too
        finally:
            os.close(dir_fd)
        return fh

    # -- writing -----------------------------------------------------------------------
    def submit(self, request: Request) -> Future[Position]:
        """Queue a request; the future resolves (to its end position) once it is fsynced."""
        frame = request.encode()
        fut: Future[Position] = Future()
        with self._cond:
            if self._closed:
                raise RuntimeError("the inbox is closed")
            if self._error is not None:
                raise RuntimeError("the inbox cannot write") from self._error
            self._pending.append((frame, fut))
            self._cond.notify()
        return fut

    def append(self, request: Request, timeout: float | None = 10.0) -> Position:
        """Submit and wait until durable."""
        return self.submit(request).result(timeout)

    def _write_loop(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                batch, self._pending = self._pending, []
                closing = self._closed
            if batch:
                self._write_batch(batch)
            if closing and not batch:
                return

    def _write_batch(self, batch: list[tuple[bytes, Future[Position]]]) -> None:
        ends: list[Position] = []
        try:
            for frame, _ in batch:
                if self._offset and self._offset + len(frame) > self.segment_bytes:
                    os.fsync(self._file.fileno())
                    self._file.close()
                    self._segment += 1
                    self._file = self._open(self._segment)
                    self._offset = 0
                self._file.write(frame)
                self._offset += len(frame)
                ends.append(Position(self._segment, self._offset))
            os.fsync(self._file.fileno())
        except BaseException as exc:  # disk full, I/O error: nothing of the batch is acked
            with self._cond:
                self._error = exc
            for _, fut in batch:
                fut.set_exception(exc)
            return
        with self._durable_cond:
            self._durable = ends[-1]
            self.appended += len(batch)
            self._durable_cond.notify_all()
        for (_, fut), end in zip(batch, ends, strict=True):
            fut.set_result(end)

    @property
    def durable(self) -> Position:
        with self._durable_cond:
            return self._durable

    def wait_durable_beyond(self, position: Position, timeout: float) -> bool:
        """Block until something durable lies beyond `position` (True) or timeout."""
        with self._durable_cond:
            if self._durable > position:
                return True
            self._durable_cond.wait(timeout)
            return self._durable > position

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._writer.join()
        self._file.close()

    # -- reading -----------------------------------------------------------------------
    def read(self, after: Position, limit: int = 10_000) -> Iterator[Entry]:
        """Durable requests after `after`, in order, at most `limit`."""
        return read_directory(self.directory, after, limit, bound=self.durable)

    def prune(self, drained: Position) -> None:
        """Delete segments wholly before the drained position (never the open one)."""
        prune_directory(self.directory, drained, keep=self._segment)


def read_directory(
    directory: Path, after: Position, limit: int = 10_000, *, bound: Position | None = None
) -> Iterator[Entry]:
    """The requests of one writer's directory after `after`, in order, at most `limit`.

    With `bound` (the writer is this process: its durable position) nothing beyond it is
    read. Without it (another process writes), the segments are listed *before* any is
    read: a writer opens segment n+1 only after its last write to n, so every listed
    segment but the newest is complete, a frame that fails its checksum there is a crash's
    torn tail (never acknowledged) and reading goes on with the next one, while in the
    newest segment it may be a write in progress and reading stops (to retry later).
    """
    count = 0
    for number in segments(directory):
        if number < after.segment or (bound is not None and number > bound.segment):
            continue
        start = after.offset if number == after.segment else 0
        end = bound.offset if bound is not None and number == bound.segment else None
        for entry in _read_segment(directory, number, start, end):
            yield entry
            count += 1
            if count >= limit:
                return


def prune_directory(directory: Path, drained: Position, keep: int | None = None) -> None:
    """Delete a writer's segments wholly before the drained position (a writer never
    returns to an older segment); `keep` is the segment this process has open."""
    for number in segments(directory):
        if number < drained.segment and number != keep:
            _segment_path(directory, number).unlink(missing_ok=True)


def pending_bytes(directory: Path, after: Position) -> int:
    """Bytes written after `after` (0: nothing new), from the files' sizes."""
    total = 0
    for number in segments(directory):
        if number < after.segment:
            continue
        try:
            size = _segment_path(directory, number).stat().st_size
        except FileNotFoundError:
            continue
        total += max(0, size - (after.offset if number == after.segment else 0))
    return total


def count_frames(directory: Path, after: Position, cap: int = 100_000) -> int:
    """Whole frames after `after` (headers only: no payload is read), at most `cap`."""
    count = 0
    for number in segments(directory):
        if number < after.segment:
            continue
        try:
            fh = _segment_path(directory, number).open("rb")
        except FileNotFoundError:
            continue
        with fh:
            size = os.fstat(fh.fileno()).st_size
            offset = after.offset if number == after.segment else 0
            while offset + HEADER.size <= size and count < cap:
                fh.seek(offset)
                magic, length, _ = HEADER.unpack(fh.read(HEADER.size))
                if magic != MAGIC or offset + HEADER.size + length > size:
                    break
                offset += HEADER.size + length
                count += 1
    return count


def _read_segment(directory: Path, number: int, start: int, end: int | None) -> Iterator[Entry]:
    path = _segment_path(directory, number)
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return
    with fh:
        fh.seek(start)
        offset = start
        while end is None or offset < end:
            head = fh.read(HEADER.size)
            if len(head) < HEADER.size:
                return
            magic, length, crc = HEADER.unpack(head)
            if magic != MAGIC:
                return
            payload = fh.read(length)
            if len(payload) < length or zlib.crc32(payload) != crc:
                return  # torn by a crash: never acknowledged
            begin = offset
            offset += HEADER.size + length
            yield Entry(Request.decode(payload), Position(number, begin), Position(number, offset))
