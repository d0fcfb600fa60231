"""The Python API: `socialscope.connect(db)` and what it returns."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from socialscope.engines.duckdb import DuckDBEngine
from socialscope.metrics.execute import QueryResult, Runner
from socialscope.metrics.query import make_query
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import MetricSpec
from socialscope.store.duckdb import Store


class Client:
    """An open store plus the metric layer on top of it."""

    def __init__(self, db: str | os.PathLike[str] | None = None, *, read_only: bool = False):
        self.store = Store(db, read_only=read_only)
        self.engine = DuckDBEngine(self.store)
        self.runner = Runner(self.engine)

    # -- data in -----------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | os.PathLike[str]], table: str | None = None) -> Any:
        """Import files or directories (see `socialscope ingest`); returns an IngestReport."""
        from socialscope.ingest.loader import ingest_paths

        report = ingest_paths(self.store, [Path(p) for p in paths], table=table)
        self.invalidate()
        return report

    def ingest_arrow(self, tables: Mapping[str, Any], source: str = "api") -> Any:
        """Import in-memory Arrow tables by canonical table name."""
        from socialscope.ingest.loader import ingest_arrow

        report = ingest_arrow(self.store, dict(tables), source=source)
        self.invalidate()
        return report

    def invalidate(self) -> None:
        """Forget cached tables, statements and shops: call after changing the store."""
        self.engine.invalidate()
        self.runner.invalidate()

    # -- metrics -----------------------------------------------------------------------
    def query(
        self,
        metrics: str | Sequence[str],
        by: str | Sequence[str] | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        shop: str | None = None,
        where: Mapping[str, str | Sequence[str]] | None = None,
        compare: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> QueryResult:
        """Metric values by dimensions over a local date range (see docs/metrics.md)."""
        q = make_query(metrics, by, date_from, date_to, shop, where, compare, params)
        return self.runner.run(q)

    def settings(self) -> dict[str, float]:
        """Store settings that shape derived data, with their current values."""
        from socialscope.store.settings import current_settings

        return current_settings(self.store)

    def set_setting(self, name: str, value: float) -> None:
        """Change a store setting (e.g. conversation_idle_h); derived tables are rebuilt."""
        from socialscope.store.settings import set_setting

        set_setting(self.store, name, value)
        self.invalidate()

    def metrics(self) -> list[MetricSpec]:
        return list(REGISTRY)

    def shops(self) -> dict[str, dict[str, Any]]:
        return self.runner.shops()

    # -- lifecycle ---------------------------------------------------------------------
    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def connect(db: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Client:
    """Open (creating and migrating if needed) the store at `db`."""
    return Client(db, read_only=read_only)
