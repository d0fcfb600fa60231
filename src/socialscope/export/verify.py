"""`verify(DIR)`: every file the manifest lists exists, has its checksum, row count and
columns (what a reader of the layout relies on)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from socialscope.export.files import sha256_of
from socialscope.export.manifest import read_manifest


@dataclass
class VerifyReport:
    directory: Path
    files: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory),
            "ok": self.ok,
            "files": self.files,
            "rows": self.rows,
            "problems": self.problems,
        }


def verify(directory: str | os.PathLike[str]) -> VerifyReport:
    """Check an export against its manifest (ManifestError when there is none)."""
    root = Path(directory)
    manifest = read_manifest(root)
    report = VerifyReport(root)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        for name, table in manifest.tables.items():
            expected = [(c.name, c.type) for c in table.columns]
            for part in table.partitions:
                report.files += 1
                path = root / part.path
                where = f"{name}: {part.path}"
                if root.resolve() not in path.resolve().parents:
                    report.problems.append(f"{where}: path leaves the export directory")
                    continue
                if not path.is_file():
                    report.problems.append(f"{where}: missing")
                    continue
                if sha256_of(path) != part.sha256:
                    report.problems.append(f"{where}: sha256 differs from the manifest")
                    continue
                src = "read_parquet(?, hive_partitioning = false)"
                cols = con.execute(f"DESCRIBE SELECT * FROM {src}", [str(path)]).fetchall()
                if [(str(c[0]), str(c[1])) for c in cols] != expected:
                    report.problems.append(f"{where}: columns differ from the manifest")
                row = con.execute(
                    f"SELECT count(*), count(*) FILTER (WHERE shop_id IS DISTINCT FROM ?) "
                    f"FROM {src}",
                    [part.shop_id, str(path)],
                ).fetchone()
                count, foreign = (int(row[0]), int(row[1])) if row else (0, 0)
                report.rows += count
                if count != part.rows:
                    report.problems.append(f"{where}: {count} rows, the manifest says {part.rows}")
                if foreign:
                    report.problems.append(f"{where}: {foreign} rows of another shop")
    finally:
        con.close()
    return report
