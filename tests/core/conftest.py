"""Helpers for core tests: a store with rows put straight into canonical tables.

Rows are inserted directly (not through the importer) so derive and metric tests stand on
their own; shops here are in UTC, so each `<ts>_local` twin equals the UTC value unless a
test gives it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from socialscope.client import Client, connect
from socialscope.contract.tables import TABLES
from socialscope.store.derive import refresh


def put(client: Client, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    spec = TABLES[table]
    for row in rows:
        values = dict(row)
        for col in spec.timestamp_columns:
            if col in values and f"{col}_local" not in values:
                values[f"{col}_local"] = values[col]
        cols = list(values)
        placeholders = ", ".join("?" for _ in cols)
        names = ", ".join(f'"{c}"' for c in cols)
        client.store.con.execute(
            f'INSERT INTO "{table}" ({names}) VALUES ({placeholders})', list(values.values())
        )


def rebuild(client: Client) -> None:
    refresh(client.store)
    client.invalidate()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Client]:
    with connect(tmp_path / "core.duckdb") as c:
        put(c, "shops", [{"shop_id": "s", "timezone": "UTC", "currency": "TWD"}])
        yield c
