"""The durable inbox: what was acknowledged reads back whole, in order; torn tails never do."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscope.server.inbox import START, Inbox, Position, Request, segments

bodies = st.binary(min_size=0, max_size=300)
requests = st.lists(
    st.builds(
        Request,
        request_id=st.text("abcdef0123456789", min_size=1, max_size=12),
        platform=st.sampled_from(["line", "meta", "shopify"]),
        received_at=st.floats(0, 2e9, allow_nan=False),
        body=bodies,
        headers=st.dictionaries(st.sampled_from(["x-a", "x-b"]), st.text(max_size=10)),
        shops=st.lists(st.text("abc", min_size=1, max_size=3), max_size=2).map(tuple),
    ),
    max_size=20,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reqs=requests)
def test_appended_requests_read_back_in_order(
    tmp_path_factory: pytest.TempPathFactory, reqs: list[Request]
) -> None:
    inbox = Inbox(tmp_path_factory.mktemp("inbox"), segment_bytes=512)
    try:
        for r in reqs:
            inbox.append(r)
        got = [e.request for e in inbox.read(START)]
        assert got == reqs
        # positions chain: each entry starts where the previous ended (or a new segment)
        entries = list(inbox.read(START))
        for a, b in itertools.pairwise(entries):
            assert b.start == a.end or (b.start.segment > a.end.segment and b.start.offset == 0)
        if entries:
            assert [e.request for e in inbox.read(entries[0].end)] == reqs[1:]
    finally:
        inbox.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reqs=requests.filter(bool), cut=st.integers(min_value=1, max_value=10_000))
def test_a_torn_tail_is_ignored_and_a_restart_goes_on(
    tmp_path_factory: pytest.TempPathFactory, reqs: list[Request], cut: int
) -> None:
    """A crash mid-write leaves a partial frame: reading stops before it, and the next
    run writes to a new segment that is read after the torn one."""
    directory = tmp_path_factory.mktemp("inbox")
    inbox = Inbox(directory)
    for r in reqs:
        inbox.append(r)
    inbox.close()
    seg = directory / f"{segments(directory)[-1]:012d}.seg"
    data = seg.read_bytes()
    keep = max(0, len(data) - (cut % len(data)) - 1)
    seg.write_bytes(data[:keep])
    again = Inbox(directory)
    try:
        survivors = [e.request for e in again.read(START)]
        assert survivors == reqs[: len(survivors)]
        assert len(survivors) < len(reqs)
        late = Request("late", "line", 1.0, b"{}")
        again.append(late)
        assert [e.request for e in again.read(START)] == [*survivors, late]
    finally:
        again.close()


def test_group_commit_under_concurrency(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path)
    try:
        futures = []
        lock = threading.Lock()

        def send(n: int) -> None:
            for i in range(50):
                f = inbox.submit(Request(f"{n}-{i}", "line", float(i), b"x" * i))
                with lock:
                    futures.append(f)

        threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for f in futures:
            f.result(5)
        ids = [e.request.request_id for e in inbox.read(START)]
        assert sorted(ids) == sorted(f"{n}-{i}" for n in range(4) for i in range(50))
        assert inbox.durable > START
    finally:
        inbox.close()


def test_prune_drops_drained_segments_only(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path, segment_bytes=200)
    try:
        for i in range(10):
            inbox.append(Request(str(i), "meta", 0.0, b"y" * 100))
        entries = list(inbox.read(START))
        assert len(segments(tmp_path)) > 3
        middle = entries[5].end
        inbox.prune(middle)
        left = [e.request.request_id for e in inbox.read(START)]
        assert left[-5:] == [str(i) for i in range(5, 10)]
        assert [e.request.request_id for e in inbox.read(middle)] == [str(i) for i in range(6, 10)]
    finally:
        inbox.close()


def test_position_text_round_trip() -> None:
    p = Position(12, 3456)
    assert Position.parse(str(p)) == p
    assert Position(1, 9) < Position(2, 0)
