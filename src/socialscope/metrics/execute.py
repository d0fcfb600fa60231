"""Run a Query: validate it, run one aggregate per fact, merge, derive ratios, compare.

Facts are aggregated separately and merged on the dimension values; ratios are then
computed from the summed numerator and denominator of each merged row (never averaged),
time buckets missing from the data are filled (counts and sums 0, ratios null), and a
comparison period is run the same way and aligned bucket by bucket.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from socialscope.engines.base import Engine, Layout
from socialscope.metrics import frames as frames_
from socialscope.metrics.compile import (
    CURRENCY_COUNT,
    CURRENCY_VALUE,
    FactPlan,
    build_fact_expr,
    combine_facts,
    plan_facts,
    query_params,
)
from socialscope.metrics.facts import COMMON_DIMENSIONS, TIME_DIMENSIONS
from socialscope.metrics.query import Compare, Query, QueryError
from socialscope.metrics.registry import REGISTRY, Registry
from socialscope.metrics.spec import SNAPSHOT_PARAM, MetricSpec, Ratio
from socialscope.metrics.time import comparison_period, local_bounds, spine

MONEY_QUANTUM = Decimal("0.0001")


@dataclass
class QueryResult:
    """Dimension values and metric values, plus what produced them.

    The result is columnar (`to_arrow()`); `rows` builds Python dicts on first use.
    """

    query: Query
    dimensions: tuple[str, ...]
    metrics: tuple[str, ...]
    date_from: date | None
    date_to: date | None
    previous_from: date | None = None
    previous_to: date | None = None
    columns: list[str] = field(default_factory=list)
    _table: pa.Table | None = None
    _rows: list[dict[str, Any]] | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        if self._rows is None:
            assert self._table is not None
            self._rows = frames_.records(self._table)
        return self._rows

    def to_arrow(self) -> pa.Table:
        if self._table is None:
            self._table = pa.Table.from_pylist(self.rows).select(self.columns)
        return self._table

    def to_pandas(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


def _closest(word: str, options: Sequence[str]) -> str:
    import difflib

    near = difflib.get_close_matches(word, options, n=3)
    return f" (did you mean {', '.join(near)}?)" if near else ""


def validate(query: Query, registry: Registry) -> list[MetricSpec]:
    """The metric specs of a query, or a QueryError naming exactly what is wrong."""
    specs = []
    for metric_id in query.metrics:
        if metric_id not in registry:
            raise QueryError(
                f"unknown metric {metric_id!r}{_closest(metric_id, registry.ids())}; "
                f"valid metrics: {', '.join(registry.ids())}"
            )
        specs.append(registry.get(metric_id))
    known_dims = sorted(set(COMMON_DIMENSIONS) | {d for s in registry for d in s.dimensions})
    for dim in (*query.dimensions, *query.filters):
        if dim not in known_dims:
            raise QueryError(
                f"unknown dimension {dim!r}{_closest(dim, known_dims)}; "
                f"valid dimensions: {', '.join(known_dims)}"
            )
    if len(set(query.dimensions)) != len(query.dimensions):
        raise QueryError("a dimension is listed twice")
    if len([d for d in query.dimensions if d in TIME_DIMENSIONS]) > 1:
        raise QueryError("use at most one time dimension (date, hour, week or month)")
    for dim in query.filters:
        if dim in TIME_DIMENSIONS:
            raise QueryError(f"filter on {dim!r} is not supported; use from/to instead")
    for spec in specs:
        allowed = registry.all_dimensions(spec)
        for dim in (*query.dimensions, *(d for d in query.filters if d != "shop_id")):
            if dim not in allowed:
                raise QueryError(
                    f"metric {spec.id!r} cannot be split by {dim!r}; "
                    f"its dimensions are: {', '.join(allowed)}"
                )
    snapshots = [s.id for s in (*specs, *_expand(specs, registry)) if s.snapshot]
    if snapshots:
        time_dims = [d for d in query.dimensions if d in TIME_DIMENSIONS]
        if time_dims:
            raise QueryError(
                f"{', '.join(dict.fromkeys(snapshots))}: snapshot metrics (a value as of one "
                f"moment) take no time dimension; drop {time_dims[0]!r} and pass "
                f"--param {SNAPSHOT_PARAM}=... (default: the end of the period, capped at now)"
            )
        if query.compare is not None and query.params.get(SNAPSHOT_PARAM) is not None:
            raise QueryError(
                f"{', '.join(dict.fromkeys(snapshots))}: compare takes each period's end as the "
                f"snapshot; drop the {SNAPSHOT_PARAM} parameter to compare"
            )
    known_params = {p.name for s in _expand(specs, registry) for p in s.params}
    for name in query.params:
        if name not in known_params:
            raise QueryError(
                f"unknown parameter {name!r} for these metrics; "
                f"known: {', '.join(sorted(known_params)) or 'none'}"
            )
    return specs


def _expand(specs: Sequence[MetricSpec], registry: Registry) -> list[MetricSpec]:
    """Ratios replaced by their parts, recursively; order kept, no duplicates."""
    out: dict[str, MetricSpec] = {}

    def visit(spec: MetricSpec) -> None:
        if isinstance(spec.agg, Ratio):
            visit(registry.get(spec.agg.numerator))
            visit(registry.get(spec.agg.denominator))
        else:
            out.setdefault(spec.id, spec)

    for spec in specs:
        visit(spec)
    return list(out.values())


def _params(specs: Sequence[MetricSpec], given: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in specs:
        for p in spec.params:
            raw = given.get(p.name, p.default)
            try:
                values[p.name] = p.parse(raw) if isinstance(raw, str) else raw
            except (TypeError, ValueError) as exc:
                raise QueryError(f"parameter {p.name}: {exc}") from None
    return values


class Runner:
    """Runs queries against one engine; knows the store's shops for scoping."""

    def __init__(self, engine: Engine, registry: Registry = REGISTRY) -> None:
        self.engine = engine
        self.registry = registry
        self._shops: dict[str, dict[str, Any]] | None = None
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        """The clock `compare=yesterday` caps today with (replaceable in tests)."""

    def invalidate(self) -> None:
        """Forget what was read from the store (after a load)."""
        self._shops = None

    # -- scoping ---------------------------------------------------------------------
    def shops(self) -> dict[str, dict[str, Any]]:
        """Shops of the store with their time zone and currency (cached until a load)."""
        if self._shops is None:
            t = self.engine.table("shops")
            rows = t.select("shop_id", "timezone", "currency").to_pyarrow().to_pylist()
            self._shops = {r["shop_id"]: r for r in rows}
        return self._shops

    def _scope(self, query: Query) -> tuple[tuple[str, ...] | None, str | None]:
        """(shops for an isin filter, or None with the single shop bound as a param)."""
        known = self.shops()
        wanted = list(query.filters.get("shop_id", ()))
        if query.shop is not None:
            wanted = [query.shop, *wanted] if query.shop not in wanted else wanted
        for shop in wanted:
            if shop not in known:
                names = ", ".join(sorted(known)) or "none"
                raise QueryError(f"unknown shop {shop!r}; shops in this store: {names}")
        if len(wanted) == 1:
            return None, wanted[0]
        if wanted:
            if "shop_id" not in query.dimensions:
                raise QueryError("several shops asked: add shop_id to the dimensions")
            return tuple(sorted(wanted)), None
        if len(known) == 1:
            return None, next(iter(known))
        if "shop_id" in query.dimensions:
            return tuple(sorted(known)), None
        if not known:
            raise QueryError("the store holds no shops yet: import data first")
        raise QueryError(
            f"the store holds several shops ({', '.join(sorted(known))}): pass a shop "
            "(--shop ID) or add shop_id to the dimensions"
        )

    def _data_range(
        self, plans: Sequence[FactPlan], shops: tuple[str, ...] | None, shop: str | None
    ) -> tuple[date, date] | None:
        lows, highs = [], []
        for plan in plans:
            table, column = plan.fact.range_source or (plan.fact.table, plan.fact.time_column)
            t = self.engine.table(table)
            scope = [shop] if shop is not None else list(shops or ())
            col = t[column]
            row = (
                t.filter(t.shop_id.isin(scope))
                .agg(lo=col.min(), hi=col.max())
                .to_pyarrow()
                .to_pylist()[0]
            )
            if row["lo"] is not None:
                lows.append(_as_day(row["lo"]))
                highs.append(_as_day(row["hi"]))
        if not lows:
            return None
        return min(lows), max(highs)

    # -- running ---------------------------------------------------------------------
    def run(self, query: Query) -> QueryResult:
        if query.compare is Compare.YESTERDAY:
            from socialscope.metrics.yesterday import run_yesterday

            return run_yesterday(self, query, self.now)
        specs = validate(query, self.registry)
        base = _expand(specs, self.registry)
        params = _params(base, query.params)
        shops, shop = self._scope(query)
        filters = {k: v for k, v in query.filters.items() if k != "shop_id"}
        plans = plan_facts(base, query.dimensions, filters, shops, params)
        start, end = query.date_from, query.date_to
        if start is None or end is None:
            data = self._data_range(plans, shops, shop)
            if data is None:
                data = (date.today(), date.today())
            start = start or data[0]
            end = end or data[1]
            if start > end:
                start = end
        currency = self._shop_currency(shop)
        tz = self._shop_timezone(shop)
        table = self._run_period(query, specs, plans, params, shop, start, end, currency, tz)
        result = QueryResult(
            query=query,
            dimensions=query.dimensions,
            metrics=query.metrics,
            date_from=start,
            date_to=end,
            _table=table,
        )
        if query.compare is not None:
            p_start, p_end = comparison_period(start, end, query.compare)
            prev = self._run_period(query, specs, plans, params, shop, p_start, p_end, currency, tz)
            result._rows = _align(
                query,
                frames_.records(table),
                frames_.records(prev),
                (start, end),
                (p_start, p_end),
                specs,
                tz,
                {s.id for s in specs if self.registry.broadcasts_currency(s)},
            )
            result._table = None
            result.previous_from, result.previous_to = p_start, p_end
        result.columns = _columns(query, specs, "currency" in table.column_names)
        return result

    def _shop_timezone(self, shop: str | None) -> str | None:
        if shop is None:
            return None
        return str(self.shops()[shop].get("timezone") or "") or None

    def _shop_currency(self, shop: str | None) -> str | None:
        if shop is None:
            return None
        return str(self.shops()[shop].get("currency") or "") or None

    def _run_period(
        self,
        query: Query,
        specs: Sequence[MetricSpec],
        plans: Sequence[FactPlan],
        params: Mapping[str, Any],
        shop: str | None,
        start: date,
        end: date,
        shop_currency: str | None,
        timezone: str | None,
    ) -> pa.Table:
        ts_from, ts_to = local_bounds(start, end)
        values: dict[str, Any] = {"ts_from": ts_from, "ts_to": ts_to}
        if shop is not None:
            values["shop"] = shop
        dims = query.dimensions
        money_plans = [i for i, plan in enumerate(plans) if plan.check_currency]

        def build() -> tuple[Any, dict[str, Any]]:
            shared = query_params()
            exprs, named = [], {}
            for i, plan in enumerate(plans):
                table = self.engine.table(plan.fact.table)
                expr, used = build_fact_expr(plan, table, self.engine.table, params, shared)
                if plan.check_currency:
                    expr = expr.rename(
                        {
                            f"{CURRENCY_COUNT}{i}": CURRENCY_COUNT,
                            f"{CURRENCY_VALUE}{i}": CURRENCY_VALUE,
                        }
                    )
                exprs.append(expr)
                named.update(used)
            return combine_facts(exprs, dims), named

        shape = ("query", tuple(plan.shape for plan in plans))
        time_dim = next((d for d in dims if d in TIME_DIMENSIONS), None)
        if not query.dense:
            time_dim = None  # sparse output: only buckets with data, no filling
        buckets = tuple(spine(start, end, time_dim, timezone)) if time_dim else ()
        layout = Layout(tuple(dims), time_dim, buckets)
        merged = self.engine.run_laid_out(shape, build, values, layout)
        laid_out = merged is not None
        if merged is None:
            merged = self.engine.run(shape, build, values)
        for i in money_plans:
            _check_one_currency(merged.column(f"{CURRENCY_COUNT}{i}"), plans[i])
        named = _named_currency(query, shop_currency)
        if "currency" in dims and any(len(p.dimensions) < len(dims) for p in plans):
            merged = self._name_missing_currency(merged, named)
            if laid_out:
                merged = frames_.sort_rows(merged, dims)
        if time_dim is not None and not laid_out:
            merged = frames_.fill_spine(merged, dims, time_dim, start, end, timezone)
        out = frames_.finish(merged, dims, specs, self.registry.get)
        if any(s.is_money for s in _expand(specs, self.registry)) and "currency" not in dims:
            out = out.add_column(
                len(dims), "currency", _currency_column(merged, money_plans, named)
            )
        return out if laid_out else frames_.sort_rows(out, dims)

    def _name_missing_currency(self, merged: pa.Table, named: str | None) -> pa.Table:
        """A slice with a currency-free denominator but no amount in any currency comes
        back with a null currency: it is the filtered currency, else its shop's."""
        column = merged.column("currency")
        if column.null_count == 0:
            return merged
        if named is None and "shop_id" in merged.column_names:
            shops = self.shops()
            per_shop = [
                str(shops.get(s, {}).get("currency") or "") or None
                for s in merged.column("shop_id").to_pylist()
            ]
            fill: Any = pa.array(per_shop, pa.string())
        else:
            fill = pa.scalar(named, pa.string())
        filled = pc.coalesce(column, fill)
        return merged.set_column(merged.schema.get_field_index("currency"), "currency", filled)


