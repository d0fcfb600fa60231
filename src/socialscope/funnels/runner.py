"""run_funnel: a FunnelRequest -> a FunnelResult, computed inside DuckDB.

Pipeline (Ibis, executed by DuckDB; no Python per unit or event): the events relation
(funnels/events.py) -> attempts with the steps they reached, the final step's value and
the breakdown values (funnels/match.py) -> with `unique` counting, each unit's best
attempt -> materialised once as a temporary table -> per-slice step aggregates.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

import ibis

from socialscope.engines.duckdb import DuckDBEngine
from socialscope.funnels.events import Frame, events
from socialscope.funnels.match import attempts, micros
from socialscope.funnels.request import FunnelRequest
from socialscope.funnels.result import FunnelResult, FunnelSlice, StepResult, ValueResult
from socialscope.funnels.steps import FunnelError, Step

if TYPE_CHECKING:
    from socialscope.client import Client

__all__ = ["FunnelRequest", "FunnelResult", "run_funnel"]

LOCAL_SLACK = timedelta(days=1)
"""Events are pre-filtered on local time; the window itself is checked in UTC. A shop's
offset can change inside a window (DST), so the local scan bound gets a day of slack."""
_FOUR_PLACES = Decimal("0.0001")


def run_funnel(client: Client, request: FunnelRequest) -> FunnelResult:
    """Run a funnel over one shop's data (see docs/funnels.md for the exact semantics)."""
    shop = _shop(client, request.shop)
    con = client.backend
    lo = datetime.combine(request.date_from, time())
    hi = datetime.combine(request.date_to + timedelta(days=1), time())

    def build() -> tuple[Any, dict[str, Any]]:
        # The shop and the period are Ibis params: the statement is compiled once per
        # request shape (see engines/duckdb.py), later runs only bind values.
        params = {
            "shop": ibis.param("string").name("shop"),
            "ts_from": ibis.param("timestamp").name("ts_from"),
            "ts_to": ibis.param("timestamp").name("ts_to"),
        }
        return _attempt_rows(
            con, request, params["shop"], params["ts_from"], params["ts_to"]
        ), params

    bound: dict[str, Any] = {"shop": shop, "ts_from": lo, "ts_to": hi}
    if isinstance(client.engine, DuckDBEngine):
        steps, values = _in_duckdb(client.engine, request, build, bound)
    else:  # another engine: the same expression, params bound
        expr, params = build()
        binding = {params[n]: v for n, v in bound.items()}
        materialized = getattr(client.engine, "materialized", None)
        if materialized is not None:  # computed once, like DuckDB's temporary table
            with materialized(expr, binding) as table:
                steps, values = _aggregated(client, table, request, {}, {})
        else:
            steps, values = _aggregated(client, expr, request, params, bound)
    overall = _slice(None, steps.get(_OVERALL), values.get(_OVERALL, []), request)
    breakdown = [
        _slice(g, row, values.get(g, []), request) for g, row in steps.items() if g is not _OVERALL
    ]
    breakdown.sort(key=lambda s: (-s.steps[0].count, s.value is None, str(s.value)))
    return FunnelResult(request, shop, overall, tuple(breakdown))


def _aggregated(
    client: Client,
    table: Any,
    request: FunnelRequest,
    params: dict[str, Any],
    bound: dict[str, Any],
) -> tuple[dict[Any, dict[str, Any]], dict[Any, list[ValueResult]]]:
    """Step and value aggregates of the attempts `table` on a non-DuckDB engine, binding
    `bound` to the Ibis `params` it still holds (none when materialised). These engines
    keep no statement cache: the shape key is moot."""

    def run(e: Any) -> Any:
        return client.engine.run(("funnel/any",), lambda: (e, params), bound)

    return _step_rows(run, table, request), _value_rows(run, table, request)


