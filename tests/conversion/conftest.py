"""Oracle tests of the inquiry conversion and loss metrics (METRICS.md section 4).

Every expected number in test_*.py was worked out by hand from /work/shared/METRICS.md
and the choices written in the metrics' notes (docs/metrics.md), with the reasoning next
to it; none was produced by running socialscope. When a test fails, re-derive the value by
hand before touching the expectation.

The seed is the directory seeds/conversion (`<table>.csv` files), ingested once per test
module into a fresh DuckDB file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedstore import SeedStore, open_seed

SEEDS = Path(__file__).parent / "seeds"

Seed = SeedStore


@pytest.fixture(scope="module")
def conv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedStore]:
    """seeds/conversion: conv_shop (Asia/Taipei, TWD + USD orders)."""
    yield from open_seed(tmp_path_factory, SEEDS / "conversion")
