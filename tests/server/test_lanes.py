"""Several writers, one reader: every complete frame of every lane is read exactly once.

The writers here stand for intake processes: they write frames to their lane's segment
files byte by byte as a process would (a frame may be half written when the reader
looks, a writer may crash leaving a torn frame and come back with a new segment, a
segment may fill up and rotate), while the reader drains with positions per lane, as the
owner's drainer does. Hypothesis chooses the interleaving.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscope.server.inbox import SUFFIX, Inbox, Position, Request, segments
from socialscope.server.lanes import (
    OWNER_LANE,
    Lanes,
    lane_dir,
    lane_name,
    lane_of_key,
    position_key,
)


class Writer:
    """A lane written frame by frame, with half-written frames and crashes."""

    def __init__(self, directory: Path, segment_bytes: int = 300) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.segment_bytes = segment_bytes
        self.n = 0
        self.written: list[str] = []  # request ids whose frame is complete on disk
        self._partial: tuple[str, bytes] | None = None
        self._open_next()

    def _open_next(self) -> None:
        existing = segments(self.directory)
        self.segment = (existing[-1] + 1) if existing else 1
        self.path = self.directory / f"{self.segment:012d}{SUFFIX}"
        self.path.touch()
        self.size = 0

    def _append(self, data: bytes) -> None:
        with self.path.open("ab") as fh:
            fh.write(data)
        self.size += len(data)

    def begin(self, name: str, cut: int) -> None:
        """Write the first part of a frame (a write in progress)."""
        self.finish()
        frame = Request(name, "line", 0.0, name.encode() * 3).encode()
        if self.size and self.size + len(frame) > self.segment_bytes:
            self._open_next()  # rotate: the old segment is complete
        cut = cut % len(frame)
        self._append(frame[:cut])
        self._partial = (name, frame[cut:])

    def finish(self) -> None:
        if self._partial is not None:
            name, rest = self._partial
            self._append(rest)
            self.written.append(name)
            self._partial = None

    def crash_and_restart(self) -> None:
        """The process dies: a half-written frame stays torn; the next run opens a new
        segment (never acknowledged, so it must never be read)."""
        self._partial = None
        self._open_next()


op = st.one_of(
    st.tuples(st.just("write"), st.integers(0, 2), st.integers(0, 10_000)),
    st.tuples(st.just("finish"), st.integers(0, 2)),
    st.tuples(st.just("crash"), st.integers(0, 2)),
    st.tuples(st.just("drain"), st.integers(1, 6)),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(op, max_size=60))
def test_every_complete_frame_drained_exactly_once(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[Any, ...]]
) -> None:
    root = tmp_path_factory.mktemp("inbox")
    writers = [Writer(lane_dir(root, lane_name(k))) for k in (1, 2, 3)]
    lanes = Lanes(root)
    positions: dict[str, Position] = {}
    drained: list[tuple[str, str]] = []
    counter = 0

    def drain(limit: int) -> None:
        got = lanes.read(positions, limit)
        for lane, entry in got:
            drained.append((lane, entry.request.request_id))
            positions[lane] = entry.end
        lanes.prune(positions)

    for step in ops:
        kind, k = step[0], step[1]
        if kind == "write":
            counter += 1
            writers[k].begin(f"{k}-{counter}", step[2])
        elif kind == "finish":
            writers[k].finish()
        elif kind == "crash":
            writers[k].crash_and_restart()
        else:
            drain(k)
    for w in writers:
        w.finish()
    while lanes.pending(positions):
        before = len(drained)
        drain(1000)
        if len(drained) == before:
            break
    for k, w in enumerate(writers):
        lane = lane_name(k + 1)
        assert [rid for ln, rid in drained if ln == lane] == w.written
    assert len(drained) == len(set(drained))
    assert not lanes.read(positions, 10)


def test_owner_lane_reads_its_durable_part_and_other_lanes_beside_it(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    try:
        inbox.append(Request("own", "line", 0.0, b"{}"))
        other = Inbox(lane_dir(tmp_path, lane_name(1)))
        other.append(Request("w1", "meta", 0.0, b"{}"))
        other.close()
        lanes = Lanes(tmp_path, local=inbox)
        assert lanes.names() == [OWNER_LANE, "w1"]
        assert lanes.pending({})
        got = [(lane, e.request.request_id) for lane, e in lanes.read({}, 10)]
        assert got == [(OWNER_LANE, "own"), ("w1", "w1")]
        assert lanes.depth({}) == 2
        ends = {lane: e.end for lane, e in lanes.read({}, 10)}
        assert not lanes.pending(ends)
        assert lanes.depth(ends) == 0
    finally:
        inbox.close()


def test_a_torn_tail_of_a_writer_that_never_came_back_is_not_pending_forever(
    tmp_path: Path,
) -> None:
    writer = Writer(lane_dir(tmp_path, lane_name(1)))
    writer.begin("a", 10_000)
    writer.begin("b", 7)  # "a" completes; "b" stays half-written
    writer.crash_and_restart()  # ... and no process writes this lane again
    (writer.path).unlink()  # the restart's empty segment, as if it never came
    lanes = Lanes(tmp_path)
    got = lanes.read({}, 10)
    assert [e.request.request_id for _, e in got] == ["a"]
    positions = {lane: e.end for lane, e in got}
    assert lanes.pending(positions)  # the torn bytes: not looked at yet
    assert lanes.read(positions, 10) == []
    assert not lanes.pending(positions)  # looked at: nothing whole there
    writer.path.touch()
    writer.begin("c", 10_000)
    writer.finish()  # the lane grows again: pending, and read past the torn tail
    assert lanes.pending(positions)
    assert [e.request.request_id for _, e in lanes.read(positions, 10)] == ["c"]


def test_position_keys_round_trip() -> None:
    assert position_key(OWNER_LANE) == "inbox_position"  # the single-process key, unchanged
    for lane in (OWNER_LANE, "w1", "w12"):
        assert lane_of_key(position_key(lane)) == lane
    assert lane_of_key("schema_version") is None
