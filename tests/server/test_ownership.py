"""While `serve` owns the store, the CLI goes through it or says clearly what to do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.server.conftest import SHOP, ServerProcess

CLI = "from socialscope.cli.main import main; main()"


def cli(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CLI, "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_cli_goes_through_the_running_server(server: ServerProcess, tmp_path: Path) -> None:
    messages = tmp_path / "messages.csv"
    messages.write_text(
        "shop_id,event_id,channel,customer_id,ts,sender,text\n"
        f"{SHOP},m1,line,c1,2025-07-12T12:00:00Z,customer,在嗎\n"
        f"{SHOP},m2,line,c1,2025-07-12T12:01:00Z,bot,您好\n"
        f"{SHOP},m3,line,,2025-07-12T12:02:00Z,customer,no customer\n",
        encoding="utf-8",
    )
    done = cli(server.db, "ingest", str(messages), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["tables"]["messages"]["stored"] == 2
    assert report["tables"]["messages"]["quarantined"] == 1

    q = cli(
        server.db,
        "query",
        "inbound_messages,outbound_messages",
        "--shop",
        SHOP,
        "--from",
        "2025-07-12",
        "--to",
        "2025-07-12",
        "--format",
        "json",
    )
    assert q.returncode == 0, q.stderr
    rows = json.loads(q.stdout)
    assert rows[0]["inbound_messages"] == 1
    assert rows[0]["outbound_messages"] == 1

    table = cli(
        server.db,
        "query",
        "inbound_messages",
        "--shop",
        SHOP,
        "--from",
        "2025-07-12",
        "--to",
        "2025-07-12",
    )
    assert table.returncode == 0, table.stderr
    assert "inbound_messages" in table.stdout

    busy = cli(server.db, "overview", "--shop", SHOP, timeout=30)
    assert busy.returncode == 3
    assert "owned by a running `socialscope serve`" in busy.stderr
    assert server.url in busy.stderr
    assert "Traceback" not in busy.stderr

    server.stop()  # once it is gone, the CLI opens the store itself again
    after = cli(
        server.db,
        "query",
        "inbound_messages",
        "--shop",
        SHOP,
        "--from",
        "2025-07-12",
        "--to",
        "2025-07-12",
        "--format",
        "json",
    )
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)[0]["inbound_messages"] == 1
