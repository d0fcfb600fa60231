"""One helper for the oracle tests: a store holding one ingested seed, and lookups over it.

A seed is a directory of `<table>.csv` files with hand-derived expected values in the
tests beside it. Each test package's conftest opens its seeds with `open_seed` (once per
module) and asks through `SeedStore`, so the lookups mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest


class SeedStore:
    """An open client over one ingested seed, with its import report and file."""

    def __init__(self, client: Any, report: Any, db: Path) -> None:
        self.client = client
        self.report = report
        self.db = db

    def query(self, metrics: Sequence[str], by: Sequence[str] = (), **kw: Any) -> Any:
        return self.client.query(list(metrics), by=list(by), **kw)

    def rows(self, metrics: Sequence[str], by: Sequence[str] = (), **kw: Any) -> list[Any]:
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
        return dict(rows[0])

    @staticmethod
    def cell(idx: dict[Any, dict[str, Any]], key: Any, metric: str, empty: Any = 0) -> Any:
        return cell(idx, key, metric, empty)

    @staticmethod
    def local_naive(value: Any, tz: str) -> Any:
        return local_naive(value, tz)


def open_seed(
    tmp_path_factory: pytest.TempPathFactory, seed_dir: Path, *, clean: bool = False
) -> Iterator[SeedStore]:
    """Ingest `seed_dir` into a fresh store and yield it (a module fixture's body);
    `clean`: fail unless every row was accepted."""
    import socialscope

    db = tmp_path_factory.mktemp(f"seed_{seed_dir.name}") / "t.duckdb"
    with socialscope.connect(db) as client:
        report = client.ingest([seed_dir])
        if clean:
            assert report.quarantined_total == 0, report
        yield SeedStore(client, report, db)


def index_rows(rows: Iterable[dict[str, Any]], by: Sequence[str]) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[d] for d in by)
        k: Any = key[0] if len(by) == 1 else key
        assert k not in out, f"two rows for {k!r}"
        out[k] = dict(row)
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
