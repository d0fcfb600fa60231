"""`compare=yesterday`: today against yesterday, cumulative by shop-local hour.

The value at hour h is the metric over [00:00, end of hour h] local, today and yesterday.
Two ways, both one compiled, cached statement per query shape:

- additive metrics (counts, sums, ratios of them): one hourly aggregate over [yesterday
  00:00, today 24:00), then running sums per slice and day (ratios from the cumulative
  numerator and denominator, never from hourly ratios);
- any other metric (distinct counts, medians, means...): cumulative re-aggregation — each
  fact row counts for every hour from its own to 23 (compile.HOUR_TO), so every group is
  the metric over [00:00, end of hour h], exact for distinct counts.

Refused with a QueryError naming the metric and the reason: snapshots, facts built per
query period (cohorts such as inquiry/silent orders: their rows change with the bounds)
and facts recorded per day (content_metrics: no hours).

Hours are wall-clock hours 0-23 of the shop's time zone (the `*_local` twin columns):
on a spring-forward day the skipped hour adds nothing (its cumulative value equals the
hour before); on a fall-back day the repeated hour holds both of its passes. An hour that
has not begun yet in the shop's time zone ("now", from `Runner.now`) has a null value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from socialscope.metrics.compile import DAY_TO, HOUR_TO, plan_facts
from socialscope.metrics.facts import FACTS, TIME_DIMENSIONS, FactSpec
from socialscope.metrics.factspec import PERIOD_FROM, PERIOD_TO
from socialscope.metrics.frames import MONEY_QUANTUM, empty_value, records
from socialscope.metrics.query import Query, QueryError
from socialscope.metrics.registry import Registry
from socialscope.metrics.spec import Count, MetricSpec, Ratio, Sum, Unit

if TYPE_CHECKING:
    from socialscope.engines.base import Engine
    from socialscope.metrics.execute import QueryResult, Runner

HOUR = "hour"
HOURS = tuple(range(24))
_PERIOD_KEYS = (PERIOD_FROM, PERIOD_TO)
_period_dependent: dict[tuple[str, tuple[tuple[str, str], ...]], bool] = {}


class _Recorder(Mapping[str, Any]):
    """Params that remember which keys a fact's `prepare` read (iteration reads all)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        self.read.update(self._values)
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _default_params(registry: Registry) -> dict[str, Any]:
    """Every metric parameter at its default (what a fact's `prepare` may read)."""
    out: dict[str, Any] = {}
    for spec in registry:
        for p in spec.params:
            out.setdefault(p.name, p.parse(p.default) if isinstance(p.default, str) else p.default)
    return out


def reads_period(
    fact: FactSpec, engine: Engine, registry: Registry, params: Mapping[str, Any]
) -> bool:
    """Whether the fact's rows depend on the query period (its `prepare` reads the period
    bounds, with these metric parameters): then the rows of [00:00, h] are not those of
    the day cut at h. Probed once per fact and parameter set (building the Ibis expression
    only, nothing runs); a probe that fails counts as dependent."""
    if fact.prepare is None:
        return False
    values = {**_default_params(registry), **params}
    key = (fact.name, tuple(sorted((k, str(v)) for k, v in values.items())))
    if key not in _period_dependent:
        import ibis

        probe = _Recorder(
            {**values, PERIOD_FROM: ibis.param("timestamp"), PERIOD_TO: ibis.param("timestamp")}
        )
        try:
            fact.prepare(engine.table(fact.table), engine.table, probe)
        except Exception:  # unknown rows: refuse rather than guess
            _period_dependent[key] = True
        else:
            _period_dependent[key] = any(k in probe.read for k in _PERIOD_KEYS)
    return _period_dependent[key]


def why_not_hourly(
    spec: MetricSpec,
    registry: Registry,
    engine: Engine,
    params: Mapping[str, Any] | None = None,
) -> str | None:
    """None when the metric has a value over [00:00, end of hour h] for every h (with these
    metric parameters; default: the defaults); else the reason it has not."""
    params = params or {}
    if spec.snapshot:
        return "it is a snapshot (a value as of one moment), not a count of events"
    agg = spec.agg
    if isinstance(agg, Ratio):
        for part in (agg.numerator, agg.denominator):
            reason = why_not_hourly(registry.get(part), registry, engine, params)
            if reason is not None:
                return f"its part {part!r} cannot ({reason})"
        return None
    assert spec.fact is not None
    if FACTS[spec.fact].range_source is not None:
        return f"its fact {spec.fact!r} is recorded per day (a local date), it has no hours"
    if reads_period(FACTS[spec.fact], engine, registry, params):
        return (
            f"its fact {spec.fact!r} is built per query period (a cohort): its rows would "
            "change with every hour's bounds"
        )
    return None


def is_additive(spec: MetricSpec, registry: Registry) -> bool:
    """Counts and sums, and ratios of them: a day's value is the sum of its hours', so
    running sums of one hourly aggregate are exact."""
    agg = spec.agg
    if isinstance(agg, Ratio):
        return all(is_additive(registry.get(p), registry) for p in (agg.numerator, agg.denominator))
    return isinstance(agg, Count | Sum)


