"""POST /api/v1/ingest/{table}: JSON arrays and NDJSON through the CLI's loader."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from socialscope.cli.main import _register
from socialscope.cli.main import app as cli_app
from socialscope.server.state import ServerState
from tests.api.conftest import ADMIN, MAX_BODY, SHOP_A, A, error_of

_register()

URL = "/api/v1/ingest/messages"


def message(event: str, **over: str) -> dict[str, str]:
    row = {
        "shop_id": SHOP_A,
        "event_id": event,
        "channel": "line",
        "conversation_id": "api-c1",
        "customer_id": "U-api",
        "ts": "2026-05-05T10:00:00+08:00",
        "sender": "customer",
        "kind": "message",
        "text": "hello",
    }
    row.update(over)
    return row


def ndjson(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def conversations(http: TestClient, conversation_id: str) -> list[dict[str, Any]]:
    r = http.get(
        "/api/v1/conversations",
        params={"where": f"conversation_id={conversation_id}"},
        headers=A,
    )
    assert r.status_code == 200, r.text
    rows: list[dict[str, Any]] = r.json()
    return rows


def test_json_array_is_imported_and_queryable(http: TestClient) -> None:
    rows = [
        message("api-1"),
        message("api-2", sender="agent", staff_id="s_a", ts="2026-05-05T10:01:00+08:00"),
    ]
    r = http.post(URL, json=rows, headers=A)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["tables"] == {
        "messages": {"stored": 2, "duplicates": 0, "updated": 0, "quarantined": 0}
    }
    assert body["quarantine"] == [] and body["batch_id"]
    # the write is visible to the next read (every thread's client was invalidated)
    [conv] = conversations(http, "api-c1")
    assert conv["first_response_s"] == 60 and conv["staff_id"] == "s_a"


def test_repost_is_idempotent(http: TestClient) -> None:
    rows = [message("idem-1"), message("idem-2", ts="2026-05-05T10:02:00+08:00")]
    first = http.post(URL, json=rows, headers=A).json()
    again = http.post(URL, json=rows, headers=A).json()
    assert first["tables"]["messages"]["stored"] == 2
    assert again["tables"]["messages"] == {
        "stored": 0,
        "duplicates": 2,
        "updated": 0,
        "quarantined": 0,
    }
    assert len(conversations(http, "api-c1")) == 1


@pytest.mark.parametrize(
    "content_type", ["application/x-ndjson", "application/jsonl", "application/json", None]
)
def test_ndjson_body(http: TestClient, content_type: str | None) -> None:
    body = ndjson([message("nd-1"), message("nd-2", ts="2026-05-05T10:03:00+08:00")])
    headers = dict(A)
    if content_type:
        headers["Content-Type"] = content_type
    r = http.post(URL, content=body.encode(), headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["tables"]["messages"]["stored"] == 2


def test_bad_rows_are_quarantined_with_line_and_reason(
    state: ServerState, http: TestClient
) -> None:
    lines = [
        json.dumps(message("q-1")),
        "",  # a blank line: skipped, but the lines below keep their body numbers
        json.dumps(message("q-2", sender="robot")),
        json.dumps(message("q-3", ts="yesterday-ish")),
        json.dumps(message("q-4", ts="2026-05-05T10:04:00+08:00")),
    ]
    r = http.post(
        URL,
        content="\n".join(lines).encode(),
        headers={**A, "Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["tables"]["messages"] == {
        "stored": 2,
        "duplicates": 0,
        "updated": 0,
        "quarantined": 2,
    }
    problems = {q["line"]: q for q in body["quarantine"]}
    assert set(problems) == {3, 4}
    assert problems[3]["column"] == "sender" and problems[3]["table"] == "messages"
    assert "robot" in problems[3]["reason"] or "one of" in problems[3]["reason"]
    assert problems[4]["column"] == "ts" and problems[4]["reason"]
    # the quarantine table names the request, not a temporary file
    sources = state.store.con.execute(
        "SELECT DISTINCT source FROM _quarantine WHERE batch_id = ?", [body["batch_id"]]
    ).fetchall()
    assert sources == [("POST /api/v1/ingest/messages (shop:taipei_shop)",)]


def test_array_quarantine_lines_are_element_numbers(http: TestClient) -> None:
    rows = [message("e-1"), message("e-2"), message("e-3", channel="fax")]
    body = http.post(URL, json=rows, headers=ADMIN).json()
    assert [(q["line"], q["column"]) for q in body["quarantine"]] == [(3, "channel")]


def test_report_equals_cli_ingest_json(seed_db: Path, tmp_path: Path, http: TestClient) -> None:
    rows = [message("cli-1"), message("cli-2", kind="bogus"), message("cli-3")]
    api_report = http.post(URL, json=rows, headers=A).json()
    copy = tmp_path / "cli.duckdb"
    shutil.copyfile(seed_db, copy)
    source = tmp_path / "messages.ndjson"
    source.write_text(ndjson(rows))
    result = CliRunner().invoke(
        cli_app, ["--db", str(copy), "ingest", str(source), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    cli_report = json.loads(result.stdout)
    assert {k: api_report[k] for k in cli_report} == cli_report


def test_linked_order_shows_on_its_conversation(http: TestClient) -> None:
    order = {
        "shop_id": SHOP_A,
        "order_id": "api-o1",
        "customer_id": "U01",
        "conversation_id": "c01",
        "currency": "TWD",
        "amount": "50",
        "source": "message_center",
        "created_at": "2026-05-04T10:30:00+08:00",
    }
    r = http.post("/api/v1/ingest/orders", json=[order], headers=A)
    assert r.status_code == 200, r.text
    [conv] = conversations(http, "c01")
    assert conv["order_ids"] == ["api-o1"]


def test_empty_body_imports_nothing(http: TestClient) -> None:
    for content, ctype in ((b"[]", "application/json"), (b"\n \n", "application/x-ndjson")):
        r = http.post(URL, content=content, headers={**A, "Content-Type": ctype})
        assert r.status_code == 200, r.text
        assert r.json()["tables"]["messages"]["stored"] == 0


def test_unknown_table_is_404(http: TestClient) -> None:
    r = http.post("/api/v1/ingest/tweets", json=[message("x")], headers=A)
    assert r.status_code == 404
    assert "unknown table 'tweets'" in error_of(r) and "messages" in error_of(r)


def test_oversize_body_is_413_by_content_length(http: TestClient) -> None:
    rows = [message(f"big-{i}", text="x" * 500) for i in range(200)]
    assert len(json.dumps(rows)) > MAX_BODY
    r = http.post(URL, json=rows, headers=A)
    assert r.status_code == 413
    assert "limit" in error_of(r)
    assert conversations(http, "api-c1") == []


def test_oversize_body_is_413_while_streaming(http: TestClient) -> None:
    """No Content-Length (chunked): the size is counted while reading."""
    line = (json.dumps(message("stream", text="y" * 900)) + "\n").encode()

    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY // len(line) + 2):
            yield line

    r = http.post(URL, content=chunks(), headers={**A, "Content-Type": "application/x-ndjson"})
    assert r.status_code == 413
    assert "larger than" in error_of(r)


@pytest.mark.parametrize(
    ("content", "ctype", "expected"),
    [
        ('[{"shop_id": "taipei_shop",\n "event_id": }]', "application/json", "line 2"),
        ("[1, 2]", "application/json", "element 1: expected a JSON object, got a number"),
        ('{"a": 1}\n{"a": 2}\n{"a": \n', "application/x-ndjson", "line 3"),
        ('{"a": 1}\n[1]\n', "application/x-ndjson", "line 2: expected a JSON object"),
        ('{"a": NaN}\n', "application/x-ndjson", "line 1"),
        ("\ufeff[nope", "application/json", "line 1"),
        ("hello", None, "line 1"),
    ],
)
def test_malformed_body_is_400_naming_the_line(
    http: TestClient, content: str, ctype: str | None, expected: str
) -> None:
    headers = {**A, **({"Content-Type": ctype} if ctype else {})}
    r = http.post(URL, content=content.encode(), headers=headers)
    assert r.status_code == 400
    assert expected in error_of(r)


def test_not_utf8_and_unsupported_types(http: TestClient) -> None:
    r = http.post(URL, content=b"\xff\xfe[]", headers={**A, "Content-Type": "application/json"})
    assert r.status_code == 400 and "UTF-8" in error_of(r)
    r = http.post(URL, content=b"a,b\n1,2\n", headers={**A, "Content-Type": "text/csv"})
    assert r.status_code == 415 and "Content-Type" in error_of(r)
    r = http.post(
        URL,
        content=b"[]",
        headers={**A, "Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert r.status_code == 415


def test_missing_required_column_is_400_naming_the_request(http: TestClient) -> None:
    rows = [{k: v for k, v in message("nots").items() if k != "ts"}]
    r = http.post(URL, json=rows, headers=A)
    assert r.status_code == 400
    message_ = error_of(r)
    assert "missing required column ts" in message_
    assert message_.startswith("POST /api/v1/ingest/messages")
    assert "/tmp" not in message_ and ".ndjson" not in message_


def test_rows_without_shop_id_are_quarantined_for_a_shop_key(http: TestClient) -> None:
    rows = [message("noshop-1"), {**message("noshop-2"), "shop_id": "  "}]
    body = http.post(URL, json=rows, headers=A).json()
    assert body["tables"]["messages"]["quarantined"] == 1
    assert body["quarantine"][0]["column"] == "shop_id"
