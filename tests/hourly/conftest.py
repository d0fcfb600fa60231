"""Hand-built seeds for `compare=yesterday` (tests/hourly/seeds), ingested once per module.

Every expected number in tests/hourly was worked out by hand from the seed rows and the
shops' time zones (the reasoning sits next to it); none was produced by running
socialscope.

seeds/hours — `tpe` (Asia/Taipei, TWD): orders at 00:05, 09:59, 10:00 and 23:59 local on
2026-04-01 (yesterday) and 2026-04-02 (today), a cancelled order each day, order t2
twice in the file (one order), and orders outside both days (03-30, 04-03 00:00); customer
messages on both days (cA writes twice today, for distinct counts).

seeds/dst — `nyc` (America/New_York, USD) and `waw` (Europe/Warsaw, PLN): orders on both
sides of the spring-forward and fall-back days of 2026 (see test_dst.py), `nyc` customer
messages in the repeated hour of its fall-back day, plus `nyc`
orders at 09:00 local on 03-31 and 04-01.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.seedstore import SeedStore

SEEDS = Path(__file__).parent / "seeds"


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeedStore]:
    """Both seeds in one store (three shops: tests name the shop or split by shop_id);
    read only (tests that set the clock restore it)."""
    import socialscope

    db = tmp_path_factory.mktemp("hourly") / "t.duckdb"
    with socialscope.connect(db) as client:
        report = client.ingest([SEEDS / "hours", SEEDS / "dst"])
        yield SeedStore(client, report, db)
