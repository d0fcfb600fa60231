"""A content query without dates covers content_metrics' own days (its `date` column),
even in a store that holds no posts at all."""

from __future__ import annotations

from pathlib import Path

import socialscope


def test_default_period_follows_content_days_without_posts(tmp_path: Path) -> None:
    (tmp_path / "shops.csv").write_text("shop_id,timezone,currency\ns1,Asia/Taipei,TWD\n")
    (tmp_path / "content_metrics.csv").write_text(
        "shop_id,date,channel,post_id,impressions,reach,followers\n"
        "s1,2026-02-03,instagram,P1,100,80,\n"
        "s1,2026-02-05,instagram,P1,50,40,\n"
        "s1,2026-02-05,instagram,,,,900\n"
    )
    with socialscope.connect(tmp_path / "s.duckdb") as client:
        client.ingest([tmp_path])
        rows = client.query(["impressions", "followers"], by=["date"]).rows
    # days 2026-02-03 .. 2026-02-05 (the span of content_metrics.date), dense:
    # impressions 100, 0, 50; followers carried: none before 02-05, 900 on 02-05
    assert [str(r["date"]) for r in rows] == ["2026-02-03", "2026-02-04", "2026-02-05"]
    assert [r["impressions"] for r in rows] == [100, 0, 50]
    assert rows[-1]["followers"] == 900