def hourly_metrics(runner: Runner) -> list[str]:
    """The registered metrics `compare=yesterday` accepts (for pickers)."""
    return [
        spec.id
        for spec in runner.registry
        if why_not_hourly(spec, runner.registry, runner.engine) is None
    ]


def _check(
    query: Query, specs: Sequence[MetricSpec], runner: Runner, params: Mapping[str, Any]
) -> None:
    other_time = [d for d in query.dimensions if d in TIME_DIMENSIONS and d != HOUR]
    if other_time:
        raise QueryError(
            f"compare=yesterday is by local hour; drop the {other_time[0]!r} dimension"
        )
    if query.date_from is not None and query.date_from != query.date_to:
        raise QueryError(
            "compare=yesterday compares one day with the day before: pass only to "
            "(--to DATE, default the shop's current local date), not from"
        )
    for spec in specs:
        reason = why_not_hourly(spec, runner.registry, runner.engine, params)
        if reason is not None:
            raise QueryError(
                f"metric {spec.id!r} cannot be compared with yesterday by hour: {reason}; "
                "use compare=previous for it"
            )


def _local_now(now: datetime, timezone: str | None) -> datetime:
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(ZoneInfo(timezone) if timezone else UTC).replace(tzinfo=None)


def _carried(values: Sequence[Any], spec: MetricSpec) -> list[Any]:
    """Values already cumulative (one group per hour to date); an hour before the day's
    first row has no group: the metric's value over no rows."""
    return [empty_value(spec) if v is None else v for v in values]


def _accumulate(values: Sequence[Any], spec: MetricSpec) -> list[Any]:
    """Running sums; a sum over only null hours stays null (as SQL's SUM would)."""
    out: list[Any] = []
    total: Any = None
    for v in values:
        if v is not None:
            total = v if total is None else total + v
        out.append(total)
    if spec.unit is Unit.COUNT:
        return [0 if t is None else int(t) for t in out]
    if spec.unit is Unit.MONEY:
        return [Decimal(0) if t is None else Decimal(t) for t in out]
    return out


def _value(spec: MetricSpec, cumulative: Mapping[str, Any], registry: Registry) -> Any:
    """A metric from the cumulative values of its parts (ratios from summed parts; a zero
    or null denominator gives null, as in every other query)."""
    if not isinstance(spec.agg, Ratio):
        return cumulative[spec.id]
    num = _value(registry.get(spec.agg.numerator), cumulative, registry)
    den = _value(registry.get(spec.agg.denominator), cumulative, registry)
    if num is None or den is None or den == 0:
        return None
    if spec.unit is Unit.MONEY:
        return (Decimal(num) / Decimal(den)).quantize(MONEY_QUANTUM)
    return float(num) / float(den)


def _compared(value: Any, before: Any) -> tuple[Any, Any]:
    change = None if value is None or before is None else value - before
    pct = None if change is None or not before else float(change) / float(before)
    return change, pct


@dataclass
class _Slices:
    """Hourly values per slice (the other dimensions) and day (0 yesterday, 1 today)."""

    hourly: dict[tuple[Any, ...], list[list[dict[str, Any]]]] = field(default_factory=dict)
    currencies: dict[tuple[Any, ...], set[str]] = field(default_factory=dict)
    fallback_currency: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def slot(self, key: tuple[Any, ...]) -> list[list[dict[str, Any]]]:
        return self.hourly.setdefault(key, [[{} for _ in HOURS], [{} for _ in HOURS]])

    def currency(self, key: tuple[Any, ...]) -> Any:
        found = self.currencies.get(key)
        return next(iter(found)) if found else self.fallback_currency.get(key)


def _collect(
    rows: Sequence[Mapping[str, Any]],
    base: Sequence[MetricSpec],
    others: tuple[str, ...],
    shop_of: Callable[[Mapping[str, Any]], str],
    today: Mapping[str, date],
    when: Callable[[Mapping[str, Any]], tuple[date, int]],
) -> _Slices:
    """Sort the hourly rows into slices and days; rows of other days are dropped (a
    multi-shop query spans every shop's yesterday and today). `when`: a row's local day
    and hour."""
    money = [s.id for s in base if s.is_money]
    out = _Slices()
    for row in rows:
        day_today = today[shop_of(row)]
        on, hour = when(row)
        day = {day_today - timedelta(days=1): 0, day_today: 1}.get(on)
        if day is None:
            continue
        key = tuple(row[d] for d in others)
        cell = out.slot(key)[day][hour]
        for spec in base:
            v = row.get(spec.id)
            if v is not None:
                cell[spec.id] = v if spec.id not in cell else cell[spec.id] + v
        if "currency" in row:
            out.fallback_currency.setdefault(key, row["currency"])
            if any(row.get(m) for m in money) and row["currency"] is not None:
                out.currencies.setdefault(key, set()).add(row["currency"])
    for seen in out.currencies.values():
        if len(seen) > 1:
            raise QueryError(
                f"{', '.join(money)}: this slice holds orders in {len(seen)} currencies, "
                "and amounts of different currencies are never added; add currency to the "
                "dimensions (--by currency) or filter one (--where currency=XXX)"
            )
    if not out.hourly and not others:
        out.slot(())  # one shop, no split: 24 rows even without data
    return out


