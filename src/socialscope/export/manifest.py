"""The export manifest (`DIR/manifest.json`): typed objects, reading and writing.

A reader of the layout (another engine, a test) follows the manifest only: the files it
lists are complete and checksummed; files it does not list are not part of the export.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "socialscope-parquet"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class ManifestError(ValueError):
    """DIR holds no readable manifest of this format."""


@dataclass(frozen=True)
class ColumnInfo:
    """A column as the Parquet files hold it; `store_type` when the store's type differs
    (a UTC timestamp is TIMESTAMP in the store and TIMESTAMP WITH TIME ZONE in Parquet,
    JSON is a string)."""

    name: str
    type: str
    store_type: str | None = None


@dataclass(frozen=True)
class Partition:
    shop_id: str
    month: str | None
    path: str
    rows: int
    sha256: str
    content_hash: str
    """What the partition's rows hashed to in the store; equal hash = file kept."""


@dataclass(frozen=True)
class TableEntry:
    kind: str
    columns: tuple[ColumnInfo, ...]
    partitions: tuple[Partition, ...]
    month_column: str | None = None

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.partitions)


@dataclass(frozen=True)
class Manifest:
    schema_version: int
    exported_at: str
    source: str
    tables: dict[str, TableEntry] = field(default_factory=dict)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    derived_version: int | None = None
    """store/derive.py DERIVED_VERSION the d_* tables were computed with (extra field)."""

    def files(self) -> set[str]:
        """Relative paths of every file the manifest references."""
        return {p.path for t in self.tables.values() for p in t.partitions}

    def table_files(
        self,
        directory: str | Path,
        table: str,
        shops: Sequence[str] | None = None,
        month_from: str | None = None,
        month_to: str | None = None,
    ) -> list[str]:
        """Paths of a table's files, pruned by shop and by an inclusive YYYY-MM range (an
        undated partition, or a dated one with a NULL month, always qualifies): what a
        reader passes to its Parquet scan. KeyError names an unknown table."""
        if table not in self.tables:
            raise KeyError(f"the export has no table {table!r}; tables: {', '.join(self.tables)}")
        wanted = set(shops) if shops is not None else None
        out = []
        for p in self.tables[table].partitions:
            if wanted is not None and p.shop_id not in wanted:
                continue
            if p.month is not None and (
                (month_from is not None and p.month < month_from)
                or (month_to is not None and p.month > month_to)
            ):
                continue
            out.append(str(Path(directory) / p.path))
        return out

    def to_json(self) -> dict[str, Any]:
        tables: dict[str, Any] = {}
        for name, t in self.tables.items():
            cols: list[dict[str, Any]] = []
            for c in t.columns:
                col: dict[str, Any] = {"name": c.name, "type": c.type}
                if c.store_type is not None:
                    col["store_type"] = c.store_type
                cols.append(col)
            tables[name] = {
                "kind": t.kind,
                "month_column": t.month_column,
                "columns": cols,
                "rows": t.rows,
                "partitions": [
                    {
                        "shop_id": p.shop_id,
                        "month": p.month,
                        "path": p.path,
                        "rows": p.rows,
                        "sha256": p.sha256,
                        "content_hash": p.content_hash,
                    }
                    for p in t.partitions
                ],
            }
        return {
            "format": self.format,
            "format_version": self.format_version,
            "schema_version": self.schema_version,
            "derived_version": self.derived_version,
            "exported_at": self.exported_at,
            "source": self.source,
            "tables": tables,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"


def _need(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise ManifestError(f"{where}: missing {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ManifestError(f"{where}.{key}: unexpected value {value!r}")
    return value


def parse(data: Any) -> Manifest:
    """A Manifest from decoded JSON, with an error naming the bad field."""
    fmt = _need(data, "format", str, "manifest")
    if fmt != FORMAT:
        raise ManifestError(f"manifest.format is {fmt!r}, expected {FORMAT!r}")
    version = _need(data, "format_version", int, "manifest")
    if version != FORMAT_VERSION:
        raise ManifestError(
            f"manifest.format_version is {version}; this socialscope reads {FORMAT_VERSION}"
        )
    tables: dict[str, TableEntry] = {}
    for name, t in _need(data, "tables", dict, "manifest").items():
        where = f"tables.{name}"
        cols = tuple(
            ColumnInfo(
                _need(c, "name", str, f"{where}.columns"),
                _need(c, "type", str, f"{where}.columns"),
                c.get("store_type") if isinstance(c, dict) else None,
            )
            for c in _need(t, "columns", list, where)
        )
        parts = []
        for i, p in enumerate(_need(t, "partitions", list, where)):
            pw = f"{where}.partitions[{i}]"
            month = p.get("month") if isinstance(p, dict) else None
            if month is not None and not isinstance(month, str):
                raise ManifestError(f"{pw}.month: unexpected value {month!r}")
            parts.append(
                Partition(
                    _need(p, "shop_id", str, pw),
                    month,
                    _need(p, "path", str, pw),
                    _need(p, "rows", int, pw),
                    _need(p, "sha256", str, pw),
                    str(p.get("content_hash", "")),
                )
            )
        entry = TableEntry(_need(t, "kind", str, where), cols, tuple(parts), t.get("month_column"))
        if _need(t, "rows", int, where) != entry.rows:
            raise ManifestError(f"{where}.rows is not the sum of its partitions' rows")
        tables[name] = entry
    derived = data.get("derived_version")
    if derived is not None and (not isinstance(derived, int) or isinstance(derived, bool)):
        raise ManifestError(f"manifest.derived_version: unexpected value {derived!r}")
    return Manifest(
        derived_version=derived,
        schema_version=_need(data, "schema_version", int, "manifest"),
        exported_at=_need(data, "exported_at", str, "manifest"),
        source=_need(data, "source", str, "manifest"),
        tables=tables,
    )


def read_manifest(directory: str | Path) -> Manifest:
    """The manifest of an export directory (ManifestError when absent or malformed)."""
    path = Path(directory) / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ManifestError(f"{path} does not exist: not a socialscope Parquet export") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path} is not valid JSON: {exc}") from None
    return parse(data)
