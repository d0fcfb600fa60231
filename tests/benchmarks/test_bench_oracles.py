"""The benchmarks' own references, on hand-made inputs.

* The funnel benchmark's hand-written SQL (benchmarks/funnel.py) on a hand-built shop in
  Warsaw (DST on 2025-03-30), against counts worked out by hand — and run_funnel against
  the same counts, so the benchmark's equality check compares two things known to be right.
* A disagreement stops a benchmark (MismatchError, exit code 2), for both benchmarks.
* The attribution journeys have the properties the library comparisons rely on: no channel
  follows itself (so METRICS.md's collapse of repeated Markov states never applies) and
  `direct` only as a whole path (so "last non-direct touch" is the plain last touch).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import socialscope
from benchmarks import attribution, funnel
from benchmarks.attribution_data import CHANNELS, DIRECT, JourneyScale, generate_journeys
from benchmarks.common import MismatchError
from socialscope.ingest.loader import ingest_paths
from socialscope.store.duckdb import Store

SHOP = "w1"
# Every time below is UTC. Warsaw is UTC+1 until 2025-03-30 01:00 UTC, UTC+2 after.
TOUCHPOINTS = [
    # A: the whole funnel; the purchase shares the checkout's second (funnel order decides)
    ("a1", "A", "2025-03-05T10:00:00Z", "impression"),
    ("a2", "A", "2025-03-05T10:01:00Z", "click"),
    ("a3", "A", "2025-03-05T10:02:00Z", "product_view"),
    ("a4", "A", "2025-03-05T10:03:00Z", "add_to_cart"),
    ("a5", "A", "2025-03-05T10:04:00Z", "checkout"),
    ("a6", "A", "2025-03-05T10:04:00Z", "purchase"),
    # B: its first entry's click comes 15 days later (too late), its second entry's click
    # 6 days later (in time): best attempt reaches step 2
    ("b1", "B", "2025-03-01T09:00:00Z", "impression"),
    ("b2", "B", "2025-03-10T09:00:00Z", "impression"),
    ("b3", "B", "2025-03-16T09:00:00Z", "click"),
    # C: a click before the impression does not follow it
    ("c1", "C", "2025-03-06T08:00:00Z", "click"),
    ("c2", "C", "2025-03-06T08:05:00Z", "impression"),
    # D: impression and click at the same instant: the click comes after (funnel order)
    ("d1", "D", "2025-03-07T12:00:00Z", "click"),
    ("d2", "D", "2025-03-07T12:00:00Z", "impression"),
    # E: two impressions at the same instant: one visitor, step 1 only
    ("e1", "E", "2025-03-08T12:00:00Z", "impression"),
    ("e2", "E", "2025-03-08T12:00:00Z", "impression"),
    # F: entered 2025-02-28 23:30 Warsaw time (22:30 UTC) — before the period
    ("f1", "F", "2025-02-28T22:30:00Z", "impression"),
    ("f2", "F", "2025-03-02T10:00:00Z", "click"),
    # G: click exactly 14 days after the entry (counts; across the DST change), product
    # view one second later (does not)
    ("g1", "G", "2025-03-20T10:00:00Z", "impression"),
    ("g2", "G", "2025-04-03T10:00:00Z", "click"),
    ("g3", "G", "2025-04-03T10:00:01Z", "product_view"),
    # H: entered 2025-03-31 23:30 Warsaw time (21:30 UTC, summer time) — the period's last
    # local day, so it is in the cohort; a lead matches no step and changes nothing
    ("h1", "H", "2025-03-31T21:30:00Z", "impression"),
    ("h2", "H", "2025-03-31T21:31:00Z", "lead"),
    ("h3", "H", "2025-03-31T21:32:00Z", "click"),
]
# Step 1: A, B, C, D, E, G, H = 7 (F entered before the period).
# Step 2: A, B (second entry), D, G (exactly 14 days), H = 5.
# Step 3..6: only A (G's product view is 1 s past the window) = 1 each.
EXPECTED = [7, 5, 1, 1, 1, 1]
PERIOD = (date(2025, 3, 1), date(2025, 3, 31))


@pytest.fixture(scope="module")
def shop_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("funnel_oracle")
    (root / "shops.csv").write_text(f"shop_id,timezone,currency\n{SHOP},Europe/Warsaw,PLN\n")
    (root / "touchpoints.csv").write_text(
        "shop_id,event_id,visitor_id,ts,event\n"
        + "".join(f"{SHOP},{e},{v},{ts},{ev}\n" for e, v, ts, ev in TOUCHPOINTS)
    )
    db = root / "store.duckdb"
    store = Store(db)
    try:
        ingest_paths(store, [root / "shops.csv"], table="shops")
        report = ingest_paths(store, [root / "touchpoints.csv"], table="touchpoints")
        assert report.tables["touchpoints"].stored == len(TOUCHPOINTS)
    finally:
        store.close()
    client = socialscope.connect(db, read_only=True)
    yield client
    client.close()


def test_funnel_sql_oracle_matches_hand_counts(shop_store: Any) -> None:
    counts = funnel.sql_counts(shop_store.store.con, *PERIOD)
    assert counts == {SHOP: EXPECTED}
    assert funnel.sql_counts(shop_store.store.con, *PERIOD, shop=SHOP) == {SHOP: EXPECTED}
    assert funnel.sql_counts(shop_store.store.con, *PERIOD, shop="nobody") == {}


def test_run_funnel_matches_hand_counts(shop_store: Any) -> None:
    assert funnel.runner_counts(shop_store, [SHOP], *PERIOD) == {SHOP: EXPECTED}


def test_funnel_disagreement_stops_the_run() -> None:
    funnel._check("same", {"s": [3, 1, 1, 0, 0, 0]}, {"s": [3, 1, 1, 0, 0, 0]})
    funnel._check("no entries: zeros vs no row", {"s": [0] * 6}, {})
    with pytest.raises(MismatchError, match=r"s: socialscope \[3, 1, 0, 0, 0, 0\] vs SQL"):
        funnel._check("differs", {"s": [3, 1, 0, 0, 0, 0]}, {"s": [3, 2, 0, 0, 0, 0]})


def test_attribution_disagreement_stops_the_run() -> None:
    # within tolerance: the largest difference is returned
    assert attribution._compare("x", {"a": 1.0, "b": 2.0}, {"a": 1.004, "b": 2.0}, 0.01) == (
        pytest.approx(0.004)
    )
    # a channel only one side names counts as 0 on the other
    with pytest.raises(MismatchError, match=r"differs by 0\.5"):
        attribution._compare("x", {"a": 1.0}, {"a": 1.0, "b": 0.5}, 0.01)


def test_journeys_never_repeat_a_channel_and_direct_stands_alone(tmp_path: Path) -> None:
    data = generate_journeys(JourneyScale("t", 3_000), tmp_path)
    lines = (data / "journeys.csv").read_text().splitlines()
    assert lines[0] == ("path,total_conversions,total_conversion_value,total_null,hours_till_conv")
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == 3_000
    seen: set[str] = set()
    for path, conv, value, null, hours in rows:
        touches = path.split(" > ")
        assert 1 <= len(touches) <= 10
        assert all(a != b for a, b in itertools.pairwise(touches))
        assert DIRECT not in touches or touches == [DIRECT]
        times = [float(h) for h in hours.split(" > ")]
        assert len(times) == len(touches) and times == sorted(times, reverse=True)
        assert (conv, null) in (("1", "0"), ("0", "1"))
        assert (float(value) > 0) == (conv == "1")
        seen.update(touches)
    assert seen == {*CHANNELS, DIRECT}
    # the aggregated file holds the same journeys, one row per distinct path
    agg = [line.split(",") for line in (data / "paths.csv").read_text().splitlines()[1:]]
    assert len({r[0] for r in agg}) == len(agg) == len({r[0] for r in rows})
    assert sum(int(r[1]) + int(r[3]) for r in agg) == 3_000
