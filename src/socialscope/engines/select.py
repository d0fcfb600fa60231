"""Choosing an engine: embedded DuckDB (default), PySpark over a Parquet export, or any
other Ibis backend by connection URL.

The URL route (`ibis.connect("clickhouse://...")`, Trino, BigQuery, ...) expects the
socialscope tables (canonical, derived `d_*` and the internal ones queries read) to exist
under their DuckDB names in the backend's current database; it is tested with DuckDB and
PySpark only (see docs/engines.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from socialscope.engines.base import Builder, Engine, Layout

ENGINES = ("duckdb", "pyspark")


class EngineChoiceError(ValueError):
    """An engine option is missing or contradicts another (the message names it)."""


class IbisEngine:
    """Any Ibis backend by URL: tables by name, params bound at compile time."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.backend: Any = ibis.connect(url)
        self.name = str(getattr(self.backend, "name", "ibis"))
        self._tables: dict[str, Any] = {}

    def table(self, name: str) -> Any:
        if name not in self._tables:
            self._tables[name] = self.backend.table(name)
        return self._tables[name]

    def invalidate(self) -> None:
        self._tables.clear()

    def run(self, shape: tuple[Any, ...], build: Builder, values: Mapping[str, Any]) -> pa.Table:
        expr, params = build()
        bound = {params[k]: v for k, v in values.items() if k in params}
        return self.backend.to_pyarrow(expr, params=bound)

    def run_laid_out(
        self, shape: tuple[Any, ...], build: Builder, values: Mapping[str, Any], layout: Layout
    ) -> pa.Table | None:
        return None

    def close(self) -> None:
        disconnect = getattr(self.backend, "disconnect", None)
        if disconnect is not None:
            disconnect()


def open_engine(
    kind: str,
    *,
    data: str | os.PathLike[str] | None = None,
    url: str | None = None,
    master: str | None = None,
) -> Engine:
    """A read-only engine: `pyspark` over the export at `data`, or the backend at `url`
    (EngineChoiceError for a missing or contradicting option; EngineUnavailableError when the
    engine's optional dependencies are not installed)."""
    if url is not None:
        if data is not None:
            raise EngineChoiceError("--engine-url and --data exclude each other")
        return IbisEngine(url)
    if kind == "pyspark":
        if data is None:
            raise EngineChoiceError(
                "--engine pyspark needs --data DIR (a directory written by "
                "`socialscope export --format parquet DIR`)"
            )
        from socialscope.engines.pyspark import DEFAULT_MASTER, SparkEngine

        return SparkEngine(Path(data), master=master or DEFAULT_MASTER)
    if kind == "duckdb":
        raise EngineChoiceError("the duckdb engine opens a store: use --db PATH (connect(db))")
    raise EngineChoiceError(f"unknown engine {kind!r}; choose one of: {', '.join(ENGINES)}")
