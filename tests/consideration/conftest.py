"""Oracle tests of the consideration and purchase metrics (METRICS.md sections 6 and 7).

Every expected number in test_*.py was worked out by hand from /work/shared/METRICS.md and
the choices written in the metrics' notes (docs/metrics.md), with the reasoning next to it;
none was produced by running socialscope. When a test fails, re-derive the value by hand
before touching the expectation.

The seed is seeds/traffic (`<table>.csv` files): tp_shop (Asia/Taipei, UTC+8, TWD and
USD orders) and waw_shop (Europe/Warsaw, around the 2026-03-29 spring-forward day),
ingested once per test module into a fresh DuckDB file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

SEEDS = Path(__file__).parent / "seeds"


class Seed:
    def __init__(self, client: Any, db: Path) -> None:
        self.client = client
        self.db = db

    def rows(self, metrics: Sequence[str], by: Sequence[str] = (), **kw: Any) -> list[Any]:
        return list(self.client.query(list(metrics), by=list(by), **kw).rows)

    def index(self, metrics: Sequence[str], by: Sequence[str], **kw: Any) -> dict[Any, Any]:
        """Rows keyed by their dimension values (a scalar key for one dimension)."""
        out: dict[Any, Any] = {}
        for row in self.rows(metrics, by, **kw):
            key = tuple(row[d] for d in by)
            k = key[0] if len(by) == 1 else key
            assert k not in out, f"two rows for {k!r}"
            out[k] = row
        return out

    def total(self, metrics: Sequence[str], **kw: Any) -> dict[str, Any]:
        rows = self.rows(metrics, (), **kw)
        assert len(rows) == 1, rows
        return dict(rows[0])


@pytest.fixture(scope="module")
def traffic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/traffic: tp_shop and waw_shop sessions, touchpoints, orders, refunds."""
    import socialscope

    db = tmp_path_factory.mktemp("seed_traffic") / "t.duckdb"
    with socialscope.connect(db) as client:
        report = client.ingest([SEEDS / "traffic"])
        assert report.quarantined_total == 0, report
        yield Seed(client, db)
