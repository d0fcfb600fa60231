"""Oracle tests of the consideration and purchase metrics (METRICS.md sections 6 and 7).

Every expected number in test_*.py was worked out by hand from /work/shared/METRICS.md and
the choices written in the metrics' notes (docs/metrics.md), with the reasoning next to it;
none was produced by running socialscope. When a test fails, re-derive the value by hand
before touching the expectation.

The seed is seeds/traffic (`<table>.csv` files): tp_shop (Asia/Taipei, UTC+8, TWD and
USD orders) and waw_shop (Europe/Warsaw, around the 2026-03-29 spring-forward day),
ingested once per test module into a fresh DuckDB file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedstore import SeedStore, open_seed

SEEDS = Path(__file__).parent / "seeds"

Seed = SeedStore


@pytest.fixture(scope="module")
def traffic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedStore]:
    """seeds/traffic: tp_shop and waw_shop sessions, touchpoints, orders, refunds."""
    yield from open_seed(tmp_path_factory, SEEDS / "traffic", clean=True)
