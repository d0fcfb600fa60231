"""Oracle tests for METRICS.md section 3 (service speed and quality).

Every expected value in tests/service/test_service_*.py was worked out by hand from
/work/shared/METRICS.md sections 1 and 3 (reasoning next to it); none was produced by
running socialscope. When such a test fails, re-derive the value by hand before touching
the expectation.

The seed (seeds/service/*.csv) is ingested once per test module into a fresh DuckDB file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedstore import SeedStore, open_seed

SEED = Path(__file__).parent / "seeds" / "service"


ServiceSeed = SeedStore


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceSeed]:
    yield from open_seed(tmp_path_factory, SEED)
