"""The Python API: `socialscope.connect(db)` and what it returns."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from socialscope.client_analysis import AnalysisMixin
from socialscope.client_audience import AudienceMixin
from socialscope.drilldown import Drilldown, DrilldownResult
from socialscope.engines.base import Engine, ReadOnlyEngineError
from socialscope.engines.duckdb import DuckDBEngine
from socialscope.metrics.execute import QueryResult, Runner
from socialscope.metrics.query import make_query
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import MetricSpec
from socialscope.store.duckdb import Store


class Client(AnalysisMixin, AudienceMixin):
    """An open store plus the metric layer on top of it; the analysis runners (top posts,
    benchmarks, attribution, funnels, campaign review) come from AnalysisMixin."""

    engine: Engine

    def __init__(self, db: str | os.PathLike[str] | None = None, *, read_only: bool = False):
        self._store: Store | None = Store(db, read_only=read_only)
        self.engine = DuckDBEngine(self._store)
        self.runner = Runner(self.engine)

    @classmethod
    def over(cls, store: Store) -> Client:
        """A client on an already open store (e.g. a server thread's cursor)."""
        client = cls.__new__(cls)
        client._store = store
        client.engine = DuckDBEngine(store)
        client.runner = Runner(client.engine)
        return client

    @classmethod
    def over_engine(cls, engine: Engine) -> Client:
        """A read-only client whose metrics and runners execute on another engine (e.g.
        PySpark over a Parquet export, see socialscope.engines); what needs the DuckDB
        store (ingest, settings, keywords, calendars) raises ReadOnlyEngineError."""
        client = cls.__new__(cls)
        client._store = engine.store if isinstance(engine, DuckDBEngine) else None
        client.engine = engine
        client.runner = Runner(engine)
        return client

    @property
    def store(self) -> Store:
        """The embedded DuckDB store (ReadOnlyEngineError on another engine)."""
        if self._store is None:
            raise ReadOnlyEngineError(self.engine.name)
        return self._store

    @property
    def backend(self) -> Any:
        """The Ibis backend the engine executes on (table expressions of any engine)."""
        return self.engine.backend

    # -- data in -----------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | os.PathLike[str]], table: str | None = None) -> Any:
        """Import files or directories (see `socialscope ingest`); returns an IngestReport."""
        from socialscope.ingest.loader import ingest_paths

        report = ingest_paths(self.store, [Path(p) for p in paths], table=table)
        self.invalidate()
        return report

    def ingest_arrow(self, tables: Mapping[str, Any], source: str = "api") -> Any:
        """Import in-memory Arrow tables by canonical table name."""
        from socialscope.ingest.loader import ingest_arrow

        report = ingest_arrow(self.store, dict(tables), source=source)
        self.invalidate()
        return report

    def invalidate(self) -> None:
        """Forget cached tables, statements and shops: call after changing the store."""
        self.engine.invalidate()
        self.runner.invalidate()

    # -- metrics -----------------------------------------------------------------------
    def query(
        self,
        metrics: str | Sequence[str],
        by: str | Sequence[str] | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        shop: str | None = None,
        where: Mapping[str, str | Sequence[str]] | None = None,
        compare: str | None = None,
        params: Mapping[str, Any] | None = None,
        dense: bool = True,
    ) -> QueryResult:
        """Metric values by dimensions over a local date range (see docs/metrics.md);
        `compare="yesterday"`: today (`date_to`, default the shop's date) against yesterday
        by local hour, cumulative (docs/today.md)."""
        q = make_query(metrics, by, date_from, date_to, shop, where, compare, params, dense)
        return self.runner.run(q)

    def conversations(
        self,
        shop: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        where: Mapping[str, str | Sequence[str]] | None = None,
        params: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> DrilldownResult:
        """One row per conversation behind the service metrics (see socialscope.drilldown)."""
        return Drilldown(self.runner).conversations(shop, date_from, date_to, where, params, limit)

    def orders(
        self,
        shop: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        where: Mapping[str, str | Sequence[str]] | None = None,
        params: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> DrilldownResult:
        """One row per order created in the period, cancelled ones flagged (drill-down)."""
        return Drilldown(self.runner).orders(shop, date_from, date_to, where, params, limit)

    def settings(self) -> dict[str, float]:
        """Store settings that shape derived data, with their current values."""
        from socialscope.store.settings import current_settings

        return current_settings(self.store)

    def set_setting(self, name: str, value: float | str) -> None:
        """Change a store setting (e.g. conversation_idle_h); derived tables are rebuilt."""
        from socialscope.store.settings import set_setting

        set_setting(self.store, name, value)
        self.invalidate()

    def metrics(self) -> list[MetricSpec]:
        return list(REGISTRY)

    def shops(self) -> dict[str, dict[str, Any]]:
        return self.runner.shops()

    # -- shop calendars (business-time durations) --------------------------------------
    def calendar(self, shop: str) -> dict[str, Any]:
        """A shop's opening hours (text), whether they are the service-hours default, and
        its holidays (see `socialscope calendar`)."""
        from socialscope.metrics.library.business_time import calendar_of

        return calendar_of(self.store, shop)

    def set_calendar(self, shop: str, hours: str) -> None:
        """Set a shop's weekly opening hours, e.g. "mon-fri 09:00-12:00,13:00-18:00;
        sat 10:00-14:00" ("default": back to service_hours every day); CalendarError
        names a malformed part."""
        from socialscope.metrics.library.business_time import set_hours

        set_hours(self.store, shop, hours)
        self.invalidate()

    def add_holiday(self, shop: str, day: date | str, name: str | None = None) -> None:
        """Close a shop for a whole local date (business time counts none of it)."""
        from socialscope.metrics.library.business_time import add_holiday

        add_holiday(self.store, shop, day, name)
        self.invalidate()

    def remove_holiday(self, shop: str, day: date | str) -> bool:
        """Reopen a date; False when it was not a holiday."""
        from socialscope.metrics.library.business_time import remove_holiday

        removed = remove_holiday(self.store, shop, day)
        self.invalidate()
        return removed

    # -- purchase keywords ("+1" comments) ---------------------------------------------
    def keyword_rules(self, shop: str, post: str | None = None) -> dict[str, Any]:
        """The purchase-keyword rules in force for a shop or one of its posts (see
        `socialscope keywords`): shop_id, post_id, rules, source ("post", "shop" or
        "default"), error (stored rules that no longer validate), posts (a shop's
        post-level rule sets; without `post` only) and the comments, purchase intents and
        quantity they give (None before the store is derived)."""
        from socialscope.keywords import get_rules, list_rules
        from socialscope.store.derive_keywords import intent_counts

        out = get_rules(self.store, shop, post).as_dict()
        if post is None:
            out["posts"] = [r.as_dict() for r in list_rules(self.store, shop) if r.post_id]
        out["counts"] = intent_counts(self.store, shop, post)
        return out

    def set_keyword_rules(
        self, shop: str, rules: Sequence[str], post: str | None = None
    ) -> dict[str, Any]:
        """Set a shop's (or one post's) purchase-keyword rules — Python regular expressions
        with optional groups `qty` and `variant`; the comments' purchase intents are
        recomputed at once. KeywordRuleError names a bad rule. Returns `keyword_rules`."""
        from socialscope.keywords import set_rules

        set_rules(self.store, shop, rules, post)
        self.invalidate()
        return self.keyword_rules(shop, post)

    def reset_keyword_rules(self, shop: str, post: str | None = None) -> bool:
        """Remove a shop's (or a post's) own rules: back to the shop's rules, or to the
        default set. False when there were none."""
        from socialscope.keywords import reset_rules

        removed = reset_rules(self.store, shop, post)
        self.invalidate()
        return removed

    # -- open storage layout -----------------------------------------------------------
    def export_parquet(
        self,
        directory: str | os.PathLike[str],
        shops: Sequence[str] | None = None,
        tables: Sequence[str] | None = None,
        fmt: str = "parquet",
    ) -> Any:
        """Write (or bring up to date) the Parquet layout in `directory`: partitions by
        shop and month plus manifest.json, incremental and atomic (docs/storage-layout.md).
        Returns an ExportReport (written / kept / removed partitions)."""
        from socialscope.export import export_parquet

        return export_parquet(self.store, directory, shops=shops, tables=tables, fmt=fmt)

    # -- lifecycle ---------------------------------------------------------------------
    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        else:
            self.engine.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def connect(
    db: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    engine: str = "duckdb",
    data: str | os.PathLike[str] | None = None,
    url: str | None = None,
) -> Client:
    """Open (creating and migrating if needed) the store at `db`; or, with
    `engine="pyspark", data=DIR` (a Parquet export) or `url=` (another Ibis backend), a
    read-only client on that engine (see docs/engines.md)."""
    if engine == "duckdb" and url is None:
        if data is not None:
            raise ValueError("data= is read by engine='pyspark'; the duckdb engine takes db=")
        return Client(db, read_only=read_only)
    from socialscope.engines.select import open_engine

    return Client.over_engine(open_engine(engine, data=data, url=url))
