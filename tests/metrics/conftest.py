"""Oracle tests: hand-built seed data sets with hand-derived expected values.

Every expected number in tests/metrics/test_seed_*.py was worked out by hand from
/work/shared/METRICS.md and SCHEMA.md (the reasoning sits next to it as a comment);
none was produced by running socialscope. When such a test fails, re-derive the value
by hand before touching the expectation.

Each seed is a directory of `<table>.csv` files under tests/metrics/seeds/ and is
ingested once per test module into a fresh DuckDB file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedstore import SeedStore, open_seed

SEEDS = Path(__file__).parent / "seeds"


Seed = SeedStore


def _open(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Seed]:
    yield from open_seed(tmp_path_factory, SEEDS / name)


@pytest.fixture(scope="module")
def interaction(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/interaction: taipei_shop + warsaw_shop messages, comments, identities."""
    yield from _open(tmp_path_factory, "interaction")


@pytest.fixture(scope="module")
def sales(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/sales: taipei_shop (TWD + USD) and warsaw_shop (PLN) orders and refunds."""
    yield from _open(tmp_path_factory, "sales")


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/staff: one shop, hand-overs between staff and order attribution."""
    yield from _open(tmp_path_factory, "staff")
