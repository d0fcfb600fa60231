"""A test helper writing a DuckDB store in the Parquet export layout (manifest + files).

The real exporter (`socialscope export --format parquet`) partitions by shop and month
and exports incrementally; this helper writes one file per shop and table (valid in the
layout: a partition with month null) with `COPY ... TO ... (FORMAT parquet)`, so the
engines' tests do not depend on the exporter. It may be swapped for the exporter.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from socialscope.engines.manifest import FORMAT, FORMAT_VERSION

_INTERNAL = {"_meta", "shop_hours", "shop_holidays", "keyword_rules"}


def export_store(con: Any, out: Path) -> Path:
    """Write every canonical, derived and internal table of `con` (a DuckDB connection)
    under `out` in the export layout; returns `out`."""
    out.mkdir(parents=True, exist_ok=True)
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
    ]
    tables: dict[str, Any] = {}
    for name in names:
        if name.startswith("_") and name not in _INTERNAL:
            continue  # import log, quarantine, derive scopes, webhook log: not read by queries
        columns = [
            {"name": r[0], "type": r[1]} for r in con.execute(f'DESCRIBE "{name}"').fetchall()
        ]
        kind = (
            "derived" if name.startswith("d_") else "internal" if name in _INTERNAL else "canonical"
        )
        has_shop = any(c["name"] == "shop_id" for c in columns)
        shops = (
            [
                r[0]
                for r in con.execute(f'SELECT DISTINCT shop_id FROM "{name}" ORDER BY 1').fetchall()
            ]
            if has_shop
            else [None]
        )
        partitions = []
        for shop in shops:
            folder = Path(name)
            if shop is not None:
                folder = folder / f"shop_id={urllib.parse.quote(str(shop), safe='')}"
            rel = folder / f"part-{secrets.token_hex(4)}.parquet"
            (out / folder).mkdir(parents=True, exist_ok=True)
            where = "" if shop is None else " WHERE shop_id = $shop"
            args = {} if shop is None else {"shop": shop}
            rows = con.execute(f'SELECT count(*) FROM "{name}"{where}', args).fetchone()[0]
            target = str(out / rel).replace("'", "''")
            con.execute(
                f"COPY (SELECT * FROM \"{name}\"{where}) TO '{target}' (FORMAT parquet)", args
            )
            digest = hashlib.sha256((out / rel).read_bytes()).hexdigest()
            partitions.append(
                {
                    "shop_id": shop,
                    "month": None,
                    "path": rel.as_posix(),
                    "rows": rows,
                    "sha256": digest,
                }
            )
        tables[name] = {
            "kind": kind,
            "columns": columns,
            "rows": sum(p["rows"] for p in partitions),
            "partitions": partitions,
        }
    version = con.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchone()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": int(version[0]) if version else 0,
        "exported_at": datetime.now(UTC).isoformat(),
        "source": "tests/parquet_layout.py",
        "tables": tables,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return out
