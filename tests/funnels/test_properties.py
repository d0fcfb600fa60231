"""Hypothesis properties of the funnel runner on random small touchpoint sets, and an
independent pure-Python reference of `ordered` + `unique` that it must agree with.

Events fall on whole minutes (so ties are frequent) from 23:50 UTC the day before the
period to 00:40 on its day; the period is that one day (shop in UTC), so some entries
fall before it.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialscope
from socialscope.client import Client
from socialscope.funnels import FunnelRequest, FunnelResult, Step, run_funnel

EVENTS = ("impression", "click", "add_to_cart", "purchase")
BASE = datetime(2026, 3, 9, 23, 50)
DAY = date(2026, 3, 10)
START = datetime(2026, 3, 10)
END = datetime(2026, 3, 11)


@dataclass(frozen=True)
class Ev:
    key: str
    unit: str
    event: str
    ts: datetime


events_st = st.lists(
    st.tuples(
        st.sampled_from(["v0", "v1", "v2", "v3"]), st.sampled_from(EVENTS), st.integers(0, 50)
    ),
    max_size=24,
).map(
    lambda rows: [
        Ev(f"e{i:03d}", u, e, BASE + timedelta(minutes=m)) for i, (u, e, m) in enumerate(rows)
    ]
)
steps_st = st.lists(st.sampled_from(EVENTS), min_size=2, max_size=4).map(tuple)
window_st = st.integers(1, 40).map(lambda m: timedelta(minutes=m))
step_windows_st = st.dictionaries(
    st.integers(2, 4), st.integers(1, 30).map(lambda m: timedelta(minutes=m)), max_size=2
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    path: Path = tmp_path_factory.mktemp("funnel_props") / "t.duckdb"
    with socialscope.connect(path) as c:
        c.ingest_arrow({"shops": pa.table({"shop_id": ["s"], "timezone": ["UTC"]})})
        yield c


def _load(client: Client, events: list[Ev]) -> None:
    client.store.con.execute("DELETE FROM touchpoints")
    if events:
        table = pa.table(
            {
                "shop_id": ["s"] * len(events),
                "event_id": [e.key for e in events],
                "visitor_id": [e.unit for e in events],
                "ts": [e.ts.isoformat() + "Z" for e in events],
                "event": [e.event for e in events],
            }
        )
        client.ingest_arrow({"touchpoints": table})
    client.invalidate()


def _run(client: Client, steps: tuple[str, ...], **kw: Any) -> FunnelResult:
    request = FunnelRequest(tuple(Step(s) for s in steps), "s", DAY, DAY, **kw)
    return run_funnel(client, request)


def _counts(result: FunnelResult) -> list[int]:
    return [s.count for s in result.overall.steps]


def reference(
    events: list[Ev],
    steps: tuple[str, ...],
    window: timedelta,
    step_windows: dict[int, timedelta],
) -> tuple[list[int], list[float | None]]:
    """ordered + unique, written from docs/funnels.md without the engine's tricks: per
    entry, each step greedily takes the earliest later event (at equal times, the event
    whose first matching step comes first is earlier); each unit counts its best entry
    (furthest step, then the earliest entry). Returns counts and the mean seconds from
    the previous step."""

    def rank(e: Ev) -> int:
        return steps.index(e.event) + 1 if e.event in steps else 99

    def order(e: Ev) -> tuple[datetime, int]:
        return (e.ts, rank(e))

    best: dict[str, tuple[int, list[datetime]]] = {}
    for unit in sorted({e.unit for e in events}):
        mine = [e for e in events if e.unit == unit]
        entries = sorted(
            (e for e in mine if e.event == steps[0] and START <= e.ts < END),
            key=lambda e: (order(e), e.key),
        )
        for entry in entries:
            path, last = [entry.ts], entry
            for k in range(2, len(steps) + 1):
                cands = [
                    e
                    for e in mine
                    if e.event == steps[k - 1]
                    and order(e) > order(last)
                    and e.ts <= entry.ts + window
                    and (k not in step_windows or e.ts <= last.ts + step_windows[k])
                ]
                if not cands:
                    break
                last = min(cands, key=order)
                path.append(last.ts)
            if unit not in best or len(path) > best[unit][0]:
                best[unit] = (len(path), path)
    counts = [sum(1 for f, _ in best.values() if f >= k) for k in range(1, len(steps) + 1)]
    means: list[float | None] = [None]
    for k in range(2, len(steps) + 1):
        gaps = [(p[k - 1] - p[k - 2]).total_seconds() for f, p in best.values() if f >= k]
        means.append(statistics.fmean(gaps) if gaps else None)
    return counts, means


PROPS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPS
@given(events=events_st, steps=steps_st, window=window_st, step_windows=step_windows_st)
def test_agrees_with_reference(
    client: Client,
    events: list[Ev],
    steps: tuple[str, ...],
    window: timedelta,
    step_windows: dict[int, timedelta],
) -> None:
    step_windows = {k: w for k, w in step_windows.items() if k <= len(steps)}
    _load(client, events)
    result = _run(client, steps, window=window, step_windows=step_windows)
    counts, means = reference(events, steps, window, step_windows)
    assert _counts(result) == counts
    got = [s.mean_s_from_previous for s in result.overall.steps]
    assert got == pytest.approx(means)


def _never_lower(high: list[int], low: list[int]) -> bool:
    return all(h >= lo for h, lo in zip(high, low, strict=True))


@settings(PROPS, max_examples=25)
@given(
    events=events_st,
    steps=steps_st,
    window=window_st,
    extra=window_st,
    mode=st.sampled_from(["ordered", "strict", "any"]),
)
def test_monotone_properties(
    client: Client,
    events: list[Ev],
    steps: tuple[str, ...],
    window: timedelta,
    extra: timedelta,
    mode: str,
) -> None:
    _load(client, events)
    ordered = _counts(_run(client, steps, window=window))
    strict = _counts(_run(client, steps, window=window, mode="strict"))
    any_order = _counts(_run(client, steps, window=window, mode="any"))
    totals = _counts(_run(client, steps, window=window, counting="totals"))
    for c in (ordered, strict, any_order, totals):
        # counts never increase from one step to the next
        assert all(a >= b for a, b in itertools.pairwise(c)), c
    # ordered ≥ strict at every step; totals ≥ unique at step 1
    assert _never_lower(ordered, strict), (ordered, strict)
    assert totals[0] >= ordered[0]
    # a longer window never lowers a count (in the drawn mode)
    shorter = {"ordered": ordered, "strict": strict, "any": any_order}[mode]
    longer = _counts(_run(client, steps, window=window + extra, mode=mode))
    assert _never_lower(longer, shorter), (mode, shorter, longer)
