"""What the metric layer needs from an engine: tables, and running an Ibis expression."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa

Builder = Callable[[], tuple[Any, Mapping[str, Any]]]
"""() -> (Ibis expression, {param name: ibis.param expression})."""


@dataclass(frozen=True)
class Layout:
    """How a result must come back: every bucket of the time dimension for every
    combination of the other dimensions (when there is a time dimension), sorted by the
    dimensions with nulls last."""

    dimensions: tuple[str, ...]
    time_dimension: str | None
    buckets: tuple[Any, ...]


class ReadOnlyEngineError(RuntimeError):
    """A command or call needs the writable DuckDB store but runs on another engine."""

    def __init__(self, engine: str) -> None:
        super().__init__(
            f"this needs the writable DuckDB store (--engine duckdb); the {engine} engine "
            "reads a Parquet export and is read-only (ingest, settings, keywords, calendars "
            "and demo run with --engine duckdb --db PATH)"
        )
        self.engine = engine


class Engine(Protocol):
    name: str

    @property
    def backend(self) -> Any:
        """The Ibis backend expressions are executed on."""
        ...

    def close(self) -> None:
        """Release what the engine holds."""
        ...

    def invalidate(self) -> None:
        """Forget cached tables and statements (after the data changed)."""
        ...

    def table(self, name: str) -> Any:
        """The Ibis table expression for a stored table."""
        ...

    def run(self, shape: tuple[Any, ...], build: Builder, values: Mapping[str, Any]) -> pa.Table:
        """Run the expression built by `build` with parameter values; `shape` keys a cache."""
        ...

    def run_laid_out(
        self, shape: tuple[Any, ...], build: Builder, values: Mapping[str, Any], layout: Layout
    ) -> pa.Table | None:
        """Like `run`, with bucket filling and sorting done by the engine; None when the
        engine cannot (the caller then lays the result out itself)."""
        ...
