"""Matching: one row per attempt (a step-1 event in the period) with how far it got.

Set-based: the entries, then one join + aggregation per step over the attempts still
going — for `ordered` the first event of step k after step k−1's position within the
windows; for `strict` the event at the unit's very next position — each step's matches
left-joined back to the entries; for `any` a single join finding each step's first event
after the entry.

Output columns: a_key, a_unit, f (steps reached, ≥ 1), p1..pn (positions), t1..tn
(µs, when step k was matched), c1..cn (µs, when steps 1..k were all done), a_<dim>
(step 1's value of each `same` dimension), g1..gn (each matched event's `by` value, when
asked: g1 always, g2..gn with breakdown_at=last), v and cur (value and currency of the
event matched at step n). Columns of a matched event come from the first event at the
matched position, by event key (`_first`), so ties resolve the same way every run.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import ibis

from socialscope.funnels.request import FunnelRequest


def micros(d: timedelta) -> int:
    return d // timedelta(microseconds=1)


def attempts(ev: Any, request: FunnelRequest, lo: Any, hi: Any) -> Any:
    """Every step-1 event with shop-local time in [lo, hi) (values or Ibis params) is an
    attempt."""
    n = len(request.steps)
    if request.mode == "strict":
        nxt = ibis.window(group_by=ev.unit, order_by=ev.pos, range=(1, None))
        ev = ev.mutate(nxt=ev.pos.min().over(nxt))
    entry = ev.filter(ev.s1, ev.local >= lo, ev.local < hi)
    cols: dict[str, Any] = {
        "a_key": entry.key,
        "a_unit": entry.unit,
        "a_dead": entry.tus + micros(request.window),
        "p1": entry.pos,
        "t1": entry.tus,
        **{f"a_{d}": entry[f"d_{d}"] for d in request.same},
    }
    if request.by is not None:
        cols["g1"] = entry[f"d_{request.by}"]
    if request.mode == "strict":
        cols["n1"] = entry.nxt
    cur = entry.select(**cols)
    if request.mode == "any":
        cur = _any_steps(cur, ev, request)
        reached = [cur[f"p{k}"].notnull() for k in range(2, n + 1)]
        f = ibis.cases(*((ibis.and_(*reached[: k - 1]), k) for k in range(n, 1, -1)), else_=1)
        done = {
            f"c{k}": ibis.greatest(*(cur[f"t{j}"] for j in range(1, k + 1)))
            for k in range(2, n + 1)
        }
    else:
        cur = _ordered_steps(cur, ev, request)
        f = sum((cur[f"p{k}"].notnull().cast("int64") for k in range(2, n + 1)), ibis.literal(1))
        done = {f"c{k}": cur[f"t{k}"] for k in range(2, n + 1)}
    return cur.mutate(f=f, c1=cur.t1, **done)


def _candidates(ev: Any, request: FunnelRequest, flag: Any, extra: dict[str, Any]) -> Any:
    c = ev.filter(flag)
    cols = {
        "c_unit": c.unit,
        "c_pos": c.pos,
        "c_tus": c.tus,
        "c_key": c.key,
        "c_value": c.value,
        "c_currency": c.currency,
        **{f"c_{d}": c[f"d_{d}"] for d in request.same},
        **{name: expr(c) for name, expr in extra.items()},
    }
    if request.by is not None:
        cols["c_g"] = c[f"d_{request.by}"]
    return c.select(**cols)


def _first(joined: Any, column: str, where: Any = None) -> Any:
    """The column of the earliest candidate (position, then event key)."""
    order = ibis.struct({"p": joined.c_pos, "k": joined.c_key})
    return joined[column].argmin(order, where=where)


def _matched_columns(
    joined: Any, request: FunnelRequest, k: int, where: Any = None
) -> dict[str, Any]:
    """What the result needs from step k's event: the final step's value, and each later
    step's `by` value for a last-step breakdown."""
    out: dict[str, Any] = {}
    if k == len(request.steps):
        out["v"] = _first(joined, "c_value", where)
        out["cur"] = _first(joined, "c_currency", where)
    if request.by is not None and request.breakdown_at == "last":
        out[f"g{k}"] = _first(joined, "c_g", where)
    return out


def _common(cur: Any, cand: Any, request: FunnelRequest) -> list[Any]:
    conds = [cur.a_unit == cand.c_unit, cand.c_tus <= cur.a_dead]
    conds += [cand[f"c_{d}"] == cur[f"a_{d}"] for d in request.same]
    return conds


def _ordered_steps(cur: Any, ev: Any, request: FunnelRequest) -> Any:
    """Steps 2..n matched one after the other; attempts left behind keep nulls."""
    strict = request.mode == "strict"
    carry = ["a_key", "a_unit", "a_dead", *(f"a_{d}" for d in request.same)]
    alive = cur.select(*carry, q_pos=cur.p1, q_tus=cur.t1, **({"q_nxt": cur.n1} if strict else {}))
    for k in range(2, len(request.steps) + 1):
        alive = _next_step(alive, ev, request, k, carry)
        extra = [c for c in alive.columns if c in ("v", "cur") or c == f"g{k}"]
        found = alive.select(
            *extra, **{f"k{k}": alive.a_key, f"p{k}": alive.q_pos, f"t{k}": alive.q_tus}
        )
        cur = cur.left_join(found, cur.a_key == found[f"k{k}"]).drop(f"k{k}")
    return cur


def _next_step(alive: Any, ev: Any, request: FunnelRequest, k: int, carry: list[str]) -> Any:
    """The attempts that reach step k, with where (q_pos, q_nxt) and when (q_tus)."""
    strict = request.mode == "strict"
    extra = {"c_nxt": lambda c: c.nxt} if strict else {}
    cand = _candidates(ev, request, ev[f"s{k}"], extra)
    conds = _common(alive, cand, request)
    after = (cand.c_pos == alive.q_nxt) if strict else (cand.c_pos > alive.q_pos)
    overlap = request.steps[k - 1].overlap
    conds.append((after | (cand.c_pos == alive.q_pos)) if overlap else after)
    window = request.step_windows.get(k)
    if window is not None:
        conds.append(cand.c_tus <= alive.q_tus + micros(window))
    joined = alive.join(cand, conds)
    aggs = {
        "q_pos": joined.c_pos.min(),
        "q_tus": joined.c_tus.min(),
        **_matched_columns(joined, request, k),
    }
    if strict:
        aggs["q_nxt"] = joined.c_nxt.min()
    return joined.group_by(carry).agg(**aggs)


def _any_steps(cur: Any, ev: Any, request: FunnelRequest) -> Any:
    """Each later step's first event after the entry, in any order, within the window."""
    n = len(request.steps)
    later = range(2, n + 1)
    flags = {f"c_s{k}": (lambda c, k=k: c[f"s{k}"]) for k in later}
    cand = _candidates(ev, request, ibis.or_(*(ev[f"s{k}"] for k in later)), flags)
    conds = [*_common(cur, cand, request), cand.c_pos >= cur.p1]
    keep = cur.columns
    joined = cur.left_join(cand, conds)
    aggs: dict[str, Any] = {}
    for k in later:
        hit = joined[f"c_s{k}"]
        if not request.steps[k - 1].overlap:
            hit = hit & (joined.c_pos > joined.p1)
        aggs[f"p{k}"] = joined.c_pos.min(where=hit)
        aggs[f"t{k}"] = joined.c_tus.min(where=hit)
        aggs.update(_matched_columns(joined, request, k, where=hit))
    return joined.group_by(list(keep)).agg(**aggs)