def _in_duckdb(
    engine: DuckDBEngine, request: FunnelRequest, build: Any, bound: dict[str, Any]
) -> tuple[dict[Any, dict[str, Any]], dict[Any, list[ValueResult]]]:
    """The attempts materialised once as a temporary table, then aggregated."""
    con, raw = engine.backend, engine.store.con
    name = f"__ss_funnel_{uuid.uuid4().hex}"
    compiled = engine.statement(_shape(request), build)
    if compiled is not None:
        sql, names = compiled
        args: dict[str, Any] | None = {n: bound[n] for n in names}
    else:  # the statement could not be parametrised: compile it with the values
        expr, params = build()
        sql, args = con.compile(expr, params={params[n]: v for n, v in bound.items()}), None
    raw.execute(f'CREATE TEMP TABLE "{name}" AS {sql}', args)
    try:
        table = con.table(name)
        return _step_rows(con.to_pyarrow, table, request), _value_rows(
            con.to_pyarrow, table, request
        )
    finally:
        raw.execute(f'DROP TABLE IF EXISTS temp.main."{name}"')


def _attempt_rows(con: Any, request: FunnelRequest, shop: Any, lo: Any, hi: Any) -> Any:
    """The counted attempts of the shop's period [lo, hi) (Ibis params)."""
    dims = tuple(dict.fromkeys([*request.same, *([request.by] if request.by else [])]))
    frame = Frame(
        steps=request.steps,
        shop=shop,
        unit=request.unit,
        lo=lo,
        hi=hi + ibis.interval(microseconds=micros(request.window + LOCAL_SLACK)),
        dims=dims,
        every_event=request.mode == "strict",
    )
    return _finished(attempts(events(con, frame), request, lo, hi), request)


def _shape(request: FunnelRequest) -> tuple[Any, ...]:
    """Everything of a request the compiled statement depends on (not shop or period)."""
    return (
        "funnel",
        request.steps,
        request.unit,
        request.mode,
        request.window,
        tuple(sorted(request.step_windows.items())),
        request.counting,
        request.by,
        request.breakdown_at,
        request.same,
    )


def _shop(client: Client, shop: str | None) -> str:
    shops = sorted(client.shops())
    if shop is not None:
        if shop not in shops:
            raise FunnelError(f"unknown shop {shop!r}")
        return shop
    if len(shops) == 1:
        return shops[0]
    if not shops:
        raise FunnelError("the store holds no shops yet: import data first")
    raise FunnelError(f"the store holds {len(shops)} shops: name one with shop=")


def _finished(a: Any, request: FunnelRequest) -> Any:
    """Attempts counted (unique: each unit's best), with the breakdown value `g`, the
    final step's value and currency, and completion times c1..cn."""
    n = len(request.steps)
    if request.counting == "unique":
        best = ibis.window(group_by=a.a_unit, order_by=[a.f.desc(), a.p1, a.a_key])
        a = a.mutate(_rank=ibis.row_number().over(best))
        a = a.filter(a._rank == 0).drop("_rank")
    g: dict[str, Any] = {}
    if request.by is not None and request.breakdown_at == "last":
        # the event of the last step reached (step 1 itself when f = 1)
        g["g"] = ibis.cases(*((a.f == k, a[f"g{k}"]) for k in range(2, n + 1)), else_=a.g1)
    elif request.by is not None:
        g["g"] = a.g1
    done = a.f == n
    return a.select(
        f=a.f,
        **{f"c{k}": a[f"c{k}"] for k in range(1, n + 1)},
        **g,
        value=ibis.ifelse(done, a.v, ibis.null("decimal(18, 4)")),
        currency=ibis.ifelse(done, a.cur, ibis.null("string")),
    )


class _Overall:
    """The key of the overall slice (distinct from a breakdown value that is null)."""


_OVERALL: Any = _Overall()


