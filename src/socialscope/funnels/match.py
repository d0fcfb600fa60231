"""Matching: one row per attempt (a step-1 event in the period) with how far it got.

Set-based: the entries, then one join + aggregation per step — for `ordered` the first
event of step k after step k−1's position within the windows; for `strict` the event at
the unit's very next position; for `any` a single join finding each step's first event
after the entry. Each step's join is a left join, so the chain stays linear (every step
reads the previous one once) and attempts that stopped carry nulls forward.

Output columns: a_key, a_unit, f (steps reached, ≥ 1), p1..pn (positions), t1..tn
(µs, when step k was matched), c1..cn (µs, when steps 1..k were all done), a_<dim>
(step 1's value of each `same` dimension), g_first (step 1's `by` value, when asked).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import ibis

from socialscope.funnels.request import FunnelRequest


def micros(d: timedelta) -> int:
    return d // timedelta(microseconds=1)


def attempts(ev: Any, request: FunnelRequest, lo: datetime, hi: datetime) -> Any:
    """Every step-1 event with shop-local time in [lo, hi) is an attempt."""
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
        cols["g_first"] = entry[f"d_{request.by}"]
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
        for k in range(2, n + 1):
            cur = _next_step(cur, ev, request, k)
        f = sum((cur[f"p{k}"].notnull().cast("int64") for k in range(2, n + 1)), ibis.literal(1))
        done = {f"c{k}": cur[f"t{k}"] for k in range(2, n + 1)}
    return cur.mutate(f=f, c1=cur.t1, **done)


def _candidates(ev: Any, request: FunnelRequest, flag: Any, extra: dict[str, Any]) -> Any:
    c = ev.filter(flag)
    return c.select(
        c_unit=c.unit,
        c_pos=c.pos,
        c_tus=c.tus,
        **{f"c_{d}": c[f"d_{d}"] for d in request.same},
        **{name: expr(c) for name, expr in extra.items()},
    )


def _common(cur: Any, cand: Any, request: FunnelRequest) -> list[Any]:
    conds = [cur.a_unit == cand.c_unit, cand.c_tus <= cur.a_dead]
    conds += [cand[f"c_{d}"] == cur[f"a_{d}"] for d in request.same]
    return conds


def _next_step(cur: Any, ev: Any, request: FunnelRequest, k: int) -> Any:
    """Attempts with step k's match (p_k, t_k null when there is none)."""
    strict = request.mode == "strict"
    extra = {"c_nxt": lambda c: c.nxt} if strict else {}
    cand = _candidates(ev, request, ev[f"s{k}"], extra)
    conds = _common(cur, cand, request)
    prev = cur[f"p{k - 1}"]
    after = (cand.c_pos == cur[f"n{k - 1}"]) if strict else (cand.c_pos > prev)
    conds.append((after | (cand.c_pos == prev)) if request.steps[k - 1].overlap else after)
    window = request.step_windows.get(k)
    if window is not None:
        conds.append(cand.c_tus <= cur[f"t{k - 1}"] + micros(window))
    keep = cur.columns
    joined = cur.left_join(cand, conds)
    aggs = {f"p{k}": joined.c_pos.min(), f"t{k}": joined.c_tus.min()}
    if strict:
        aggs[f"n{k}"] = joined.c_nxt.min()
    return joined.group_by(list(keep)).agg(**aggs)


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
    return joined.group_by(list(keep)).agg(**aggs)
