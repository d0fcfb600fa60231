"""Oracle tests of the paths built from the store (METRICS.md section 8, journeys).

Every expected path in test_*.py was worked out by hand from /work/shared/METRICS.md
section 8 and the rules in docs/attribution-journeys.md, with the reasoning next to it;
none was produced by running socialscope. When a test fails, re-derive the path by hand
before touching the expectation.

Each seed is a directory of `<table>.csv` files under seeds/, ingested once per test
module into a fresh DuckDB file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from socialscope.attribution.journeys import JourneyRequest, build_paths
from socialscope.attribution.paths import PathSet

SEEDS = Path(__file__).parent / "seeds"

Row = tuple[tuple[str, ...], float, Decimal, float, tuple[float, ...] | None]
"""(path, conversions, value, nulls, hours_till_conv) of one PathSet row."""


def rows(paths: PathSet) -> list[Row]:
    """The PathSet's rows as tuples, in the order they came."""
    out: list[Row] = []
    for r in paths.table.to_pylist():
        hours = r["hours_till_conv"]
        out.append(
            (
                tuple(r["path"]),
                r["conversions"],
                r["value"],
                r["nulls"],
                None if hours is None else tuple(hours),
            )
        )
    return out


def conv(path: tuple[str, ...], value: str, hours: tuple[float, ...]) -> Row:
    """An expected converting row (one conversion)."""
    return (path, 1.0, Decimal(value), 0.0, hours)


def null(path: tuple[str, ...], hours: tuple[float, ...]) -> Row:
    """An expected non-converting row (one journey)."""
    return (path, 0.0, Decimal(0), 1.0, hours)


class Seed:
    """A store holding one ingested seed; `paths` builds with a base request."""

    def __init__(self, client: Any, base: JourneyRequest) -> None:
        self.client = client
        self.base = base

    def request(self, **changes: Any) -> JourneyRequest:
        return replace(self.base, **changes)

    def paths(self, **changes: Any) -> PathSet:
        return build_paths(self.client, self.request(**changes))

    def rows(self, **changes: Any) -> list[Row]:
        return rows(self.paths(**changes))


def _open(
    tmp_path_factory: pytest.TempPathFactory, name: str, base: JourneyRequest
) -> Iterator[Seed]:
    import socialscope

    db = tmp_path_factory.mktemp(f"journeys_{name}") / "t.duckdb"
    with socialscope.connect(db) as client:
        report = client.ingest([SEEDS / name])
        for table, counts in report.tables.items():
            assert counts.quarantined == 0, (table, counts)
        yield Seed(client, base)


APRIL = {"date_from": date(2026, 4, 1), "date_to": date(2026, 4, 30)}


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/core: shop tp (Asia/Taipei, TWD) touchpoints, orders and refunds; shop tp2
    holds one order and touchpoint of the same customer that must never leak into tp."""
    yield from _open(tmp_path_factory, "core", JourneyRequest(shop="tp", **APRIL))


@pytest.fixture(scope="module")
def social(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/social: shop tp, one customer touching through a click, LINE chat, Facebook
    comments and an Instagram live, with identities mapping her channel ids."""
    yield from _open(tmp_path_factory, "social", JourneyRequest(shop="tp", **APRIL))


@pytest.fixture(scope="module")
def purchase(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/purchase: shop tp, purchase touchpoints and orders in TWD and USD."""
    yield from _open(tmp_path_factory, "purchase", JourneyRequest(shop="tp", **APRIL))


@pytest.fixture(scope="module")
def warsaw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/warsaw: shop wa (Europe/Warsaw, PLN) around the 2026-03-29 DST change."""
    day = date(2026, 3, 29)
    yield from _open(
        tmp_path_factory, "warsaw", JourneyRequest(shop="wa", date_from=day, date_to=day)
    )
