"""Hand-worked peer seed (tests/peers/seeds/peers), all shops UTC, every order 100.

tier L3 / apparel: me (TWD) 3 orders, peer1 1, peer2 2, peer3 3, peer4 5, peer5 8 (all
on May 20-24; the others' on May 1-9), peer6 (USD) 4. Not peers: food1 (L3 food, 50),
lower1 (L2 apparel, 40). untiered (no tier, apparel) 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedstore import SeedStore, open_seed


@pytest.fixture(scope="package")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedStore]:
    yield from open_seed(tmp_path_factory, Path(__file__).parent / "seeds" / "peers", clean=True)
