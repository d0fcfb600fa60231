"""Query -> one Ibis expression per fact. The only place that scopes by shop and time.

Every expression takes the shop and the local time bounds as Ibis params, so the engine
can cache its compiled form per query shape (see engines/duckdb.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ibis

from socialscope.metrics.facts import FACTS, TIME_DIMENSIONS, FactSpec
from socialscope.metrics.factspec import PERIOD_FROM, PERIOD_TO, SHOP
from socialscope.metrics.spec import Count, CountDistinct, Custom, MetricSpec, Sum
from socialscope.metrics.time import bucket_expr

CURRENCY = "currency"
CURRENCY_COUNT = "__currencies"
CURRENCY_VALUE = "__currency"
DAY_TO = "__day"
HOUR_TO = "__hour_to"
"""Pseudo dimensions of a cumulative hourly aggregate (compare=yesterday, metrics/
yesterday.py): each row of local day `__day` counts for every hour `__hour_to` ≥ its own
hour, so a group holds the day's rows from 00:00 to the end of that hour — exact for
distinct counts and other non-additive reductions, at the cost of up to 24 copies of the
rows."""


@dataclass(frozen=True)
class FactPlan:
    """What one fact contributes to a query: its base metrics, grouped by the dimensions."""

    fact: FactSpec
    metrics: tuple[MetricSpec, ...]
    dimensions: tuple[str, ...]
    filters: tuple[tuple[str, tuple[str, ...]], ...]
    shops: tuple[str, ...] | None  # None: the single shop comes from the `shop` param
    check_currency: bool
    param_items: tuple[tuple[str, Any], ...]

    @property
    def shape(self) -> tuple[Any, ...]:
        return (
            self.fact.name,
            tuple(m.id for m in self.metrics),
            self.dimensions,
            self.filters,
            self.shops,
            self.check_currency,
            self.param_items,
        )


def _reduction(spec: MetricSpec, t: Any, params: Mapping[str, Any]) -> Any:
    agg = spec.agg
    match agg:
        case Count(where=None):
            return t.count()
        case Count(where=where):
            assert where is not None
            return t.count(where=where(t).fill_null(False))
        case Sum(column=column, where=where):
            value = t[column] if isinstance(column, str) else column(t)
            if where is None:
                return value.sum()
            return value.sum(where=where(t).fill_null(False))
        case CountDistinct(column=column, where=where):
            if where is None:
                return t[column].nunique()
            return t[column].nunique(where=where(t).fill_null(False))
        case Custom(reduce=reduce):
            return reduce(t, params)
    raise TypeError(f"metric {spec.id!r} has no reduction on a fact")  # ratios never get here


def query_params() -> dict[str, Any]:
    """The Ibis params every fact expression of one query shares."""
    return {
        "ts_from": ibis.param("timestamp").name("ts_from"),
        "ts_to": ibis.param("timestamp").name("ts_to"),
        "shop": ibis.param("string").name("shop"),
    }


def _rows_any_metric_reads(metrics: Sequence[MetricSpec], t: Any) -> Any:
    """When every metric of a fact counts only rows matching its own predicate, rows
    matching none can change no value: filter them out before grouping (fewer rows
    scanned, and no dimension combinations that only such rows would create)."""
    wheres = []
    for spec in metrics:
        where = getattr(spec.agg, "where", None)
        if where is None or isinstance(spec.agg, Custom):
            return None
        wheres.append(where(t).fill_null(False))
    combined = wheres[0]
    for w in wheres[1:]:
        combined = combined | w
    return combined


def build_fact_expr(
    plan: FactPlan,
    table: Any,
    lookup: Any,
    params: Mapping[str, Any],
    shared: Mapping[str, Any] | None = None,
) -> tuple[Any, dict[str, Any]]:
    """The grouped aggregate of one fact, with the Ibis params it uses, by name."""
    fact = plan.fact
    t = table
    shared = shared or query_params()
    p_from, p_to = shared["ts_from"], shared["ts_to"]
    if fact.prepare is not None:
        bounds: dict[str, Any] = {PERIOD_FROM: p_from, PERIOD_TO: p_to}
        if plan.shops is None:
            bounds[SHOP] = shared["shop"]
        t = fact.prepare(t, lookup, {**params, **bounds})
    named: dict[str, Any] = {"ts_from": p_from, "ts_to": p_to}
    preds = []
    if plan.shops is None:
        p_shop = shared["shop"]
        named["shop"] = p_shop
        preds.append(t.shop_id == p_shop)
    elif plan.shops:
        preds.append(t.shop_id.isin(list(plan.shops)))
    local = t[fact.time_column]
    preds += [local >= p_from, local < p_to]
    if fact.base_filter is not None:
        preds.append(fact.base_filter(t))
    for dim, values in plan.filters:
        column = t[fact.dimensions[dim]] if dim in fact.dimensions else t[dim]
        preds.append(column.isin(list(values)))
    shared_where = _rows_any_metric_reads(plan.metrics, t)
    if shared_where is not None:
        preds.append(shared_where)
    t = t.filter(*preds)
    if HOUR_TO in plan.dimensions:
        t = t.mutate(**{HOUR_TO: ibis.range(0, 24).unnest()})
        t = t.filter(t[fact.time_column].hour() <= t[HOUR_TO])
    groups: dict[str, Any] = {}
    for dim in plan.dimensions:
        if dim in TIME_DIMENSIONS:
            groups[dim] = bucket_expr(t[fact.time_column], dim)
        elif dim == DAY_TO:
            groups[dim] = t[fact.time_column].date()
        elif dim == HOUR_TO:
            groups[dim] = t[HOUR_TO]
        elif dim == "shop_id":
            groups[dim] = t.shop_id
        else:
            groups[dim] = t[fact.dimensions[dim]]
    aggs = {spec.id: _reduction(spec, t, params) for spec in plan.metrics}
    if plan.check_currency:
        assert fact.currency_column is not None
        aggs[CURRENCY_COUNT] = t[fact.currency_column].nunique()
        aggs[CURRENCY_VALUE] = t[fact.currency_column].max()
    expr = t.group_by(**groups).agg(**aggs) if groups else t.agg(**aggs)
    return expr, named


def plan_facts(
    base_metrics: Sequence[MetricSpec],
    dimensions: Sequence[str],
    filters: Mapping[str, tuple[str, ...]],
    shops: tuple[str, ...] | None,
    params: Mapping[str, Any],
) -> list[FactPlan]:
    """Group base (non-ratio) metrics by fact, one plan each."""
    by_fact: dict[str, list[MetricSpec]] = {}
    for spec in base_metrics:
        assert spec.fact is not None
        by_fact.setdefault(spec.fact, []).append(spec)
    plans = []
    for fact_name, specs in by_fact.items():
        fact = FACTS[fact_name]
        check_currency = (
            fact.currency_column is not None
            and any(s.is_money for s in specs)
            and CURRENCY not in dimensions
        )
        # A currency-free fact (only ever a money ratio's denominator, see
        # Registry.broadcasts_currency) is neither split nor filtered by currency: its
        # value for the whole slice is shared by every currency row (combine_facts).
        free = CURRENCY not in fact.dimensions
        plans.append(
            FactPlan(
                fact=fact,
                metrics=tuple(specs),
                dimensions=tuple(d for d in dimensions if not (free and d == CURRENCY)),
                filters=tuple(
                    sorted((k, v) for k, v in filters.items() if not (free and k == CURRENCY))
                ),
                shops=shops,
                check_currency=check_currency,
                param_items=tuple(sorted((k, str(v)) for k, v in params.items())),
            )
        )
    return plans


def combine_facts(exprs: Sequence[Any], dimensions: Sequence[str]) -> Any:
    """One statement for several facts, so the engine merges them, not Python.

    Each fact's aggregate is widened to every metric column (nulls for the others), the
    widened tables are stacked (UNION ALL) and grouped again by the dimension values —
    cheaper than chained full outer joins, and GROUP BY matches null keys by itself.
    Each dimension combination occurs at most once per fact, so `max` picks its value.
    """
    if CURRENCY in dimensions:
        free = [e for e in exprs if CURRENCY not in e.columns]
        if free:
            split = [e for e in exprs if CURRENCY in e.columns]
            return _broadcast(split, free, dimensions)
    if len(exprs) == 1:
        return exprs[0]
    if not dimensions:
        combined = exprs[0].view()
        for right in exprs[1:]:
            combined = combined.cross_join(right.view())
        return combined
    schema: dict[str, Any] = {}
    for expr in exprs:
        for name, dtype in expr.schema().items():
            if name not in dimensions:
                schema[name] = dtype
    widened = [
        expr.select(
            *dimensions,
            **{
                name: expr[name] if name in expr.columns else ibis.null(dtype)
                for name, dtype in schema.items()
            },
        )
        for expr in exprs
    ]
    stacked = ibis.union(*widened, distinct=False)
    return stacked.group_by(list(dimensions)).agg(**{name: stacked[name].max() for name in schema})


_ONE = "__one"


def _keyed(expr: Any, names: Sequence[str]) -> Any:
    """expr with a constant join key and `names` renamed out of the way (`__k<name>`)."""
    expr = expr.mutate(**{_ONE: ibis.literal(1)})
    return expr.rename({f"__k{n}": n for n in (*names, _ONE)}).view()


def _broadcast(split: Sequence[Any], free: Sequence[Any], dimensions: Sequence[str]) -> Any:
    """Every currency row of a slice paired with the currency-free facts' row of the same
    other dimension values (null-safe), so each currency's numerator meets the whole
    slice's denominator.

    The currencies of a slice are those the result holds (per shop when split by shop):
    a slice with clicks but no sale in one of them gets that currency's row with an empty
    amount, as dense time buckets do. A shop without any amount keeps a null currency,
    which the runner names (the filtered currency, else the shop's).
    """
    others = [d for d in dimensions if d != CURRENCY]
    scope = ["shop_id"] if "shop_id" in others else []
    left = combine_facts(split, dimensions).view()
    right = combine_facts(free, others).mutate(**{_ONE: ibis.literal(1)}).view()
    domain = _keyed(left.select(*scope, CURRENCY).distinct(), scope)
    on = [right[_ONE] == domain[f"__k{_ONE}"]]
    on += [right[d].identical_to(domain[f"__k{d}"]) for d in scope]
    paired = right.left_join(domain, on)
    paired = paired.select(
        *others, CURRENCY, *[c for c in right.columns if c not in (*others, _ONE)]
    )
    keyed = _keyed(paired, dimensions)
    joined = left.outer_join(keyed, [left[d].identical_to(keyed[f"__k{d}"]) for d in dimensions])
    keys = {d: ibis.coalesce(joined[d], joined[f"__k{d}"]) for d in dimensions}
    hidden = {_ONE, f"__k{_ONE}", *dimensions, *(f"__k{d}" for d in dimensions)}
    return joined.select(**keys, **{c: joined[c] for c in joined.columns if c not in hidden})