def _started(day: date, hour: int, local_now: datetime) -> bool:
    """Whether wall-clock `hour` of `day` has begun by the shop's local now."""
    return datetime(day.year, day.month, day.day, hour) <= local_now


def _slice_rows(
    key: tuple[Any, ...],
    days: list[list[dict[str, Any]]],
    others: tuple[str, ...],
    specs: Sequence[MetricSpec],
    base: Sequence[MetricSpec],
    registry: Registry,
    today: date,
    local_now: datetime,
    currency: Any,
    cumulative: bool,
) -> Iterator[dict[str, Any]]:
    """The 24 rows of one slice: cumulative values, the comparison, nulls for hours to come."""
    running = _carried if cumulative else _accumulate
    cum = [
        {spec.id: running([cell.get(spec.id) for cell in cells], spec) for spec in base}
        for cells in days
    ]
    dates = (today - timedelta(days=1), today)
    for h in HOURS:
        row: dict[str, Any] = dict(zip(others, key, strict=True))
        row[HOUR] = h
        if currency is not _NO_CURRENCY:
            row["currency"] = currency
        for spec in specs:
            before, value = (
                _value(spec, {k: v[h] for k, v in cum[d].items()}, registry)
                if _started(dates[d], h, local_now)
                else None
                for d in (0, 1)
            )
            change, pct = _compared(value, before)
            row[spec.id] = value
            row[f"{spec.id}__previous"] = before
            row[f"{spec.id}__change"] = change
            row[f"{spec.id}__change_pct"] = pct
        yield row


_NO_CURRENCY = object()


def run_yesterday(runner: Runner, query: Query, now: Callable[[], datetime]) -> QueryResult:
    """Run a `compare=yesterday` query (see the module docstring)."""
    from socialscope.metrics.execute import QueryResult, _expand, _params, validate

    specs = validate(query, runner.registry)
    base = _expand(specs, runner.registry)
    params = _params(base, query.params)
    _check(query, specs, runner, params)
    shops, shop = runner._scope(query)
    scoped = [shop] if shop is not None else list(shops or ())
    known = runner.shops()
    instant = now()
    local_now = {s: _local_now(instant, known[s].get("timezone") or None) for s in scoped}
    today = {s: query.date_to or local_now[s].date() for s in scoped}
    first, last = min(today.values()) - timedelta(days=1), max(today.values())

    others = tuple(d for d in query.dimensions if d != HOUR)
    cumulative = not all(is_additive(s, runner.registry) for s in specs)
    time_dims = (DAY_TO, HOUR_TO) if cumulative else (HOUR,)
    inner = replace(
        query,
        dimensions=(*others, *time_dims),
        date_from=first,
        date_to=last,
        compare=None,
        dense=False,
    )
    filters = {k: v for k, v in query.filters.items() if k != "shop_id"}
    plans = plan_facts(base, inner.dimensions, filters, shops, params)
    table = runner._run_period(
        inner,
        base,
        plans,
        params,
        shop,
        first,
        last,
        runner._shop_currency(shop),
        runner._shop_timezone(shop),
    )
    has_currency = "currency" in table.column_names

    def shop_of(row: Mapping[str, Any]) -> str:
        found = row["shop_id"] if "shop_id" in others else shop
        assert found is not None
        return str(found)

    def when(row: Mapping[str, Any]) -> tuple[date, int]:
        if cumulative:
            return row[DAY_TO], int(row[HOUR_TO])
        bucket: datetime = row[HOUR]
        return bucket.date(), bucket.hour

    slices = _collect(records(table), base, others, shop_of, today, when)
    out: list[dict[str, Any]] = []
    for key, days in slices.hourly.items():
        s = shop_of(dict(zip(others, key, strict=True)))
        currency = slices.currency(key) if has_currency else _NO_CURRENCY
        out += _slice_rows(
            key,
            days,
            others,
            specs,
            base,
            runner.registry,
            today[s],
            local_now[s],
            currency,
            cumulative,
        )
    out_dims = query.dimensions if HOUR in query.dimensions else (*query.dimensions, HOUR)
    out.sort(key=lambda r: tuple((1, "") if r[d] is None else (0, r[d]) for d in out_dims))

    columns = list(out_dims) + (["currency"] if has_currency else [])
    for spec in specs:
        columns += [spec.id, f"{spec.id}__previous", f"{spec.id}__change", f"{spec.id}__change_pct"]
    day_from = min(today.values())
    return QueryResult(
        query=query,
        dimensions=out_dims,
        metrics=query.metrics,
        date_from=day_from,
        date_to=last,
        previous_from=day_from - timedelta(days=1),
        previous_to=last - timedelta(days=1),
        columns=columns,
        _rows=out,
    )
