"""Oracle tests for business-time durations (`duration=business`, issue 3 item 1).

Every expected value in tests/business_time was worked out by hand (reasoning next to
it); none was produced by running socialscope. The seed (seeds/*.csv) holds one round per
conversation (a customer message, then the agent's reply), so each response time is the
plain difference the comments derive.

Calendars of the seed, set by the `seed` fixture below:
- biz_shop (Europe/Warsaw): mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00; sun
  closed; holiday 2026-05-01 (a Friday).
- dst_shop (Europe/Warsaw): daily 09:00-10:00 (DST starts 2026-03-29 02:00 CET -> 03:00
  CEST and ends 2026-10-25 03:00 CEST -> 02:00 CET; both are Sundays).
- default_shop (Asia/Taipei): no weekly hours, so its service_hours 09:00-18:00 every
  day; holiday 2026-05-06 (Wednesday).
- night_shop (Asia/Taipei): nothing configured; service_hours 20:00-02:00 (overnight).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

SEED = Path(__file__).parent / "seeds"

BIZ_HOURS = "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00"


class BizSeed:
    def __init__(self, client: Any) -> None:
        self.client = client

    def total(self, metrics: Sequence[str], **kw: Any) -> dict[str, Any]:
        rows = list(self.client.query(list(metrics), **kw).rows)
        assert len(rows) == 1, rows
        return dict(rows[0])

    def by_date(self, metrics: Sequence[str], **kw: Any) -> dict[Any, Any]:
        rows = self.client.query(list(metrics), by=["date"], **kw).rows
        return {r["date"]: dict(r) for r in rows}

    def round_seconds(self, duration: str) -> dict[str, Any]:
        """conversation_id -> response_s of its (only) round, in the given duration."""
        from socialscope.metrics.library.business_time import apply_duration

        engine = self.client.engine
        rounds = apply_duration(engine.table("d_rounds"), engine.table, {"duration": duration})
        table = self.client.store.ibis.to_pyarrow(rounds.select("conversation_id", "response_s"))
        return dict(zip(*table.to_pydict().values(), strict=True))


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BizSeed]:
    import socialscope

    db = tmp_path_factory.mktemp("business_time") / "x.duckdb"
    with socialscope.connect(db) as client:
        client.ingest([SEED])
        client.set_calendar("biz_shop", BIZ_HOURS)
        client.add_holiday("biz_shop", "2026-05-01", name="Labour Day")
        client.set_calendar("dst_shop", "daily 09:00-10:00")
        client.add_holiday("default_shop", "2026-05-06")
        yield BizSeed(client)
