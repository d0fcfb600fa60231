"""The CLI commands over a copy of the hand-worked seed: the runners' numbers, errors
naming the parameter, the privacy_k setting."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from tests.audience.conftest import assert_clean

_register()
MAY = ["--from", "2026-05-01", "--to", "2026-05-31"]


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli(template: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    shutil.copyfile(template, db)
    code, out, _ = run(db, "loss-destinations", "--shop", "home_shop", "--month", "2026-05",
                       "--format", "json")  # fmt: skip
    assert code == 0
    body = json.loads(out)
    assert [(g["category"], g["users"], g["orders"]) for g in body["groups"]] == [("shoes", 5, 7)]
    assert_clean(out)
    code, _, err = run(db, "loss-destinations", "--shop", "home_shop", "--month", "2026-05",
                       "--k", "2")  # fmt: skip
    assert code == 2 and "k must be a whole number ≥ 3" in err
    code, out, _ = run(db, "audience", "profile", "click_users", "--shop", "home_shop", *MAY,
                       "--format", "json")  # fmt: skip
    assert code == 0 and json.loads(out)["groups"][0]["users"] == 14
    code, out, _ = run(db, "audience", "export", "lost_users", "--shop", "home_shop", *MAY)
    assert code == 0 and out.splitlines() == ["customer_id", *(f"hc{i:02d}" for i in range(2, 14))]
    code, _, err = run(db, "audience", "export", "buyers", "--shop", "home_shop", *MAY)
    assert code == 2 and "fewer than k=5" in err
    code, out, _ = run(db, "peers", "order_count", "--shop", "home_shop", *MAY)
    assert code == 0 and "not enough peers" in out
    assert_clean(out)
    code, _, _ = run(db, "peers", "three_minute_reply_rate", "--shop", "home_shop", *MAY,
                     "--param", "threshold_s=60")  # fmt: skip
    assert code == 0
    code, _, err = run(db, "peers", "order_count", "--shop", "home_shop", "--param", "bogus")
    assert code == 2 and "NAME=VALUE" in err
    # the setting: below 3 refused, a valid k used by the next query
    code, _, err = run(db, "settings", "privacy_k", "2")
    assert code == 2 and "privacy_k must be a whole number ≥ 3" in err
    code, out, _ = run(db, "settings", "privacy_k", "6")
    assert code == 0 and "rebuilt" not in out
    code, out, _ = run(db, "loss-destinations", "--shop", "home_shop", "--month", "2026-05",
                       "--format", "json")  # fmt: skip
    assert json.loads(out)["k"] == 6 and json.loads(out)["groups"] == []