def _named_currency(query: Query, shop_currency: str | None) -> str | None:
    """The currency a row without amounts is in: the one filtered, else the shop's."""
    wanted = query.filters.get("currency", ())
    return wanted[0] if len(wanted) == 1 else shop_currency


def _as_day(value: date | datetime) -> date:
    """A local DATE as it is; a local timestamp's date."""
    return value.date() if isinstance(value, datetime) else value


def _check_one_currency(counts: pa.ChunkedArray, plan: FactPlan) -> None:
    """Amounts of different currencies are never added: refuse a mixed slice."""
    most = pc.max(counts).as_py() if len(counts) else 0
    if most and most > 1:
        money = [s.id for s in plan.metrics if s.is_money]
        raise QueryError(
            f"{', '.join(money)}: this slice holds orders in {most} currencies, "
            "and amounts of different currencies are never added; add currency to the "
            "dimensions (--by currency) or filter one (--where currency=XXX)"
        )


def _currency_column(
    merged: pa.Table, money_plans: Sequence[int], shop_currency: str | None
) -> pa.Array:
    """Each row's currency: the one its orders are in, else the only one seen in the
    result, else the shop's."""
    parts = [merged.column(f"{CURRENCY_VALUE}{i}") for i in money_plans]
    if not parts:
        return pa.array([shop_currency] * merged.num_rows, pa.string())
    found = pc.coalesce(*parts) if len(parts) > 1 else parts[0]
    seen = {v for v in pc.unique(found).to_pylist() if v is not None}
    default = next(iter(seen)) if len(seen) == 1 else shop_currency
    return pc.fill_null(found, pa.scalar(default, pa.string()))


