"""Hand-worked seed for the audience runners (tests/audience/seeds/loss).

home_shop (Asia/Taipei, TWD): 14 click users in May 2026 — visitors hv01..hv13 signed in
as hc01..hc13, hv14 never linked; hv01..hv07 came from `search`, the rest from
`recommendation`. hc01 has a paid order in May: 13 lost users (hc02..hc13 + hv14). A
click on 2026-04-30 23:30 Taipei (hc99) is outside May. Customers: gender female
hc01-06, male hc07-10, other hc11-13; age 18-23 hc01-05, 24-30 hc06-10, 31-40 hc11-13;
region Taipei; segment empty.

rival_shop (America/New_York, USD) and third_shop (UTC, USD) share LINE ids with
home_shop through identities (LINEUnn ↔ hcnn ↔ rvnn; LINEU03 ↔ th03). In May (each shop's
local time), paid and not cancelled: rv02 (2 orders), rv03, rv04, rv05, rv06 (02:00 UTC on
June 1st = May 31 in New York) buy shoes at 30 USD; rv07 buys a 120 USD bag; rv01 (not
lost) buys shoes; th03 buys shoes at 30 USD. Not counted: rv08 (cancelled), rv09
(unpaid), rv10 (June 1st in New York).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedstore import SeedStore, open_seed

SEEDS = Path(__file__).parent / "seeds"
MAY_DONE = "2026-06-15"
"""'Today' for the tests: May 2026 is over."""

FOREIGN = (
    "rival_shop",
    "third_shop",
    "Rival Store",
    "Third Store",
    "rival-shoe",
    "rival-bag",
    "tp-shoe",
    "rv0",
    "rv1",
    "th03",
    "LINEU",
)
"""Strings that must never appear in what home_shop is shown (ids, names, products)."""
USER_IDS = (*(f"hc{i:02d}" for i in range(1, 14)), "hv14", "visitor:")


@pytest.fixture(scope="package")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedStore]:
    yield from open_seed(tmp_path_factory, SEEDS / "loss", clean=True)


@pytest.fixture(scope="package")
def template(seed: SeedStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed copy of the seed store (copy it again before writing)."""
    seed.client.store.con.execute("CHECKPOINT")
    path = tmp_path_factory.mktemp("aud_template") / "seed.duckdb"
    shutil.copyfile(seed.db, path)
    return path


def assert_clean(text: str, allow_users: bool = False) -> None:
    """No other shop's id/name/product, no identity and (unless allowed) no user id."""
    for bad in FOREIGN:
        assert bad not in text, bad
    if not allow_users:
        for bad in USER_IDS:
            assert bad not in text, bad
