"""Oracle tests of the product traffic metrics and runner (METRICS.md section 9).

Every expected number in test_*.py was worked out by hand from /work/shared/METRICS.md and
the choices written in the metrics' notes (docs/products.md), with the reasoning next to
it; none was produced by running socialscope. When a test fails, re-derive the value by
hand before touching the expectation.

seeds/compass: tp_shop (Asia/Taipei, UTC+8, products P1 shoes, P2 bags, P3 shoes) and
waw_shop (Europe/Warsaw, clicks around the 2026-03-29 spring-forward night). The story of
tp_shop, period 2026-05-10..12 (local):

- v1 (customer c1): impression P1/search 05-10, click P1/search 05-10 10:05 (its first
  product click), two clicks P1/recommendation 05-11. c1 paid o_old1 exactly 364 days
  before 05-10 10:05 (returning) and o1 in the period (recommendation: P1 150, P2 50).
- v2 (c2): impression + click P1/search 05-10 11:01. c2 paid o_old2 366 days before
  (not returning, but a repeat buyer: repeat has no 365-day limit) and o2 (search, P1
  2 × 100) in the period, fully refunded on 05-13.
- v3 (no customer): impressions P1/recommendation and P3/search, no click.
- v4 (c4): impression + click P2/search 05-12 (the click row is twice in the file); c4
  paid o4 (search, P2 300) and o4c (999), cancelled after payment.
- v5 (c5): click P1/search 05-12; c5's o5 is unpaid — lost.
- v7 (no customer): click P2/search at 2026-05-09T16:30Z = 05-10 00:30 local (in the
  period), another at 2026-05-12T16:30Z = 05-13 00:30 local (after it) — lost.
- v8 clicks without a product_id, v1 adds to cart: neither is product traffic.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedstore import SeedStore, open_seed

SEEDS = Path(__file__).parent / "seeds"
PERIOD = {"shop": "tp_shop", "date_from": "2026-05-10", "date_to": "2026-05-12"}


@pytest.fixture(scope="module")
def compass(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedStore]:
    """seeds/compass ingested into a fresh store (every row accepted)."""
    yield from open_seed(tmp_path_factory, SEEDS / "compass", clean=True)
