"""The analysis methods of the Python API (socialscope.client_analysis) and the CLI's
attribution input modes.

The wrappers must give exactly what the runners give; the hand-checked numbers are
worked out next to them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialscope.attribution.paths import paths_from_records
from socialscope.attribution.runner import AttributionRequest, attribute, parse_models
from socialscope.cli.main import _register, app
from socialscope.client import Client, connect
from socialscope.platform_benchmarks import benchmarks_for
from socialscope.top_posts import top_posts

SOCIAL = Path(__file__).parents[1] / "content" / "seeds" / "social"

_register()
cli = CliRunner()

# A > B converts once for 90 (touches 24 h and 0 h before); B and A are null paths.
# first_touch: A 1; last_touch: B 1; linear: 1/2 each, value 45 / 45.
RECORDS = [
    {"path": ["A", "B"], "conversions": 1, "value": 90, "hours_till_conv": [24.0, 0.0]},
    {"path": ["B"], "conversions": 0, "nulls": 1, "hours_till_conv": [0.0]},
    {"path": ["A"], "conversions": 0, "nulls": 1, "hours_till_conv": [0.0]},
]
CSV = (
    "path,total_conversions,total_conversion_value,total_null,hours_till_conv\n"
    "A > B,1,90,0,24 > 0\n"
    "B,0,0,1,0\n"
    "A,0,0,1,0\n"
)


@pytest.fixture(scope="module")
def social(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    with connect(tmp_path_factory.mktemp("client_analysis") / "social.duckdb") as client:
        client.ingest([SOCIAL])
        yield client


@pytest.fixture
def paths_file(tmp_path: Path) -> Path:
    file = tmp_path / "paths.csv"
    file.write_text(CSV, encoding="utf-8")
    return file


def test_top_posts_and_benchmarks(social: Client) -> None:
    got = social.top_posts("pl_shop", "2026-03-29", "2026-04-04", limit=2)
    # tests/content: Q6 (rate 0.3) first, then Q2 (rate 0.2, 20 engagements)
    assert [r["post_id"] for r in got.rows] == ["Q6", "Q2"]
    assert got == top_posts(social, "pl_shop", "2026-03-29", "2026-04-04", limit=2)
    # METRICS.md 10: Instagram engagement rate by followers 0.47 %
    (ig,) = social.benchmarks("engagement_rate_by_followers", "instagram")
    assert (ig.low, ig.channel) == (0.0047, "instagram")
    assert social.benchmarks("reach") == benchmarks_for("reach") == []


def test_attribution_over_a_path_set(social: Client) -> None:
    paths = paths_from_records(RECORDS, currency="EUR")
    result = social.attribution(paths, models="first_touch,last_touch,linear")
    assert list(result.models) == ["first_touch", "last_touch", "linear"]
    assert result.models["first_touch"]["A"].conversions == 1.0
    assert result.models["last_touch"]["B"].conversions == 1.0
    assert {c: str(v.value) for c, v in result.models["linear"].items()} == {
        "A": "45.0000",
        "B": "45.0000",
    }
    assert result.currency == "EUR"
    direct = attribute(paths, parse_models("first_touch,last_touch,linear"))
    assert result.to_json() == direct.to_json()


def test_attribution_over_a_file(social: Client, paths_file: Path) -> None:
    result = social.attribution(
        str(paths_file), models=["time_decay", "markov"], orders=(1, 2), half_life_hours=24
    )
    # time_decay, half-life 24 h: weights 1/2 (24 h before) and 1 → A 1/3, B 2/3
    shares = {c: v.share for c, v in result.models["time_decay"].items()}
    assert shares == pytest.approx({"A": 1 / 3, "B": 2 / 3})
    assert list(result.models) == ["time_decay", "markov_o1", "markov_o2"]
    assert result.currency is None
    labelled = social.attribution(paths_file, models="linear", currency="TWD")
    assert labelled.currency == "TWD"
    cli_out = cli.invoke(
        app,
        ["attribution", "--paths", str(paths_file), "--models", "time_decay,markov",
         "--order", "1,2", "--half-life-hours", "24", "--format", "json"],
    )  # fmt: skip
    assert cli_out.exit_code == 0, cli_out.output
    assert json.loads(cli_out.stdout) == result.to_json()


def test_attribution_option_errors(social: Client, paths_file: Path) -> None:
    paths = paths_from_records(RECORDS, currency="EUR")
    with pytest.raises(ValueError, match="not both: shop only apply"):
        social.attribution(paths, shop="pl_shop")
    with pytest.raises(ValueError, match="lookback_days, include"):
        social.attribution(paths_file, lookback_days=7, include=["chat"])
    with pytest.raises(ValueError, match="orders need markov"):
        social.attribution(paths, models="linear", orders=(2,))
    with pytest.raises(ValueError, match="in EUR, not PLN"):
        social.attribution(paths, currency="PLN")
    with pytest.raises(ValueError, match="unknown model"):
        social.attribution(paths, models="nope")
    with pytest.raises(ValueError, match="half-life"):
        social.attribution(paths, half_life_hours=0)
    with pytest.raises(ValueError, match="both date_from and date_to"):
        social.attribution(shop="pl_shop", date_from="2026-03-29")
    with pytest.raises(ValueError, match="name a shop; shops in this store: pl_shop, tw_shop"):
        social.attribution(date_from="2026-03-29", date_to="2026-04-04")
    # markov_oK keys without orders: only that order (the default orders are not added)
    only_o2 = social.attribution(paths, models="markov_o2")
    assert list(only_o2.models) == ["markov_o2"]
    assert AttributionRequest(models=("markov",), markov_orders=(2,)).keys == ("markov_o2",)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--shop", "pl_shop"], "--paths and --shop exclude each other"),
        (["--from", "2026-03-29", "--net-of-refunds"], "--paths and --from, --net-of-refunds"),
        (["--include", "chat", "--conversion", "purchase"], "--include, --conversion"),
    ],
)
def test_cli_paths_and_store_options_exclude_each_other(
    paths_file: Path, extra: list[str], message: str
) -> None:
    out = cli.invoke(app, ["attribution", "--paths", str(paths_file), *extra])
    assert out.exit_code == 2
    assert message in out.stderr


def test_cli_store_mode_needs_both_dates(tmp_path: Path) -> None:
    db = tmp_path / "none.duckdb"
    out = cli.invoke(app, ["--db", str(db), "attribution", "--shop", "x", "--from", "2026-01-01"])
    assert out.exit_code == 2
    assert "--from and --to" in out.stderr
    assert not db.exists()  # refused before any store is opened
    bad = cli.invoke(app, ["--db", str(db), "attribution", "--from", "01/02", "--to", "2026-01-03"])
    assert bad.exit_code == 2 and "--from must be a date YYYY-MM-DD" in bad.stderr
