"""The embedded store: one DuckDB file, migrated on open, shared by Ibis and raw DuckDB."""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import ibis

from socialscope.store.migrations import migrate

DEFAULT_DB = "socialscope.duckdb"
DB_ENV = "SOCIALSCOPE_DB"


def resolve_db_path(path: str | os.PathLike[str] | None) -> Path:
    """--db PATH, else $SOCIALSCOPE_DB, else ./socialscope.duckdb."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


class Store:
    """An open store. The session time zone is UTC: every stored timestamp is UTC."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False):
        self.path = resolve_db_path(path)
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        self.con.execute("SET TimeZone = 'UTC'")
        self._ibis: Any = None
        if not read_only:
            migrate(self.con)
            self._ensure_derived()

    @classmethod
    def _wrap(cls, path: Path, con: duckdb.DuckDBPyConnection) -> Store:
        store = cls.__new__(cls)
        store.path = path
        store.con = con
        store._ibis = None
        return store

    def cursor(self) -> Store:
        """Another connection to the same open database, for another thread.

        DuckDB lets one process hold a database file once; every thread of a server then
        works through its own cursor (MVCC: readers never wait for the writer).
        """
        con = self.con.cursor()
        con.execute("SET TimeZone = 'UTC'")
        return Store._wrap(self.path, con)

    @property
    def ibis(self) -> Any:
        """An Ibis backend over the same connection (lazy: costs ~50 ms to set up)."""
        if self._ibis is None:
            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _ensure_derived(self) -> None:
        """Derived tables exist from the start and match this code's derived columns."""
        from socialscope.store.derive import DERIVED_VERSION, DERIVED_VERSION_KEY, refresh

        row = self.con.execute(
            "SELECT value FROM _meta WHERE key = ?", [DERIVED_VERSION_KEY]
        ).fetchone()
        if row and row[0] == str(DERIVED_VERSION) and self.table_exists("d_orders"):
            return
        refresh(self)
        self.con.execute(
            "INSERT OR REPLACE INTO _meta VALUES (?, ?)",
            [DERIVED_VERSION_KEY, str(DERIVED_VERSION)],
        )

    def table_exists(self, name: str) -> bool:
        row = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()
        return bool(row and row[0])