def _step_rows(run: Any, t: Any, request: FunnelRequest) -> dict[Any, dict[str, Any]]:
    n = len(request.steps)
    aggs: dict[str, Any] = {}
    for k in range(1, n + 1):
        reached = t.f >= k
        aggs[f"n{k}"] = reached.cast("int64").sum()
        if k == 1:
            continue
        since_prev = (t[f"c{k}"] - t[f"c{k - 1}"]).cast("float64") / 1e6
        since_first = (t[f"c{k}"] - t.c1).cast("float64") / 1e6
        # medians over a null-masked column, not where=: Spark refuses Ibis's filtered
        # quantile (its fraction must be a constant)
        aggs[f"mp{k}"] = ibis.ifelse(reached, since_prev, ibis.null("float64")).median()
        aggs[f"ap{k}"] = since_prev.mean(where=reached)
        aggs[f"mf{k}"] = ibis.ifelse(reached, since_first, ibis.null("float64")).median()
        aggs[f"af{k}"] = since_first.mean(where=reached)
    out: dict[Any, dict[str, Any]] = {}
    for row in run(t.aggregate(**aggs)).to_pylist():
        out[_OVERALL] = row
    if request.by is not None:
        for row in run(t.group_by("g").aggregate(**aggs)).to_pylist():
            out[row.pop("g")] = row
    return out


def _value_rows(run: Any, t: Any, request: FunnelRequest) -> dict[Any, list[ValueResult]]:
    done = t.filter(t.f == len(request.steps), t.value.notnull())
    aggs = {"total": done.value.sum(), "conversions": done.count()}
    out: dict[Any, list[ValueResult]] = defaultdict(list)
    for row in run(done.group_by("currency").aggregate(**aggs)).to_pylist():
        out[_OVERALL].append(_value(row))
    if request.by is not None:
        grouped = done.group_by(["g", "currency"]).aggregate(**aggs)
        for row in run(grouped).to_pylist():
            out[row["g"]].append(_value(row))
    for values in out.values():
        values.sort(key=lambda v: (v.currency is None, v.currency or ""))
    return out


def _value(row: dict[str, Any]) -> ValueResult:
    total = Decimal(row["total"])
    count = int(row["conversions"])
    mean = (total / count).quantize(_FOUR_PLACES, rounding=ROUND_HALF_EVEN)
    return ValueResult(row["currency"], count, total, mean)


def _slice(
    key: Any, row: dict[str, Any] | None, values: list[ValueResult], request: FunnelRequest
) -> FunnelSlice:
    steps = []
    row = row or {}
    first = int(row.get("n1") or 0)
    prev: int | None = None
    for k, step in enumerate(request.steps, 1):
        count = int(row.get(f"n{k}") or 0)
        drop: int | None = None if prev is None else prev - count
        steps.append(
            StepResult(
                step=k,
                label=step.label,
                count=count,
                conversion_from_first=_ratio(count, first),
                conversion_from_previous=None if prev is None else _ratio(count, prev),
                drop_off=drop,
                drop_off_rate=None if prev is None or drop is None else _ratio(drop, prev),
                median_s_from_previous=row.get(f"mp{k}"),
                mean_s_from_previous=row.get(f"ap{k}"),
                median_s_from_first=row.get(f"mf{k}"),
                mean_s_from_first=row.get(f"af{k}"),
            )
        )
        prev = count
    return FunnelSlice(key, tuple(steps), tuple(values))


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


_LATEST = {
    "touchpoints": ("touchpoints", "ts_local"),
    "messages": ("d_messages", "ts_local"),
    "comments": ("d_comment_intents", "ts_local"),
    "orders": ("d_orders", "created_at_local"),
    "payments": ("d_orders", "paid_at_local"),
}


def default_period(
    client: Client, shop: str, steps: tuple[Step, ...], days: int = 30
) -> tuple[date, date]:
    """The last `days` local days up to the latest step-1 event of the shop (today when
    there is none) — like `socialscope staff`, but dated by the funnel's own data."""
    table, column = _LATEST[steps[0].source.name]
    t = client.engine.table(table)
    param = ibis.param("string").name("shop")
    latest = (
        client.engine.run(
            ("funnel/latest", table, column),
            lambda: (
                t.filter(t.shop_id == param).agg(latest=t[column].max()),
                {"shop": param},
            ),
            {"shop": shop},
        )
        .column("latest")[0]
        .as_py()
    )
    end = latest.date() if latest is not None else date.today()
    return end - timedelta(days=days - 1), end
