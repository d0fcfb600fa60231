"""Import order and repetition never change metric results; incremental derivation
equals a full rebuild (property-based)."""

from __future__ import annotations

import csv
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscope.client import Client, connect
from socialscope.metrics.registry import REGISTRY
from socialscope.store.derive import DERIVED_ORDER, refresh

SEEDS = Path(__file__).parents[1] / "metrics" / "seeds"
SEED_NAMES = ("interaction", "sales", "staff")


def _every_metric(client: Client) -> list[Any]:
    """Every registered metric by date (and by shop), per shop and currency."""
    out: list[Any] = []
    for shop in sorted(client.shops()):
        for spec in REGISTRY:
            by = ["date", "currency"] if "currency" in REGISTRY.all_dimensions(spec) else ["date"]
            if spec.snapshot:  # a value as of one moment: no time dimension
                by = [d for d in by if d != "date"]
            out.append((shop, spec.id, client.query(spec.id, by=by, shop=shop).rows))
    return out


def _shuffled_copy(src: Path, dst: Path, seed: int) -> Path:
    dst.mkdir(parents=True)
    rng = random.Random(seed)
    for f in src.glob("*.csv"):
        with f.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        rng.shuffle(body)
        cols = list(range(len(header)))
        rng.shuffle(cols)  # column order does not matter either
        with (dst / f.name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([header[i] for i in cols])
            w.writerows([[r[i] for i in cols] for r in body])
    return dst


@pytest.fixture(params=SEED_NAMES)
def seed(request: pytest.FixtureRequest) -> Path:
    return SEEDS / str(request.param)


def test_twice_and_shuffled_give_identical_metrics(seed: Path, tmp_path: Path) -> None:
    with connect(tmp_path / "once.duckdb") as once:
        once.ingest([seed])
        expected = _every_metric(once)
    with connect(tmp_path / "twice.duckdb") as twice:
        twice.ingest([seed])
        report = twice.ingest([seed])
        assert all(c.stored == 0 and c.updated == 0 for c in report.tables.values())
        assert _every_metric(twice) == expected
    shuffled = _shuffled_copy(seed, tmp_path / "shuffled", seed=3)
    with connect(tmp_path / "shuffled.duckdb") as other:
        other.ingest([shuffled])
        assert _every_metric(other) == expected
    # one table at a time, in reverse dependency order
    with connect(tmp_path / "pieces.duckdb") as pieces:
        for f in sorted(seed.glob("*.csv"), reverse=True):
            piece = tmp_path / "pieces" / f.stem
            piece.mkdir(parents=True)
            shutil.copy(f, piece / f.name)
            pieces.ingest([piece])
        assert _every_metric(pieces) == expected


# -- incremental derivation == full rebuild ----------------------------------------------

BASE = datetime(2026, 3, 1, 8, 0, 0)
SENDERS = ("customer", "customer", "agent", "bot", "system")
KINDS = ("message", "message", "message", "handoff", "close")


@st.composite
def message_rows(draw: st.DrawFn, shop: str) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=1, max_value=25))
    rows = []
    t = BASE
    for i in range(n):
        t += timedelta(minutes=draw(st.sampled_from([0, 1, 3, 45, 60 * 20, 60 * 30])))
        sender = draw(st.sampled_from(SENDERS))
        kind = draw(st.sampled_from(KINDS)) if sender == "system" else "message"
        rows.append(
            {
                "shop_id": shop,
                "event_id": f"{shop}-{i}",
                "channel": draw(st.sampled_from(["line", "facebook"])),
                "conversation_id": draw(st.sampled_from([None, None, None, "C1"])),
                "customer_id": draw(st.sampled_from(["u1", "u2"])),
                "ts": t,
                "sender": sender,
                "staff_id": draw(st.sampled_from(["amy", "bob"])) if sender == "agent" else None,
                "kind": kind,
            }
        )
    return rows


def _put_messages(client: Client, rows: list[dict[str, Any]]) -> None:
    for r in rows:
        client.store.con.execute(
            "INSERT INTO messages (shop_id, event_id, channel, conversation_id, customer_id, ts,"
            " ts_local, sender, staff_id, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                r["shop_id"],
                r["event_id"],
                r["channel"],
                r["conversation_id"],
                r["customer_id"],
                r["ts"],
                r["ts"],
                r["sender"],
                r["staff_id"],
                r["kind"],
            ],
        )


def _derived(client: Client) -> dict[str, list[Any]]:
    return {
        name: sorted(client.store.con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        for name in DERIVED_ORDER
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=message_rows("a"), b=message_rows("b"), b_more=message_rows("b"))
def test_incremental_refresh_equals_full_rebuild(
    tmp_path_factory: pytest.TempPathFactory,
    a: list[dict[str, Any]],
    b: list[dict[str, Any]],
    b_more: list[dict[str, Any]],
) -> None:
    later = [dict(r, event_id=r["event_id"] + "x", ts=r["ts"] + timedelta(hours=5)) for r in b_more]
    path = tmp_path_factory.mktemp("inc") / "inc.duckdb"
    with connect(path) as inc:
        _put_messages(inc, a)
        refresh(inc.store, ["a"])
        _put_messages(inc, b)
        refresh(inc.store, ["b"])
        _put_messages(inc, later)
        refresh(inc.store, ["b"])
        incremental = _derived(inc)
        refresh(inc.store)
        assert _derived(inc) == incremental
