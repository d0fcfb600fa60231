"""Oracle tests for METRICS.md section 3 (service speed and quality).

Every expected value in tests/service/test_service_*.py was worked out by hand from
/work/shared/METRICS.md sections 1 and 3 (reasoning next to it); none was produced by
running socialscope. When such a test fails, re-derive the value by hand before touching
the expectation.

The seed (seeds/service/*.csv) is ingested once per test module into a fresh DuckDB file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SEED = Path(__file__).parent / "seeds" / "service"


class ServiceSeed:
    def __init__(self, client: Any, report: Any) -> None:
        self.client = client
        self.report = report

    def rows(self, metrics: Sequence[str], by: Sequence[str] = (), **kw: Any) -> list[Any]:
        return list(self.client.query(list(metrics), by=list(by), **kw).rows)

    def total(self, metrics: Sequence[str], **kw: Any) -> dict[str, Any]:
        rows = self.rows(metrics, (), **kw)
        assert len(rows) == 1, rows
        return dict(rows[0])

    def index(self, metrics: Sequence[str], by: Sequence[str], **kw: Any) -> dict[Any, Any]:
        """Rows keyed by their dimension values (a scalar key for one dimension)."""
        out: dict[Any, Any] = {}
        for row in self.rows(metrics, by, **kw):
            key = tuple(row[d] for d in by)
            k = key[0] if len(by) == 1 else key
            assert k not in out, f"two rows for {k!r}"
            out[k] = row
        return out


def local_naive(value: Any, tz: str) -> Any:
    """An hour bucket as a naive shop-local datetime, whatever form the engine returns."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return value


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceSeed]:
    import socialscope

    db = tmp_path_factory.mktemp("service") / "x.duckdb"
    with socialscope.connect(db) as client:
        report = client.ingest([SEED])
        yield ServiceSeed(client, report)