def _sort_key(value: Any) -> tuple[int, Any]:
    return (1, "") if value is None else (0, value)


def _align(
    query: Query,
    current: list[dict[str, Any]],
    previous: list[dict[str, Any]],
    cur_period: tuple[date, date],
    prev_period: tuple[date, date],
    specs: Sequence[MetricSpec],
    timezone: str | None,
    broadcast: set[str] | None = None,
) -> list[dict[str, Any]]:
    """Attach previous values: the k-th time bucket of the previous period to the k-th now."""
    dims = query.dimensions
    time_dim = next((d for d in dims if d in TIME_DIMENSIONS), None)
    shift: dict[Any, Any] = {}
    if time_dim is not None:
        cur_spine = spine(*cur_period, time_dim, timezone)
        prev_spine = spine(*prev_period, time_dim, timezone)
        shift = dict(zip(prev_spine, cur_spine, strict=False))
    index: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in previous:
        key = tuple(
            shift.get(row[d], ("unmatched", row[d])) if d == time_dim else row[d] for d in dims
        )
        index[key] = row
    out = []
    current_keys = {tuple(row[d] for d in dims) for row in current}
    broadcast = broadcast or set()
    missing_now = _MissingCurrency(dims, broadcast, {tuple(r[d] for d in dims): r for r in current})
    missing_before = _MissingCurrency(dims, broadcast, index)
    for key, prev_row in index.items():
        if key not in current_keys and not (
            time_dim and isinstance(key[dims.index(time_dim)], tuple)
        ):
            # a slice present only in the previous period: its current value is empty
            empty = {d: key[i] for i, d in enumerate(dims)}
            for spec in specs:
                empty[spec.id] = missing_now(key, spec)
            if "currency" in prev_row:
                empty.setdefault("currency", prev_row["currency"])
            current = [*current, empty]
    for row in current:
        key = tuple(row[d] for d in dims)
        prev = index.get(key, {})
        new = dict(row)
        for spec in specs:
            value, before = row.get(spec.id), prev.get(spec.id)
            if not prev:
                before = missing_before(key, spec)
            new[f"{spec.id}__previous"] = before
            change = None if value is None or before is None else value - before
            new[f"{spec.id}__change"] = change
            if change is None or not before:
                new[f"{spec.id}__change_pct"] = None
            else:
                new[f"{spec.id}__change_pct"] = float(change) / float(before)
        out.append(new)
    out.sort(key=lambda r: tuple(_sort_key(r[d]) for d in dims))
    return out


