"""Funnel oracle tests: hand-built seeds with hand-derived expected counts.

Every expected number in tests/funnels/test_*.py was worked out by hand from
docs/funnels.md (the semantics) and the seed CSVs (the reasoning sits next to it); none
was produced by running socialscope. Each seed is a directory of `<table>.csv` files
under tests/funnels/seeds/, ingested once per test module; the `web` seed keeps one
scenario per shop so that scenarios cannot disturb each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from socialscope.client import Client
from socialscope.funnels import FunnelRequest, FunnelResult, parse_steps, run_funnel

SEEDS = Path(__file__).parent / "seeds"


class Seed:
    """A store holding one ingested seed, with a funnel shortcut."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def run(
        self, steps: str, shop: str | None, day_from: str, day_to: str | None = None, **kw: Any
    ) -> FunnelResult:
        request = FunnelRequest(
            parse_steps(steps),
            shop,
            date.fromisoformat(day_from),
            date.fromisoformat(day_to or day_from),
            **kw,
        )
        return run_funnel(self.client, request)

    def counts(self, steps: str, shop: str | None, day_from: str, **kw: Any) -> list[int]:
        return counts(self.run(steps, shop, day_from, **kw))


def counts(result: FunnelResult) -> list[int]:
    return [s.count for s in result.overall.steps]


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def _open(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Seed]:
    import socialscope

    db = tmp_path_factory.mktemp(f"funnel_{name}") / "t.duckdb"
    with socialscope.connect(db) as client:
        report = client.ingest([SEEDS / name])
        for table, c in report.tables.items():
            assert c.quarantined == 0, (table, c)
        yield Seed(client)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/web: touchpoints of six shops, one scenario each (see the test modules)."""
    yield from _open(tmp_path_factory, "web")


@pytest.fixture(scope="module")
def social(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    """seeds/social: shop tp (Asia/Taipei): messages, comments on lives and a post,
    identities, orders with cancelled ones."""
    yield from _open(tmp_path_factory, "social")
