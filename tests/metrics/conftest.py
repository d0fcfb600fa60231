"""Oracle tests: hand-built seed data sets with hand-derived expected values.

Every expected number in tests/metrics/test_seed_*.py was worked out by hand from
/work/shared/METRICS.md and SCHEMA.md (the reasoning sits next to it as a comment);
none was produced by running socialscope. When such a test fails, re-derive the value
by hand before touching the expectation.

Each seed is a directory of `<table>.csv` files under tests/metrics/seeds/ and is
ingested once per test module into a fresh DuckDB file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SEEDS = Path(__file__).parent / "seeds"


class Seed:
    """A store holding one ingested seed, with small lookup helpers for the tests."""

    def __init__(self, client: Any, report: Any) -> None:
        self.client = client
        self.report = report

    def query(self, metrics: Sequence[str], by: Sequence[str] = (), **kw: Any) -> Any:
        return self.client.query(list(metrics), by=list(by), **kw)

    def rows(self, metrics: Sequence[str], by: Sequence[str], **kw: Any) -> list[dict[str, Any]]:
        return list(self.query(metrics, by, **kw).rows)

    def index(
        self, metrics: Sequence[str], by: Sequence[str], **kw: Any
    ) -> dict[Any, dict[str, Any]]:
        """Rows keyed by their dimension values (a scalar key for one dimension)."""
        return index_rows(self.rows(metrics, by, **kw), by)

    def total(self, metrics: Sequence[str], **kw: Any) -> dict[str, Any]:
        """The single row of a query without dimensions."""
        rows = self.rows(metrics, (), **kw)
        assert len(rows) == 1, rows
        return rows[0]

    @staticmethod
    def cell(idx: dict[Any, dict[str, Any]], key: Any, metric: str, empty: Any = 0) -> Any:
        return cell(idx, key, metric, empty)

    @staticmethod
    def local_naive(value: Any, tz: str) -> Any:
        return local_naive(value, tz)


def index_rows(rows: Iterable[dict[str, Any]], by: Sequence[str]) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[d] for d in by)
        k: Any = key[0] if len(by) == 1 else key
        assert k not in out, f"two rows for {k!r}"
        out[k] = row
    return out


def cell(idx: dict[Any, dict[str, Any]], key: Any, metric: str, empty: Any = 0) -> Any:
    """A metric of one row; `empty` when the row is absent (an empty slice)."""
    row = idx.get(key)
    return empty if row is None else row[metric]


def local_naive(value: Any, tz: str) -> Any:
    """An hour bucket as a naive shop-local datetime, whatever form the engine returns."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return value


def _open(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Seed]:
    import socialscope

    db = tmp_path_factory.mktemp(f"seed_{name}") / "t.duckdb"
    with socialscope.connect(db) as client:
        report = client.ingest([SEEDS / name])
        yield Seed(client, report)


@pytest.fixture(scope="module")
def interaction(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/interaction: taipei_shop + warsaw_shop messages, comments, identities."""
    yield from _open(tmp_path_factory, "interaction")


@pytest.fixture(scope="module")
def sales(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/sales: taipei_shop (TWD + USD) and warsaw_shop (PLN) orders and refunds."""
    yield from _open(tmp_path_factory, "sales")


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/staff: one shop, hand-overs between staff and order attribution."""
    yield from _open(tmp_path_factory, "staff")
