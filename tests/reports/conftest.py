"""A small hand-made store for the digest: one week of chats and orders in Taipei.

Week under report: Mon 2026-11-02 .. Sun 2026-11-08 (Asia/Taipei); the comparison week
is 2026-10-26 .. 2026-11-01. Expected values are derived by hand in the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.insights.conftest import synthetic_db  # noqa: F401 - the anomaly store, shared
from tests.seedstore import SeedStore, open_seed

SEED = Path(__file__).parent / "seeds" / "digest"


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedStore]:
    yield from open_seed(tmp_path_factory, SEED, clean=True)
