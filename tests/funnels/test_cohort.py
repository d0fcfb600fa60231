"""The entry cohort: shop-local period bounds (UTC+8, a DST day) and late entries.

Shop `late` (Asia/Taipei, UTC+8), period 2026-03-01 .. 2026-03-10, click → purchase:
  l1: click 03-10 23:30, purchase 03-12 09:00 (after the period, within 14 days)
  l2: click 03-11 00:30 local (= 03-10 16:30 UTC: the 10th in UTC, the 11th locally)
  l3: click 02-28 23:30 (before the period), click 03-02 10:00, purchase 03-02 11:00
  l4: click 02-28 20:00 (before the period), purchase 03-01 10:00
  l5: click 03-01 00:00:00 local (= 02-28 16:00 UTC), nothing else
Shop `waw` (Europe/Warsaw); 2026-03-29 is the spring-forward day (23 hours: local
00:00 = 03-28 23:00 UTC, next midnight = 03-29 22:00 UTC), click → purchase:
  d1 click 03-28 23:00:00Z (00:00:00 local, in)   d2 click 03-28 22:59:59Z (28th, out)
  d3 click 03-29 21:59:59Z (23:59:59 CEST, in), purchase 03-29 22:30Z (30 min 1 s later)
  d4 click 03-29 22:00:00Z (00:00 on the 30th, out)
"""

from __future__ import annotations

from tests.funnels.conftest import Seed


def test_local_bounds_and_late_conversion(web: Seed) -> None:
    result = web.run("click,purchase", "late", "2026-03-01", "2026-03-10")
    # cohort: l1 (last evening), l3 (entered again in the period), l5 (first instant);
    # not l2 (the 11th locally) nor l4 (its only click is before the period) -> 3.
    # purchases: l1 (converts after the period ends, inside its window), l3 -> 2.
    assert [s.count for s in result.overall.steps] == [3, 2]
    # l1: 03-10 23:30 -> 03-12 09:00 = 33 h 30 min = 120600 s; l3: 3600 s
    # median of two = mean = (120600 + 3600) / 2 = 62100
    assert result.overall.steps[1].median_s_from_previous == 62100.0


def test_entry_before_the_period_is_not_an_entry(web: Seed) -> None:
    # Only step-1 events inside the period are entries: l3 is in the cohort through its
    # 03-02 click (its 02-28 click is ignored, not a reason to exclude it), while l4
    # (click only on 02-28) is outside the cohort though it purchased on 03-01.
    result = web.run("click,purchase", "late", "2026-03-01", "2026-03-05")
    # cohort 03-01..03-05: l3, l5 -> [2, 1]
    assert [s.count for s in result.overall.steps] == [2, 1]


def test_dst_day_bounds(web: Seed) -> None:
    result = web.run("click,purchase", "waw", "2026-03-29")
    # cohort: d1, d3 -> 2; d3 purchases 30 min 1 s after its click -> 1
    assert [s.count for s in result.overall.steps] == [2, 1]
    assert result.overall.steps[1].median_s_from_previous == 1801.0
    # the day before holds d2 only; the day after d4 only
    assert [s.count for s in web.run("click,purchase", "waw", "2026-03-28").overall.steps] == [
        1,
        0,
    ]
    assert [s.count for s in web.run("click,purchase", "waw", "2026-03-30").overall.steps] == [
        1,
        0,
    ]
