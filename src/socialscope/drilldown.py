"""Drill-down: the conversations and orders behind the service and conversion metrics.

One row per conversation (`conversations`) or per order (`orders`), built in Ibis from the
same derived tables and the same fact preparation functions as the metrics
(`metrics/library/service_facts.py`, `conversion_facts.py`), so counting the rows gives
the metric values (tests/drilldown/test_property.py checks it). Scoping by shop follows
queries exactly (`Runner._scope`): a named shop, the only shop of the store, or several
shops when they are all named (`--where shop_id=a,b`).

Conversation rows are dated like the conversation-level metrics: by the local time of the
conversation's first event, in [from 00:00, to 24:00). Their columns:

- `first_ts` / `last_ts`: first and last event, shop-local.
- `is_human`, `rounds` (human rounds), `unanswered_rounds` (human rounds without a reply),
  `first_response_s` (response time of the first human round when it was replied),
  `longest_response_s` (largest response time of its replied human rounds),
  `unreplied` (human and no agent message at all).
- `three_minute`: `good` / `failed` / `not_eligible` (no eligible round) by the 3-minute
  rule with `threshold_s`; `three_minute_failed_round`: the round number (round_no of
  section 1, counted over all rounds of the conversation) of the first eligible round that
  failed (unanswered or replied later than threshold_s), else null; `three_minute_date`:
  the local date of its first eligible round (the date the 3-minute metrics use).
- `csat`: the score of the conversation's latest csat rating (by ts), if any.
- `order_ids`: the orders, not cancelled, whose conversation_id is this conversation
  (the direct link; orders matched only by the inquiry window are on the customer's
  `inquiry_outcome` and in `orders`), by created_at.
- `inquiry_outcome`: the outcome of the conversation's customer (person_id) in the
  query period's inquiry cohort (section 4, `inquiry_window_h`): `converted` (a paid
  order in their window), else `pending` while their window — last customer message in
  the period + inquiry_window_h — ends after `as_of`, else `ordered_unpaid` (orders, none
  paid) or `lost` (no order). `as_of` is the end of the shop's data: its latest message
  ts, order created_at or paid_at. Null when the customer sent no customer message in the
  period (not in the cohort). Converted is final; the metrics count a pending customer as
  unpaid or lost, whichever they are so far.

Order rows: orders created in the period (local), cancelled ones included with
`cancelled` true (the order metrics leave them out), with the attributed staff and
`order_type` `inquiry` / `silent` by the inquiry rule (`inquiry_window_h`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis
import pyarrow as pa

from socialscope.metrics import frames as frames_
from socialscope.metrics.compile import plan_facts, query_params
from socialscope.metrics.execute import Runner
from socialscope.metrics.facts import FACTS
from socialscope.metrics.factspec import PERIOD_FROM, PERIOD_TO
from socialscope.metrics.library import conversion_facts as cf
from socialscope.metrics.library import service as service_lib
from socialscope.metrics.library import service_facts as sf
from socialscope.metrics.library.conversion import WINDOW
from socialscope.metrics.query import Query, QueryError, make_query
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import Count, ParamSpec
from socialscope.metrics.time import local_bounds

Lookup = Callable[[str], Any]

THREE_MINUTE_VALUES = ("good", "failed", "not_eligible")
OUTCOME_VALUES = ("converted", "ordered_unpaid", "lost", "pending")
ORDER_TYPE_VALUES = ("inquiry", "silent")

CONVERSATION_COLUMNS: tuple[str, ...] = (
    "shop_id",
    "conversation_id",
    "channel",
    "customer_id",
    "person_id",
    "staff_id",
    "first_ts",
    "last_ts",
    "is_human",
    "rounds",
    "first_response_s",
    "longest_response_s",
    "unanswered_rounds",
    "unreplied",
    "three_minute",
    "three_minute_failed_round",
    "three_minute_date",
    "csat",
    "order_ids",
    "inquiry_outcome",
)
CONVERSATION_FILTERS: tuple[str, ...] = (
    "shop_id",
    "conversation_id",
    "channel",
    "customer_id",
    "person_id",
    "staff_id",
    "is_human",
    "unreplied",
    "three_minute",
    "inquiry_outcome",
)
ORDER_COLUMNS: tuple[str, ...] = (
    "shop_id",
    "order_id",
    "created_at",
    "customer_id",
    "source",
    "channel",
    "currency",
    "amount",
    "paid",
    "paid_at",
    "refunded_amount",
    "cancelled",
    "staff_id",
    "conversation_id",
    "order_type",
)
ORDER_FILTERS: tuple[str, ...] = (
    "shop_id",
    "order_id",
    "customer_id",
    "source",
    "channel",
    "currency",
    "paid",
    "cancelled",
    "staff_id",
    "conversation_id",
    "order_type",
)
_ENUMS: dict[str, tuple[str, ...]] = {
    "three_minute": THREE_MINUTE_VALUES,
    "inquiry_outcome": OUTCOME_VALUES,
    "order_type": ORDER_TYPE_VALUES,
}
_BOOLEANS = frozenset({"is_human", "unreplied", "paid", "cancelled"})
_TRUE = frozenset({"true", "yes", "1", "t", "y"})
_FALSE = frozenset({"false", "no", "0", "f", "n"})

CONVERSATION_PARAMS: tuple[ParamSpec, ...] = tuple(
    p
    for p in (service_lib.THRESHOLD, getattr(service_lib, "DURATION", None), WINDOW)
    if isinstance(p, ParamSpec)
)
"""threshold_s, inquiry_window_h and, where the service library offers it, duration."""
ORDER_PARAMS: tuple[ParamSpec, ...] = (WINDOW,)


@dataclass
class DrilldownResult:
    """Drill-down rows (columnar; `rows` builds Python dicts on first use)."""

    kind: str  # "conversations" | "orders"
    columns: list[str]
    date_from: date
    date_to: date
    params: dict[str, Any] = field(default_factory=dict)
    _table: pa.Table | None = None
    _rows: list[dict[str, Any]] | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        if self._rows is None:
            assert self._table is not None
            self._rows = frames_.records(self._table)
        return self._rows

    def to_arrow(self) -> pa.Table:
        assert self._table is not None
        return self._table

    def to_pandas(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)

    def __len__(self) -> int:
        return int(self.to_arrow().num_rows)


# -- inputs --------------------------------------------------------------------------------
def _as_tuple(value: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(","))
    return tuple(str(v).strip() for v in value)


def _filters(
    where: Mapping[str, str | Sequence[str]] | None, allowed: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for name, raw in (where or {}).items():
        if name not in allowed:
            raise QueryError(f"cannot filter on {name!r}; filters: {', '.join(allowed)}")
        values = _as_tuple(raw)
        if name in _ENUMS:
            for v in values:
                if v not in _ENUMS[name]:
                    raise QueryError(f"{name} is one of {', '.join(_ENUMS[name])}; got {v!r}")
        if name in _BOOLEANS:
            for v in values:
                if v.lower() not in _TRUE | _FALSE:
                    raise QueryError(f"{name} is true or false; got {v!r}")
        out[name] = values
    return out


def _params(given: Mapping[str, Any] | None, specs: Sequence[ParamSpec]) -> dict[str, Any]:
    """Parameter values as the metrics parse them (defaults when absent)."""
    given = dict(given or {})
    known = {p.name for p in specs}
    for name in given:
        if name not in known:
            raise QueryError(f"unknown parameter {name!r}; known: {', '.join(sorted(known))}")
    values: dict[str, Any] = {}
    for p in specs:
        raw = given.get(p.name, p.default)
        if isinstance(raw, list | tuple):
            raw = ",".join(str(v) for v in raw)
        try:
            values[p.name] = p.parse(raw) if isinstance(raw, str) else raw
        except (TypeError, ValueError) as exc:
            raise QueryError(f"parameter {p.name}: {exc}") from None
    try:
        sf.threshold_s(values)
        cf.window_hours(values)
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    return values


def _count_where(metric_id: str) -> Callable[[Any], Any]:
    """The row predicate of a Count metric (so a flag means exactly what the metric counts)."""
    agg = REGISTRY.get(metric_id).agg
    assert isinstance(agg, Count) and agg.where is not None, metric_id
    return agg.where


# -- running -------------------------------------------------------------------------------
class Drilldown:
    """Builds and runs drill-down queries on a Runner's engine, scoped like its queries."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def _scope(
        self, shop: str | None, shop_filter: tuple[str, ...]
    ) -> tuple[tuple[str, ...] | None, str | None]:
        wanted = set(shop_filter) | ({shop} if shop is not None else set())
        q = Query(
            metrics=(),
            dimensions=("shop_id",) if len(wanted) > 1 else (),
            shop=shop,
            filters={"shop_id": shop_filter} if shop_filter else {},
        )
        return self.runner._scope(q)

    def _period(
        self,
        metric_id: str,
        shops: tuple[str, ...] | None,
        shop: str | None,
        date_from: date | str | None,
        date_to: date | str | None,
    ) -> tuple[date, date]:
        """[from, to] like a query of `metric_id`: missing ends from the data's range."""
        q = make_query(metric_id, None, date_from, date_to)
        start, end = q.date_from, q.date_to
        if start is None or end is None:
            plans = plan_facts([REGISTRY.get(metric_id)], (), {}, shops, {})
            data = self.runner._data_range(plans, shops, shop) or (date.today(), date.today())
            start = start or data[0]
            end = end or data[1]
            if start > end:
                start = end
        return start, end

    def _run(
        self,
        kind: str,
        build_rows: Callable[[Lookup, Any, Any, Mapping[str, Any]], Any],
        columns: Sequence[str],
        order: Sequence[str],
        metric_id: str,
        shop: str | None,
        date_from: date | str | None,
        date_to: date | str | None,
        where: Mapping[str, str | Sequence[str]] | None,
        params: Mapping[str, Any] | None,
        param_specs: Sequence[ParamSpec],
        allowed: Sequence[str],
        limit: int | None,
    ) -> DrilldownResult:
        filters = _filters(where, allowed)
        values_ = _params(params, param_specs)
        if limit is not None and limit < 0:
            raise QueryError("limit must be ≥ 0")
        shops, one = self._scope(shop, filters.pop("shop_id", ()))
        start, end = self._period(metric_id, shops, one, date_from, date_to)
        engine = self.runner.engine

        def build() -> tuple[Any, dict[str, Any]]:
            shared = query_params()
            named: dict[str, Any] = {"ts_from": shared["ts_from"], "ts_to": shared["ts_to"]}
            if shops is None:
                named["shop"] = shared["shop"]

            def lookup(name: str) -> Any:
                t = engine.table(name)
                if shops is None:
                    return t.filter(t.shop_id == shared["shop"])
                return t.filter(t.shop_id.isin(list(shops)))

            t = build_rows(lookup, shared["ts_from"], shared["ts_to"], values_)
            t = t.select(*columns)
            for name, vals in sorted(filters.items()):
                t = t.filter(_match(t[name], name, vals))
            t = t.order_by(*order)
            if limit is not None:
                t = t.limit(limit)
            return t, named

        ts_from, ts_to = local_bounds(start, end)
        bound: dict[str, Any] = {"ts_from": ts_from, "ts_to": ts_to}
        if one is not None:
            bound["shop"] = one
        shape = (
            "drilldown",
            kind,
            shops,
            tuple(sorted(filters.items())),
            tuple(sorted((k, str(v)) for k, v in values_.items())),
            limit,
        )
        table = engine.run(shape, build, bound)
        return DrilldownResult(kind, list(columns), start, end, values_, _table=table)

    # -- the two drill-downs ---------------------------------------------------------
    def conversations(
        self,
        shop: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        where: Mapping[str, str | Sequence[str]] | None = None,
        params: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> DrilldownResult:
        return self._run(
            "conversations",
            conversation_rows,
            CONVERSATION_COLUMNS,
            ("shop_id", "first_ts", "conversation_id"),
            "conversations",
            shop,
            date_from,
            date_to,
            where,
            params,
            CONVERSATION_PARAMS,
            CONVERSATION_FILTERS,
            limit,
        )

    def orders(
        self,
        shop: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        where: Mapping[str, str | Sequence[str]] | None = None,
        params: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> DrilldownResult:
        return self._run(
            "orders",
            order_rows,
            ORDER_COLUMNS,
            ("shop_id", "created_at", "order_id"),
            "order_count",
            shop,
            date_from,
            date_to,
            where,
            params,
            ORDER_PARAMS,
            ORDER_FILTERS,
            limit,
        )


def _match(column: Any, name: str, values: Sequence[str]) -> Any:
    """A filter on one output column: any of the values; an empty value matches null."""
    if name in _BOOLEANS:
        wanted = {v.lower() in _TRUE for v in values}
        if len(wanted) == 2:
            return column.notnull()
        return column == ibis.literal(wanted.pop())
    present = [v for v in values if v != ""]
    pred = column.isin(present) if present else ibis.literal(False)
    if len(present) < len(values):
        pred = pred | column.isnull()
    return pred


# -- conversation rows ---------------------------------------------------------------------
def conversation_rows(lookup: Lookup, p_from: Any, p_to: Any, params: Mapping[str, Any]) -> Any:
    """d_conversations dated in [p_from, p_to) with the service and inquiry columns."""
    conv = lookup("d_conversations")
    c = conv.filter(conv.first_ts_local >= p_from, conv.first_ts_local < p_to)
    c = c.mutate(unreplied=_count_where("unreplied_conversations")(c))

    # last event, shop-local
    dm = lookup("d_messages")
    last = dm.group_by(l_shop=dm.shop_id, l_conv=dm.conversation_id).agg(
        l_last_local=dm.ts_local.argmax(dm.ts)
    )
    c = c.left_join(last, [c.shop_id == last.l_shop, c.conversation_id == last.l_conv])
    c = c.drop("l_shop", "l_conv")

    # human rounds: unanswered and longest reply (the human_rounds fact's rows)
    rounds = lookup("d_rounds")
    human = FACTS["human_rounds"]
    assert human.base_filter is not None
    hr = rounds if human.prepare is None else human.prepare(rounds, lookup, params)
    hr = hr.filter(human.base_filter(hr))
    unanswered = _count_where("unanswered_rounds")(hr)
    rstats = hr.group_by(r_shop=hr.shop_id, r_conv=hr.conversation_id).agg(
        unanswered_rounds=hr.count(where=unanswered.fill_null(False)),
        longest_response_s=hr.response_s.max(where=hr.reply_ts.notnull()),
    )
    c = c.left_join(rstats, [c.shop_id == rstats.r_shop, c.conversation_id == rstats.r_conv])
    c = c.drop("r_shop", "r_conv")

    # first response: the first_responses fact (response when its first round was replied)
    fr = sf.first_responses(conv, lookup, params)
    fr = fr.select(
        f_shop=fr.shop_id,
        f_conv=fr.conversation_id,
        first_response_s=ibis.ifelse(fr.replied, fr.response_s, ibis.null(fr.response_s.type())),
    )
    c = c.left_join(fr, [c.shop_id == fr.f_shop, c.conversation_id == fr.f_conv])
    c = c.drop("f_shop", "f_conv")

    # 3-minute rule: the conversation fact, and the same rule per round for the failed one
    tm = sf.three_minute_conversations(rounds, lookup, params)
    tm = tm.select(
        t_shop=tm.shop_id,
        t_conv=tm.conversation_id,
        t_first=tm.effective_start_local,
        t_good=tm.is_good,
    )
    c = c.left_join(tm, [c.shop_id == tm.t_shop, c.conversation_id == tm.t_conv])
    failed = failed_eligible_rounds(rounds, lookup, params)
    first_failed = failed.group_by(x_shop=failed.shop_id, x_conv=failed.conversation_id).agg(
        three_minute_failed_round=failed.round_no.min()
    )
    c = c.left_join(
        first_failed, [c.shop_id == first_failed.x_shop, c.conversation_id == first_failed.x_conv]
    )
    c = c.mutate(
        three_minute=ibis.cases(
            (c.t_good.isnull(), "not_eligible"), (c.t_good, "good"), else_="failed"
        ),
        three_minute_date=c.t_first.date(),
    ).drop("t_shop", "t_conv", "t_good", "t_first", "x_shop", "x_conv")

    # csat: the latest csat rating of the conversation
    ratings = lookup("ratings")
    csat_filter = FACTS["csat_ratings"].base_filter
    assert csat_filter is not None
    cr = ratings.filter(csat_filter(ratings), ratings.conversation_id.notnull())
    cr = cr.mutate(
        _rn=ibis.row_number().over(
            group_by=[cr.shop_id, cr.conversation_id],
            order_by=[cr.ts.desc(), cr.rating_id.desc()],
        )
    )
    cr = cr.filter(cr._rn == 0).select(k_shop=cr.shop_id, k_conv=cr.conversation_id, csat=cr.score)
    c = c.left_join(cr, [c.shop_id == cr.k_shop, c.conversation_id == cr.k_conv])
    c = c.drop("k_shop", "k_conv")

    # orders linked by conversation_id (not cancelled)
    orders = lookup("d_orders")
    lo = orders.filter(~orders.is_cancelled, orders.conversation_id.notnull())
    linked = lo.group_by(o_shop=lo.shop_id, o_conv=lo.conversation_id).agg(
        order_ids=lo.order_id.collect(order_by=[lo.created_at, lo.order_id])
    )
    c = c.left_join(linked, [c.shop_id == linked.o_shop, c.conversation_id == linked.o_conv])
    c = c.drop("o_shop", "o_conv")

    # the customer's inquiry outcome in the period's cohort
    oc = customer_outcomes(lookup, p_from, p_to, params)
    c = c.left_join(oc, [c.shop_id == oc.q_shop, c.person_id == oc.q_person])
    c = c.drop("q_shop", "q_person")

    return c.mutate(
        first_ts=c.first_ts_local,
        last_ts=c.l_last_local,
        rounds=c.n_human_rounds.cast("int64"),
        unanswered_rounds=c.unanswered_rounds.coalesce(0),
    )


def failed_eligible_rounds(rounds: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """The eligible rounds that fail the 3-minute rule: (shop_id, conversation_id, round_no).

    Runs `three_minute_conversations` itself with each round as its own group (the round
    number rides in the staff column it groups by), so eligibility and "good" are the
    rule's own, not restated here.
    """
    per_round = rounds.mutate(conv_staff_id=rounds.round_no.cast("string"))
    tm = sf.three_minute_conversations(per_round, lookup, params)
    tm = tm.filter(~tm.is_good)
    return tm.select("shop_id", "conversation_id", round_no=tm.conv_staff_id.cast("int64"))


def customer_outcomes(lookup: Lookup, p_from: Any, p_to: Any, params: Mapping[str, Any]) -> Any:
    """(q_shop, q_person, inquiry_outcome) of the period's inquiry cohort
    (`prepare_inquiry_customers`), with `pending` while a non-converted customer's window
    ends after the end of the shop's data."""
    window = ibis.interval(hours=cf.window_hours(params))
    dm = lookup("d_messages")
    cohort = cf.prepare_inquiry_customers(
        dm, lookup, {**params, PERIOD_FROM: p_from, PERIOD_TO: p_to}
    )
    cohort = cohort.select(
        "shop_id", "person_id", "last_ts", "is_converted", "is_unpaid", "is_lost"
    ).distinct()
    as_of = data_end(lookup)
    j = cohort.left_join(as_of, cohort.shop_id == as_of.e_shop)
    outcome = ibis.cases(
        (j.is_converted, "converted"),
        (j.last_ts + window > j.as_of, "pending"),
        (j.is_unpaid, "ordered_unpaid"),
        else_="lost",
    )
    return j.select(q_shop=j.shop_id, q_person=j.person_id, inquiry_outcome=outcome)


def data_end(lookup: Lookup) -> Any:
    """(e_shop, as_of): the end of each shop's data — its latest message ts, order
    created_at or paid_at (UTC)."""
    dm = lookup("d_messages")
    orders = lookup("d_orders")
    m = dm.group_by(e_shop=dm.shop_id).agg(e_ts=dm.ts.max())
    o1 = orders.group_by(e_shop=orders.shop_id).agg(e_ts=orders.created_at.max())
    o2 = orders.group_by(e_shop=orders.shop_id).agg(e_ts=orders.paid_at.max())
    u = ibis.union(m, o1, o2, distinct=False)
    return u.group_by("e_shop").agg(as_of=u.e_ts.max())


# -- order rows ----------------------------------------------------------------------------
def order_rows(lookup: Lookup, p_from: Any, p_to: Any, params: Mapping[str, Any]) -> Any:
    """d_orders created in [p_from, p_to) (cancelled included) with the inquiry rule."""
    orders = lookup("d_orders")
    o = cf.prepare_inquiry_orders(orders, lookup, {**params, PERIOD_FROM: p_from, PERIOD_TO: p_to})
    o = o.filter(o.created_at_local >= p_from, o.created_at_local < p_to)
    return o.mutate(
        created_at=o.created_at_local,
        paid_at=o.paid_at_local,
        paid=o.is_paid,
        cancelled=o.is_cancelled,
        staff_id=o.attributed_staff_id,
        order_type=ibis.ifelse(o.is_inquiry, "inquiry", "silent"),
    )
