"""`socialscope campaign-review` through typer's CliRunner on the lift store (conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from socialscope.cli.main import _register, app

_register()
runner = CliRunner()
SHORT = ["--days-after", "7", "--weeks-before", "2", "--trailing-days", "14"]


def test_json(lift_db: Path) -> None:
    args = ["--db", str(lift_db), "campaign-review", "--campaign", "spring", *SHORT]
    res = runner.invoke(app, [*args, "--target-sales", "10,000", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (data["kind"], data["ref"], data["launch"]) == ("campaign", "spring", "2026-03-02")
    # 10 000 TWD ÷ AOV 100 = 100 orders ÷ 1/3 = 300 click users; no CTR (no impressions).
    assert [s["needed"] for s in data["targets"]["stages"]] == [100, 300, None]
    verdicts = {m["metric"]: m["verdict"] for m in data["lift"]}
    # See test_review_seed.py for the hand reasoning of each verdict.
    assert verdicts == {
        "sessions": "within noise",
        "social_sessions": "lift",
        "conversion_rate": "lift",
        "sales_amount": "lift",
    }


def test_table(lift_db: Path) -> None:
    args = ["--db", str(lift_db), "campaign-review", "--post", "P", *SHORT]
    res = runner.invoke(app, [*args, "--target-sales", "500"])
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "Campaign review — post P on instagram · taipei_shop" in out
    assert "Launch 2026-03-02, posts.published_at (local date)" in out
    assert "within noise" in out
    assert "Chain stops:" in out
    # The ad conversion rate as a percentage: 50.00% predicted, 100.00% actual.
    assert "50.00%" in out
    assert "100.00%" in out


def test_errors(lift_db: Path) -> None:
    base = ["--db", str(lift_db), "campaign-review"]
    res = runner.invoke(app, base)
    assert res.exit_code == 2
    assert "exactly one of --campaign, --post or --live" in res.output
    res = runner.invoke(app, [*base, "--post", "P", "--live", "L"])
    assert res.exit_code == 2
    res = runner.invoke(app, [*base, "--post", "P", "--target-sales", "lots"])
    assert res.exit_code == 2
    assert "--target-sales must be an amount" in res.output
    res = runner.invoke(app, [*base, "--post", "P", "--launch", "2026-13-01"])
    assert res.exit_code == 2
