"""The service benchmark: the 3-minute reply rate and first response time, through
socialscope, and the normal form its results are compared in (against ``service_sql``).

Metrics (METRICS.md section 3): ``three_minute_reply_rate`` with its numerator and
denominator (``three_minute_good_conversations``, ``three_minute_eligible_conversations``)
and ``first_response_time`` as mean, median and p90 — one ``client.query`` call, by
(shop_id, date) for all shops or by date for one shop.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from benchmarks.overview import _iso

METRICS: tuple[str, ...] = (
    "three_minute_reply_rate",
    "three_minute_good_conversations",
    "three_minute_eligible_conversations",
    "first_response_time_avg",
    "first_response_time_median",
    "first_response_time_p90",
)
COUNTS = frozenset({"three_minute_good_conversations", "three_minute_eligible_conversations"})
REL_TOL = 1e-9
ABS_TOL = 1e-6

Key = tuple[str, str]
Rows = dict[Key, tuple[Any, ...]]


def socialscope_service(
    client: Any, date_from: date, date_to: date, shop: str | None = None
) -> Any:
    """The metrics through socialscope's Python API as an Arrow table (what is timed)."""
    by = ["date"] if shop else ["shop_id", "date"]
    result = client.query(list(METRICS), by=by, date_from=date_from, date_to=date_to, shop=shop)
    return result.to_arrow()


def _value(metric: str, value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0 if metric in COUNTS else None
    return int(value) if metric in COUNTS else float(value)


def normalise(rows: Iterable[dict[str, Any]], shop: str | None = None) -> Rows:
    """Rows (dicts with shop_id unless `shop`, date and METRICS) keyed by (shop, ISO date);
    rows with no eligible conversation and no first response are dropped (socialscope
    fills empty time buckets, the SQL does not produce them)."""
    out: Rows = {}
    for row in rows:
        values = tuple(_value(m, row[m]) for m in METRICS)
        eligible = values[METRICS.index("three_minute_eligible_conversations")]
        if eligible == 0 and values[METRICS.index("first_response_time_avg")] is None:
            continue
        key = (str(shop if shop is not None else row["shop_id"]), _iso(row["date"]))
        if key in out:
            raise AssertionError(f"service: two rows for {key}")
        out[key] = values
    return out


def from_arrow(table: Any, shop: str | None = None) -> Rows:
    return normalise(table.to_pylist(), shop)


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def diff(name_a: str, a: Rows, name_b: str, b: Rows, limit: int = 5) -> list[str]:
    """Human-readable differences (counts exact, floats within REL_TOL / ABS_TOL)."""
    problems: list[str] = []
    bad: list[Key] = []
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key), b.get(key)
        if va is None or vb is None or not all(_close(x, y) for x, y in zip(va, vb, strict=True)):
            bad.append(key)
    for key in bad[:limit]:
        problems.append(f"service {key}: {name_a}={a.get(key)} {name_b}={b.get(key)}")
    if len(bad) > limit:
        problems.append(f"service: ... {len(bad) - limit} more differing rows")
    if bad:
        problems.append(f"(columns: {', '.join(METRICS)})")
    return problems


def summary(rows: Rows) -> dict[str, Any]:
    """Totals of the compared rows (recorded with the check, to show what was covered)."""
    vals: Sequence[tuple[Any, ...]] = list(rows.values())
    idx = {m: i for i, m in enumerate(METRICS)}
    eligible = sum(v[idx["three_minute_eligible_conversations"]] for v in vals)
    good = sum(v[idx["three_minute_good_conversations"]] for v in vals)
    return {
        "eligible_conversations": eligible,
        "good_conversations": good,
        "reply_rate_overall": round(good / eligible, 4) if eligible else None,
        "rows_with_first_response": sum(
            1 for v in vals if v[idx["first_response_time_avg"]] is not None
        ),
    }
