"""Oracle tests of money ratios over a currency-free denominator (uv_value = product_gmv /
product_click_users) in shops selling in several currencies (docs/design.md, Money).

Every expected number was worked out by hand from seeds/duo; none was produced by running
socialscope. Period 2026-06-02..03 (Asia/Taipei, local), previous period 05-31..06-01.

duo_shop (shop currency TWD) sells in TWD and USD:
- clicks: v1 D1/search 06-02, v2 D1/ad 06-02, v3 D1/search 06-03, v1 D2/search 06-03,
  v4 D2/ad 06-03 (v9 only saw D2: an impression, no click) → 4 click users; search
  {v1, v3} = 2, ad {v2, v4} = 2; D1 {v1, v2, v3} = 3, D2 {v1, v4} = 2; 06-02 {v1, v2} =
  2, 06-03 {v3, v1, v4} = 3. Previous period: v1 (06-01), v5 (05-31) on D1/search = 2.
- paid orders: o1 TWD 300 (D1, search, 06-02); o2 USD 12 (D1 10 + D2 2, ad, 06-02); o3
  USD 5 (D1, search, 06-03); o6 USD 7 (D2, live, 06-03: nobody clicked from live).
  o4 (TWD 100) is unpaid and o5 (TWD 999) cancelled: no GMV. Previous: op1 TWD 60 (D1,
  search, 06-01).
- GMV: TWD 300, USD 12 + 5 + 7 = 24.

mono_shop (TWD only): w1, w2 click M1 on 06-02, w3 clicks M2 on 06-03; n1 TWD 50 (M1).
quiet_shop (EUR): x1 clicks Q1 on 06-02; no orders.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedstore import SeedStore, open_seed

SEEDS = Path(__file__).parent / "seeds"
PERIOD = {"date_from": "2026-06-02", "date_to": "2026-06-03"}
DUO = {"shop": "duo_shop", **PERIOD}


@pytest.fixture(scope="module")
def duo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedStore]:
    """seeds/duo ingested into a fresh store (every row accepted)."""
    yield from open_seed(tmp_path_factory, SEEDS / "duo", clean=True)
