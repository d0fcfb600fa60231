"""The inbox as several lanes: one per writing process, all drained by the store's owner.

Each process that acknowledges webhooks appends to a lane of its own, so writers never
share a file or a lock and each fsyncs (group commit) on its own: the owner's lane is the
inbox directory itself (``<db>.inbox/*.seg``, the single-process layout), intake process
``k`` writes ``<db>.inbox/w<k>/*.seg``. A restarted intake process goes on in the same
lane with a new segment. The drainer keeps one drained position per lane (in ``_meta``,
``inbox_position`` for the owner's lane, ``inbox_position:w<k>`` for the others) and
commits the positions of a batch together with its rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from socialscope.server.inbox import (
    START,
    Entry,
    Inbox,
    Position,
    count_frames,
    pending_bytes,
    prune_directory,
    read_directory,
)

OWNER_LANE = ""
"""The lane of the store's owner: the inbox directory itself."""
POSITION_KEY = "inbox_position"


def lane_name(slot: int) -> str:
    """The lane of intake process `slot`."""
    return f"w{slot}"


def lane_dir(root: Path, lane: str) -> Path:
    return root if lane == OWNER_LANE else root / lane


def position_key(lane: str) -> str:
    """The `_meta` key of a lane's drained position."""
    return POSITION_KEY if lane == OWNER_LANE else f"{POSITION_KEY}:{lane}"


def lane_of_key(key: str) -> str | None:
    """The lane a `_meta` key holds the position of (None: not a position key)."""
    if key == POSITION_KEY:
        return OWNER_LANE
    prefix = POSITION_KEY + ":"
    return key[len(prefix) :] if key.startswith(prefix) else None


class Lanes:
    """Reads every lane under an inbox directory; `local` is this process's own writer
    (its lane is read up to its durable position, the others up to their last whole frame).
    """

    def __init__(self, root: Path, local: Inbox | None = None) -> None:
        self.root = root
        self.local = local
        self._stuck: dict[str, int] = {}
        """Per lane, the bytes after its position when a read found no whole frame there
        (a write in progress, or the torn tail of a writer that crashed and has not come
        back): not pending again until the lane's size changes."""

    def names(self) -> list[str]:
        """The owner's lane and every intake lane present, in a stable order."""
        subs = sorted(p.name for p in self.root.iterdir() if p.is_dir() and p.name.startswith("w"))
        return [OWNER_LANE, *subs]

    def read(self, positions: Mapping[str, Position], limit: int) -> list[tuple[str, Entry]]:
        """Up to `limit` requests of each lane after its position, lane by lane."""
        out: list[tuple[str, Entry]] = []
        for lane in self.names():
            after = positions.get(lane, START)
            if lane == OWNER_LANE and self.local is not None:
                entries: Iterable[Entry] = self.local.read(after, limit)
            else:
                entries = list(read_directory(lane_dir(self.root, lane), after, limit))
                if entries:
                    self._stuck.pop(lane, None)
                else:
                    self._stuck[lane] = pending_bytes(lane_dir(self.root, lane), after)
            out.extend((lane, e) for e in entries)
        return out

    def pending(self, positions: Mapping[str, Position]) -> bool:
        """Whether any lane holds bytes beyond its position (cheap: file sizes only)."""
        for lane in self.names():
            after = positions.get(lane, START)
            if lane == OWNER_LANE and self.local is not None:
                durable = self.local.durable
                # (segment, 0): nothing written by this run yet (what earlier runs left is
                # drained at start); not a reason to read again and again
                if durable > after and durable.offset > 0:
                    return True
                continue
            waiting = pending_bytes(lane_dir(self.root, lane), after)
            if waiting and waiting != self._stuck.get(lane):
                return True
        return False

    def depth(self, positions: Mapping[str, Position], cap: int = 100_000) -> int:
        """Whole requests waiting in every lane (at most about `cap`)."""
        return sum(
            count_frames(lane_dir(self.root, lane), positions.get(lane, START), cap)
            for lane in self.names()
        )

    def prune(self, positions: Mapping[str, Position]) -> None:
        for lane, drained in positions.items():
            directory = lane_dir(self.root, lane)
            if lane == OWNER_LANE and self.local is not None:
                self.local.prune(drained)
            elif directory.is_dir():
                prune_directory(directory, drained)
