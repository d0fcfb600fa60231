"""A process killed (SIGKILL) in the middle of a large import leaves the store as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from socialscope.ingest.loader import ingest_paths
from socialscope.store.duckdb import Store
from tests.ingest.conftest import MSG_HEADER, SHOPS, SHOPS_HEADER, write_csv

CHILD = """
import sys
from socialscope.store.duckdb import Store
from socialscope.ingest.loader import ingest_paths

def progress(done, total):
    print("tick", flush=True)

with Store(sys.argv[1]) as store:
    ingest_paths(store, [sys.argv[2]], progress=progress)
print("finished", flush=True)
"""
TABLES = ("shops", "messages", "_quarantine", "_imports")


def _snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store(db) as store:
        return {t: store.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def test_sigkill_mid_import_leaves_store_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    small = tmp_path / "small"
    write_csv(small / "shops.csv", SHOPS_HEADER, SHOPS)
    write_csv(
        small / "messages.csv",
        MSG_HEADER,
        [("tw", f"k{i}", "line", "c", "2026-05-01 09:00", "bot", None, "x") for i in range(50)]
        + [("tw", "bad", "line", "c", "nope", "bot", None, "x")],
    )
    with Store(db) as store:
        ingest_paths(store, [small])
    before = _snapshot(db)

    big = tmp_path / "big" / "messages.csv"
    big.parent.mkdir()
    duckdb.sql(
        "COPY (SELECT 'tw' AS shop_id, 'e' || i AS event_id, 'line' AS channel, 'c' || (i % 997) "
        "AS customer_id, "
        "strftime(TIMESTAMP '2026-01-01' + INTERVAL (i) SECOND, '%Y-%m-%d %H:%M:%S') AS ts, "
        "CASE WHEN i % 1000 = 0 THEN 'nobody' ELSE 'customer' END AS sender, "
        "NULL AS staff_id, 'message text ' || i AS text FROM range(800000) t(i)) "
        f"TO '{big}' (HEADER)"
    )
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(big)], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None
        for _ in range(2):  # after staging, then after quarantine: inside the transaction
            line = child.stdout.readline()
            assert line.startswith("tick"), line
        time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, "the import finished before it was killed"

    assert _snapshot(db) == before
    with Store(db) as store:  # still opens, and imports
        report = ingest_paths(store, [big])
        assert report.tables["messages"].stored == 800000 - 800
