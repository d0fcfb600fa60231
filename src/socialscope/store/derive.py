"""Derived tables (conversations, rounds, order attribution), rebuilt after each load."""

from __future__ import annotations

from collections.abc import Iterable

from socialscope.store.duckdb import Store


def refresh(store: Store, shops: Iterable[str] | None = None) -> None:
    """Rebuild derived tables for the given shops (all shops when None)."""
    del store, shops  # implemented in the metric-layer commit
