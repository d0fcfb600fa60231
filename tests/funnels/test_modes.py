"""Order modes, counting, time to convert, equal timestamps and windows (seeds/web).

Shop `seq` (Asia/Taipei; every event on 2026-03-10, local times below), funnel
impression → click → purchase:
  v1: impression 10:00, click 10:01, purchase 10:02
  v2: impression 10:00, product_view 10:01 (not a step), click 10:02, purchase 10:03
  v3: impression 10:00, click 10:01, impression 10:02, purchase 10:03
  v4: impression 10:00
  v5: impression 10:00, purchase 10:01, click 10:02
  v6: add_to_cart, checkout, add_to_cart, all at 11:00:00 (no impression)
Shop `win` (UTC, 2026-03-10):
  w1: click 10:00, purchase 11:00:00      w2: click 10:00, purchase 11:00:01
  w3: click 10:00, add_to_cart 10:05, purchase 10:15:00
  w4: click 10:00, add_to_cart 10:05, purchase 10:15:01
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.funnels.conftest import Seed, counts, hours

IMP = "impression,click,purchase"
DAY = "2026-03-10"


def test_ordered_unique(web: Seed) -> None:
    # v1..v5 entered (5). click after the entry: v1, v2 (10:02), v3, v5 (10:02) = 4.
    # purchase after that click: v1 10:02, v2 10:03, v3 10:03 = 3; v5's purchase (10:01)
    # came before its click.
    assert web.counts(IMP, "seq", DAY) == [5, 4, 3]


def test_strict_is_broken_by_an_interleaved_event_only(web: Seed) -> None:
    # v1: impression, click, purchase back to back = 3.
    # v2: a product_view (a touchpoint, so an event of the funnel's source) stands
    #     between impression and click = 1.
    # v3: entry 10:00 -> click 10:01 is next; next after it is the impression 10:02,
    #     not a purchase = 2; entry 10:02 -> next is the purchase, not a click = 1. Best 2.
    # v4 = 1; v5: the purchase follows the impression, not a click = 1.
    assert web.counts(IMP, "seq", DAY, mode="strict") == [5, 2, 1]


def test_any_order(web: Seed) -> None:
    # v5's purchase (10:01) before its click (10:02) now counts: v1, v2, v3, v5 reach
    # click and purchase; v4 only the impression.
    assert web.counts(IMP, "seq", DAY, mode="any") == [5, 4, 4]


def test_totals_count_every_entry(web: Seed) -> None:
    # Attempts: v1 (3 steps), v2 (3), v3@10:00 (3), v3@10:02 (1: no click after it),
    # v4 (1), v5 (2) -> step 1: 6, click: 4, purchase: 3.
    assert web.counts(IMP, "seq", DAY, counting="totals") == [6, 4, 3]
    # strict: v1 3, v2 1, v3@10:00 2, v3@10:02 1, v4 1, v5 1 -> [6, 2, 1]
    assert web.counts(IMP, "seq", DAY, counting="totals", mode="strict") == [6, 2, 1]


def test_rates_drop_off_and_times(web: Seed) -> None:
    result = web.run(IMP, "seq", DAY)
    first, click, purchase = result.overall.steps
    assert (first.conversion_from_first, first.conversion_from_previous) == (1.0, None)
    assert first.drop_off is None and first.median_s_from_previous is None
    # click: 4 of 5; dropped 1 (v4), 1/5
    assert (click.conversion_from_first, click.drop_off, click.drop_off_rate) == (0.8, 1, 0.2)
    # seconds impression -> click (best attempts): v1 60, v2 120, v3 60, v5 120
    # median of [60, 60, 120, 120] = (60 + 120) / 2 = 90; mean 90
    assert (click.median_s_from_previous, click.mean_s_from_previous) == (90.0, 90.0)
    # purchase: 3 of 4 clickers (0.75), 3 of 5 entrants (0.6); dropped 1 (v5), 1/4
    assert purchase.conversion_from_previous == 0.75
    assert purchase.conversion_from_first == 0.6
    assert (purchase.drop_off, purchase.drop_off_rate) == (1, 0.25)
    # click -> purchase: v1 60, v2 60, v3 120 -> median 60, mean 80
    assert (purchase.median_s_from_previous, purchase.mean_s_from_previous) == (60.0, 80.0)
    # entry -> purchase: v1 120, v2 180, v3 180 -> median 180, mean 160
    assert (purchase.median_s_from_first, purchase.mean_s_from_first) == (180.0, 160.0)


def test_equal_timestamps_follow_funnel_order(web: Seed) -> None:
    # v6: add_to_cart and checkout share 11:00:00. At equal times events count in funnel
    # order, so cart -> checkout converts, and so does checkout -> cart.
    assert web.counts("add_to_cart,checkout", "seq", DAY) == [1, 1]
    assert web.counts("checkout,add_to_cart", "seq", DAY) == [1, 1]
    # Two carts at the same instant both first match step 1: neither follows the other,
    # and one event never fills two steps -> cart -> cart does not convert.
    assert web.counts("add_to_cart,add_to_cart", "seq", DAY) == [1, 0]
    # totals: both carts are entries; both reach the checkout = [2, 2]
    assert web.counts("add_to_cart,checkout", "seq", DAY, counting="totals") == [2, 2]


def test_global_window_is_inclusive(web: Seed) -> None:
    # window 1 h from the click: w1 at exactly 1 h counts, w2 1 s later does not;
    # w3 (15 min) and w4 (15 min 1 s) count -> [4, 3]
    assert web.counts("click,purchase", "win", DAY, window=hours(1)) == [4, 3]
    assert web.counts("click,purchase", "win", DAY, window=hours(1) + timedelta(seconds=1)) == [
        4,
        4,
    ]


def test_step_window(web: Seed) -> None:
    # click -> add_to_cart -> purchase, at most 10 min from the cart to the purchase:
    # w1, w2 have no cart (1 each); w3 purchases exactly 10 min after its cart (3);
    # w4 10 min 1 s after (2) -> [4, 2, 1]; without the step window [4, 2, 2].
    steps = "click,add_to_cart,purchase"
    ten = {3: timedelta(minutes=10)}
    assert web.counts(steps, "win", DAY, step_windows=ten) == [4, 2, 1]
    assert web.counts(steps, "win", DAY) == [4, 2, 2]
    # strict: w3 and w4 have nothing between their steps -> the same numbers
    assert web.counts(steps, "win", DAY, step_windows=ten, mode="strict") == [4, 2, 1]


@pytest.mark.parametrize("mode", ["ordered", "strict", "any"])
def test_empty_period(web: Seed, mode: str) -> None:
    result = web.run(IMP, "seq", "2026-04-01", mode=mode)
    assert counts(result) == [0, 0, 0]
    # zero denominators are null, not 0
    assert [s.conversion_from_first for s in result.overall.steps] == [None, None, None]
    assert result.overall.steps[1].drop_off_rate is None
    assert result.overall.values == ()


def test_uncached_statement_gives_the_same_counts(
    web: Seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the engine cannot always parametrise a statement; the runner then compiles it with
    # the values bound — same hand-derived counts as test_ordered_unique and strict
    monkeypatch.setattr(web.client.engine, "statement", lambda shape, build: None)
    assert web.counts(IMP, "seq", DAY) == [5, 4, 3]
    assert web.counts(IMP, "seq", DAY, mode="strict")[0] == 5
