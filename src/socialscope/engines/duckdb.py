"""The embedded engine: Ibis on the store's DuckDB connection, with compiled-SQL caching.

Building and compiling an Ibis expression costs several milliseconds — more than the
query itself for one shop. Expressions take their shop and time bounds as Ibis params, so
one compiled statement serves every shop and period: it is compiled once per query shape
with sentinel values, the sentinels are replaced by DuckDB named parameters, and later
calls only bind values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pyarrow as pa

from socialscope.engines.base import Builder, Layout
from socialscope.store.duckdb import Store

_SENTINEL_TS = [
    datetime(1901, 2, 3, 4, 5, 6),
    datetime(1902, 3, 4, 5, 6, 7),
    datetime(1903, 4, 5, 6, 7, 8),
    datetime(1904, 5, 6, 7, 8, 9),
]
_SENTINEL_STR = "\x1fsocialscope-param-{}\x1f"


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, store: Store) -> None:
        self.store = store
        self._tables: dict[str, Any] = {}
        self._sql: dict[tuple[Any, ...], tuple[str, tuple[str, ...]] | None] = {}

    @property
    def backend(self) -> Any:
        return self.store.ibis

    def close(self) -> None:
        self.store.close()

    def table(self, name: str) -> Any:
        if name not in self._tables:
            self._tables[name] = self.store.ibis.table(name)
        return self._tables[name]

    def invalidate(self) -> None:
        """Forget cached tables and statements (after the schema of a table changed)."""
        self._tables.clear()
        self._sql.clear()

    def run(self, shape: tuple[Any, ...], build: Builder, values: Mapping[str, Any]) -> pa.Table:
        if shape not in self._sql:
            self._sql[shape] = self._compile(build)
        compiled = self._sql[shape]
        if compiled is None:  # could not parametrise: compile with the values every time
            expr, params = build()
            return self.store.ibis.to_pyarrow(
                expr, params={params[k]: v for k, v in values.items() if k in params}
            )
        sql, names = compiled
        bound = {n: values[n] for n in names}
        return self.store.con.execute(sql, bound).to_arrow_table()

    def statement(
        self, shape: tuple[Any, ...], build: Builder
    ) -> tuple[str, tuple[str, ...]] | None:
        """The compiled SQL of `build` for this shape (cached) and its parameter names,
        for callers that execute it themselves (e.g. into a temporary table); None when
        the expression could not be parametrised."""
        if shape not in self._sql:
            self._sql[shape] = self._compile(build)
        return self._sql[shape]

    def run_laid_out(
        self, shape: tuple[Any, ...], build: Builder, values: Mapping[str, Any], layout: Layout
    ) -> pa.Table | None:
        """Fill empty time buckets and sort inside DuckDB (parallel, no Python)."""
        if shape not in self._sql:
            self._sql[shape] = self._compile(build)
        compiled = self._sql[shape]
        if compiled is None:
            return None
        sql, names = compiled
        bound: dict[str, Any] = {n: values[n] for n in names}
        dims = [_q(d) for d in layout.dimensions]
        order = ", ".join(f"{d} ASC NULLS LAST" for d in dims)
        if layout.time_dimension is None:
            wrapped = f"SELECT * FROM ({sql}) AS __m" + (f" ORDER BY {order}" if dims else "")
        else:
            time = _q(layout.time_dimension)
            others = [d for d in dims if d != time]
            if others:
                grid = (
                    f"SELECT {', '.join(others)}, unnest($spine_buckets) AS {time} "
                    f"FROM (SELECT DISTINCT {', '.join(others)} FROM __m) AS __k"
                )
            else:
                grid = f"SELECT unnest($spine_buckets) AS {time}"
            on = " AND ".join(f"__g.{d} IS NOT DISTINCT FROM __m.{d}" for d in dims)
            keys = ", ".join(f"__g.{d}" for d in dims)
            wrapped = (
                f"WITH __m AS ({sql}), __g AS ({grid}) "
                f"SELECT {keys}, __m.* EXCLUDE ({', '.join(dims)}) "
                f"FROM __g LEFT JOIN __m ON {on} ORDER BY {order}"
            )
            bound["spine_buckets"] = list(layout.buckets)
        return self.store.con.execute(wrapped, bound).to_arrow_table()

    def _compile(self, build: Builder) -> tuple[str, tuple[str, ...]] | None:
        expr, params = build()
        sentinels: dict[Any, Any] = {}
        replacements: list[tuple[str, str]] = []
        ts_iter = iter(_SENTINEL_TS)
        for name, param in params.items():
            dtype = param.type()
            if dtype.is_timestamp():
                value: Any = next(ts_iter, None)
                if value is None:  # more timestamp params than sentinels: not cached
                    return None
                literal = (
                    f"MAKE_TIMESTAMP({value.year}, {value.month}, {value.day}, "
                    f"{value.hour}, {value.minute}, {float(value.second)})"
                )
            elif dtype.is_string():
                value = _SENTINEL_STR.format(name)
                literal = f"'{value}'"
            else:
                return None
            sentinels[param] = value
            replacements.append((literal, f"${name}"))
        sql = inline_shared_subqueries(str(self.store.ibis.compile(expr, params=sentinels)))
        names: list[str] = []
        for literal, placeholder in replacements:
            if literal not in sql:
                return None
            sql = sql.replace(literal, placeholder)
            names.append(placeholder[1:])
        return sql, tuple(names)


_CTE = re.compile(r'("t\d+") AS \(')


def inline_shared_subqueries(sql: str) -> str:
    """Mark Ibis's shared subqueries NOT MATERIALIZED.

    Ibis writes a subexpression used twice (e.g. a fact's prepared rows feeding two
    metrics) as one CTE; DuckDB materialises such a CTE in full before the outer filters
    apply, i.e. for every shop when one was asked — seconds instead of milliseconds.
    Inlined, the shop and period filters are pushed down into each use.
    """
    return _CTE.sub(r"\1 AS NOT MATERIALIZED (", sql)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
