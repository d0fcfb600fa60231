"""Oracle tests for the point-in-time reception metrics (queue_waiting, online_agents,
agent_saturation; METRICS.md sections 1 and 3).

Every expected value in tests/reception/test_reception_*.py was worked out by hand from
the seed (seeds/reception/*.csv) and the definitions in
src/socialscope/metrics/library/reception.py; none was produced by running socialscope.

The seed's one shop `tp` is in Asia/Taipei (UTC+8, no DST); every seed time is written
with +08:00, so "14:50" below means 14:50 Taipei time. Conversation ids are given, so the
idle gap only decides what is open/abandoned, never how conversations are split.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

SEED = Path(__file__).parent / "seeds" / "reception"


class ReceptionSeed:
    def __init__(self, client: Any) -> None:
        self.client = client

    def rows(self, metrics: Sequence[str], by: Sequence[str] = (), **kw: Any) -> list[Any]:
        return list(self.client.query(list(metrics), by=list(by), shop="tp", **kw).rows)

    def total(self, metrics: Sequence[str], as_of: str | None = None, **kw: Any) -> dict[str, Any]:
        if as_of is not None:
            kw["params"] = {"as_of": as_of}
        rows = self.rows(metrics, (), **kw)
        assert len(rows) == 1, rows
        return dict(rows[0])

    def index(self, metrics: Sequence[str], by: str, as_of: str) -> dict[Any, dict[str, Any]]:
        out: dict[Any, dict[str, Any]] = {}
        for row in self.rows(metrics, (by,), params={"as_of": as_of}):
            assert row[by] not in out
            out[row[by]] = dict(row)
        return out


def make_seed(path: Path, idle_h: float | None = None) -> Any:
    import socialscope

    client = socialscope.connect(path)
    if idle_h is not None:
        client.set_setting("conversation_idle_h", idle_h)
    report = client.ingest([SEED])
    assert report.tables["messages"].stored == 33
    assert report.tables["agent_status"].stored == 11
    return client


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReceptionSeed]:
    client = make_seed(tmp_path_factory.mktemp("reception") / "x.duckdb")
    with client:
        yield ReceptionSeed(client)
