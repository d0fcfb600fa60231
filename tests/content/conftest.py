"""Oracle tests of the social content and live metrics (METRICS.md section 5, section 6's
click_through_rate), top posts and the static benchmarks (section 10).

Every expected number in test_*.py was worked out by hand from /work/shared/METRICS.md and
the choices written in the metrics' notes (docs/metrics.md), with the reasoning next to it;
none was produced by running socialscope. When a test fails, re-derive the value by hand
before touching the expectation.

The seed is seeds/social (`<table>.csv` files), ingested once per test module:
- tw_shop, Asia/Taipei (UTC+8): posts P0-P9, lives L1-L4, comments, orders, followers of
  instagram / facebook / tiktok; the main period P = 2026-05-01 .. 2026-05-07 (Fri .. Thu:
  ISO weeks starting 2026-04-27 and 2026-05-04).
- pl_shop, Europe/Warsaw: the DST day 2026-03-29 (02:00 CET -> 03:00 CEST = 01:00 UTC),
  posts Q1-Q6 for the top-posts ranking, lives LQ1/LQ2 either side of the jump.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedstore import SeedStore, open_seed

SEEDS = Path(__file__).parent / "seeds"

TW = {"shop": "tw_shop", "date_from": "2026-05-01", "date_to": "2026-05-07"}
"""The main period P of tw_shop."""

Seed = SeedStore


@pytest.fixture(scope="module")
def social(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedStore]:
    """seeds/social: tw_shop (Asia/Taipei) and pl_shop (Europe/Warsaw)."""
    yield from open_seed(tmp_path_factory, SEEDS / "social")
