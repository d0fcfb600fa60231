"""Reading the Parquet export layout (`socialscope export --format parquet DIR`).

Engines other than the embedded DuckDB read a directory written by the exporter:

    DIR/manifest.json
    DIR/<table>/shop_id=<enc>/month=<YYYY-MM>/part-<8 hex>.parquet   (dated tables)
    DIR/<table>/shop_id=<enc>/part-<8 hex>.parquet                   (undated tables)

Every file holds all columns of its table (shop_id included). A reader opens only the
files the manifest lists: the exporter writes new files first and swaps the manifest last,
so a reader never sees a half-written partition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT = "socialscope-parquet"
FORMAT_VERSION = 1


class ManifestError(ValueError):
    """The data directory is not a readable socialscope Parquet export."""


@dataclass(frozen=True)
class TableFiles:
    """One exported table: its columns (name, DuckDB type) and the files that hold it."""

    name: str
    kind: str
    columns: tuple[tuple[str, str], ...]
    rows: int
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class Manifest:
    data: Path
    schema_version: int
    exported_at: str
    tables: dict[str, TableFiles]


def read_manifest(data: str | Path) -> Manifest:
    """The manifest of an export directory, checked (ManifestError names what is wrong)."""
    root = Path(data)
    path = root / "manifest.json"
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(
            f"{path}: no manifest; --data must be a directory written by "
            "`socialscope export --format parquet DIR`"
        ) from None
    except (OSError, ValueError) as exc:
        raise ManifestError(f"{path}: not readable JSON: {exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ManifestError(f"{path}: format is not {FORMAT!r}")
    if raw.get("format_version") != FORMAT_VERSION:
        raise ManifestError(
            f"{path}: format_version {raw.get('format_version')!r} is not supported "
            f"(this socialscope reads {FORMAT_VERSION})"
        )
    tables: dict[str, TableFiles] = {}
    for name, info in (raw.get("tables") or {}).items():
        try:
            columns = tuple((str(c["name"]), str(c["type"])) for c in info["columns"])
            paths = tuple(root / _relative(str(p["path"])) for p in info["partitions"])
            tables[name] = TableFiles(
                name, str(info.get("kind", "canonical")), columns, int(info["rows"]), paths
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ManifestError(f"{path}: table {name!r}: malformed entry ({exc})") from None
    return Manifest(
        root, int(raw.get("schema_version", 0)), str(raw.get("exported_at", "")), tables
    )


def _relative(path: str) -> PurePosixPath:
    """A partition path, refused when it would leave the data directory."""
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts:
        raise ValueError(f"partition path {path!r} leaves the data directory")
    return p
