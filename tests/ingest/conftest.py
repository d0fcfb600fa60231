"""Shared fixtures for the import tests: a fresh store and tiny file writers."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from socialscope.ingest import loader
from socialscope.store.duckdb import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store.duckdb") as s:
        yield s


@pytest.fixture
def refreshed(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """Record derive.refresh calls instead of rebuilding derived tables (keeps tests fast)."""
    calls: list[set[str]] = []

    def fake(store: Store, shops: Iterable[str] | None = None) -> None:
        calls.append(set(shops or ()))

    monkeypatch.setattr(loader, "derive", SimpleNamespace(refresh=fake))
    return calls


@pytest.fixture(autouse=True)
def _fast_refresh(refreshed: list[set[str]]) -> None:
    del refreshed


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], bom: bool = False
) -> Path:
    """A CSV file (UTF-8, optionally with a BOM); None is written as an empty field."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
    return path


def write_ndjson(path: Path, records: Sequence[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def rows(store: Store, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return store.con.execute(sql, list(params)).fetchall()


SHOPS_HEADER = ("shop_id", "name", "timezone")
SHOPS = (
    ("tw", "Taipei shop", "Asia/Taipei"),
    ("pl", "Warsaw shop", "Europe/Warsaw"),
)
MSG_HEADER = ("shop_id", "event_id", "channel", "customer_id", "ts", "sender", "staff_id", "text")