class _MissingCurrency:
    """The value of a metric in a period without the slice's row: empty, except for a
    money ratio over a currency-free denominator split by currency, which is 0 when the
    period has the slice in another currency with a value (so its denominator is not 0:
    nothing sold in this currency, per the same click users)."""

    def __init__(
        self, dims: Sequence[str], broadcast: set[str], rows: Mapping[tuple[Any, ...], Any]
    ) -> None:
        self.at = dims.index("currency") if "currency" in dims and broadcast else None
        self.valued: dict[str, set[tuple[Any, ...]]] = {m: set() for m in broadcast}
        if self.at is None:
            return
        for key, row in rows.items():
            for metric, found in self.valued.items():
                if row.get(metric) is not None:
                    found.add(self._others(key))

    def _others(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        return key[: self.at] + key[self.at + 1 :] if self.at is not None else key

    def __call__(self, key: tuple[Any, ...], spec: MetricSpec) -> Any:
        if self.at is None or spec.id not in self.valued:
            return frames_.empty_value(spec)
        return Decimal(0) if self._others(key) in self.valued[spec.id] else None


def _columns(query: Query, specs: Sequence[MetricSpec], has_currency: bool) -> list[str]:
    cols = list(query.dimensions)
    if has_currency and "currency" not in cols:
        cols.append("currency")
    for spec in specs:
        cols.append(spec.id)
        if query.compare is not None:
            cols += [f"{spec.id}__previous", f"{spec.id}__change", f"{spec.id}__change_pct"]
    return cols
