"""The PySpark engine: the same Ibis metric layer, executed by Spark over a Parquet export.

Each table of the export's manifest becomes a temporary view under its DuckDB name, so
every fact, metric and runner expression (`engine.table(name)`) resolves unchanged. The
session runs in local mode by default (`local[2]`, UTC session time zone, few shuffle
partitions: the data of one shop and period is small); pass `master="spark://..."` or an
existing session for a cluster.

Ibis params (shop, period bounds) are bound by compiling with the values: Spark has no
prepared statements, and its planning costs far more than Ibis's compilation, so there is
nothing to cache per shape. Results come back as Arrow (`DataFrame.toArrow`), Decimal and
timestamp columns exact, and are cast to the expression's Ibis schema.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from socialscope.engines.base import Builder, Layout
from socialscope.engines.manifest import Manifest, read_manifest

INSTALL_HINT = (
    "the pyspark engine needs the optional Spark dependencies: "
    "pip install 'socialscope[spark]' (and a Java 17 runtime, e.g. Debian's "
    "openjdk-17-jre-headless)"
)
DEFAULT_MASTER = "local[2]"
_lock = threading.Lock()
_sessions: dict[str, Any] = {}


class EngineUnavailableError(RuntimeError):
    """The engine's optional dependencies are missing; the message says how to install."""


def require_pyspark() -> Any:
    """The pyspark module, or EngineUnavailable with the install hint."""
    try:
        import pyspark
        import pyspark.sql
    except ImportError:
        raise EngineUnavailableError(INSTALL_HINT) from None
    return pyspark


SMALL_DATA_CONF: dict[str, str] = {
    "spark.sql.shuffle.partitions": "1",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.adaptive.enabled": "false",
}
"""Settings for tiny data (tests): no code generation or shuffle fan-out to pay for."""


def spark_session(master: str = DEFAULT_MASTER, conf: Mapping[str, str] | None = None) -> Any:
    """One SparkSession per master per process (starting the JVM costs seconds); `conf`
    is applied to the first session of that master."""
    require_pyspark()
    from pyspark.sql import SparkSession

    with _lock:
        if master not in _sessions:
            builder = SparkSession.builder
            for key, value in (conf or {}).items():
                builder = builder.config(key, value)
            _sessions[master] = (
                builder.master(master)
                .appName("socialscope")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "4")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                .config("spark.sql.parquet.inferTimestampNTZ.enabled", "true")
                .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
                .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
                .getOrCreate()
            )
            _sessions[master].sparkContext.setLogLevel("ERROR")
        return _sessions[master]


def _spark_schema(columns: tuple[tuple[str, str], ...]) -> Any:
    """The Spark schema of an exported table (its DuckDB types, through Ibis's types)."""
    from ibis.backends.pyspark.datatypes import PySparkSchema
    from ibis.backends.sql.datatypes import DuckDBType

    schema = ibis.schema({name: DuckDBType.from_string(kind) for name, kind in columns})
    return PySparkSchema.from_ibis(schema)


class SparkEngine:
    """Ibis on PySpark over the tables a manifest lists (read-only)."""

    name = "pyspark"

    def __init__(
        self,
        data: str | Path,
        *,
        master: str = DEFAULT_MASTER,
        session: Any = None,
        conf: Mapping[str, str] | None = None,
    ) -> None:
        require_pyspark()
        self.manifest: Manifest = read_manifest(data)
        base = session if session is not None else spark_session(master)
        # a session of its own: temporary views of two data directories never collide
        self.session = base.newSession()
        self.session.conf.set("spark.sql.session.timeZone", "UTC")
        for key, value in (conf or {}).items():
            self.session.conf.set(key, value)
        for table in self.manifest.tables.values():
            schema = _spark_schema(table.columns)
            if table.paths:
                frame = self.session.read.schema(schema).parquet(*(str(p) for p in table.paths))
            else:
                frame = self.session.createDataFrame([], schema)
            frame.createOrReplaceTempView(table.name)
        self.backend: Any = ibis.pyspark.connect(self.session)
        # `expr.to_pyarrow()` on these tables comes here too: Arrow straight from Spark
        # (Ibis's own path goes through pandas, which loses nothing here but costs time)
        self.backend.to_pyarrow = self._to_pyarrow
        self._tables: dict[str, Any] = {}

    @property
    def data(self) -> Path:
        return self.manifest.data

    @property
    def source(self) -> str:
        return str(self.manifest.data)

    @property
    def schema_version(self) -> int:
        return self.manifest.schema_version

    @property
    def data_stamp(self) -> str:
        """Changes when the export is refreshed (result caches key on it)."""
        return self.manifest.exported_at

    def table(self, name: str) -> Any:
        if name not in self._tables:
            if name not in self.manifest.tables:
                raise KeyError(
                    f"table {name!r} is not in the export at {self.manifest.data} "
                    "(export again with this socialscope version)"
                )
            self._tables[name] = self.backend.table(name)
        return self._tables[name]

    def invalidate(self) -> None:
        self._tables.clear()

    def to_arrow(self, expr: Any, params: Mapping[Any, Any] | None = None) -> pa.Table:
        """Execute an Ibis expression (params bound as literals) into Arrow."""
        from ibis.formats.pyarrow import PyArrowData

        table_expr = expr.as_table()
        sql = self.backend.compile(table_expr, params=dict(params or {}))
        arrow = self.session.sql(sql).toArrow()
        return PyArrowData.convert_table(arrow, table_expr.schema())

    def _to_pyarrow(
        self, expr: Any, /, *, params: Mapping[Any, Any] | None = None, **_: Any
    ) -> pa.Table:
        return expr.__pyarrow_result__(self.to_arrow(expr, params))

    @contextmanager
    def materialized(self, expr: Any, params: Mapping[Any, Any] | None = None) -> Iterator[Any]:
        """The expression computed once (params bound) as a temporary view, for a runner
        that aggregates the same rows several ways (funnels); dropped afterwards."""
        name = f"__ss_tmp_{uuid.uuid4().hex}"
        sql = self.backend.compile(expr.as_table(), params=dict(params or {}))
        frame = self.session.sql(sql).localCheckpoint()  # eager: no recomputation per use
        frame.createOrReplaceTempView(name)
        try:
            yield self.backend.table(name)
        finally:
            self.session.catalog.dropTempView(name)
            frame.unpersist()

    def run(self, shape: tuple[Any, ...], build: Builder, values: Mapping[str, Any]) -> pa.Table:
        expr, params = build()
        return self.to_arrow(expr, {params[k]: v for k, v in values.items() if k in params})

    def run_laid_out(
        self, shape: tuple[Any, ...], build: Builder, values: Mapping[str, Any], layout: Layout
    ) -> pa.Table | None:
        """None: the metric runner fills buckets and sorts on the Arrow result."""
        return None

    def close(self) -> None:
        """Drop this engine's views (the shared SparkContext stays for other engines)."""
        for name in self.manifest.tables:
            self.session.catalog.dropTempView(name)
