"""File import: idempotency, quarantine reasons and lines, extras, BOM, updated_at, formats."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from socialscope.ingest.loader import IngestError, ingest_arrow, ingest_paths
from socialscope.store.duckdb import Store
from tests.ingest.conftest import MSG_HEADER, SHOPS, SHOPS_HEADER, rows, write_csv, write_ndjson

ORDER_HEADER = (
    "shop_id",
    "order_id",
    "created_at",
    "updated_at",
    "currency",
    "amount",
    "source",
    "status",
)
ITEM_HEADER = ("shop_id", "order_id", "line_id", "product_id", "quantity", "unit_price", "amount")
MESSAGES = [
    (
        "tw",
        f"e{i}",
        "line",
        f"c{i % 3}",
        f"2026-05-01 09:{i:02d}:00",
        "customer" if i % 2 else "agent",
        None if i % 2 else "a1",
        f"hello {i}",
    )
    for i in range(20)
]
ORDERS = [
    (
        "tw",
        f"o{i}",
        "2026-05-01T10:00:00+08:00",
        f"2026-05-0{1 + i % 3}T12:00:00Z",
        "TWD",
        f"{i}.50",
        "live",
        "paid",
    )
    for i in range(6)
]
ITEMS = [("tw", f"o{i}", "1", "p1", "2", "10.25", None) for i in range(6)]


def _write_dir(d: Path, shuffle: int | None = None) -> Path:
    def order(seq: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        seq = list(seq)
        if shuffle is not None:
            random.Random(shuffle).shuffle(seq)
        return seq

    write_csv(d / "shops.csv", SHOPS_HEADER, order(list(SHOPS)))
    write_csv(d / "messages.csv", MSG_HEADER, order(MESSAGES))
    write_csv(d / "orders.csv", ORDER_HEADER, order(ORDERS))
    write_csv(d / "order_items.csv", ITEM_HEADER, order(ITEMS))
    (d / "notes.txt").write_text("not a table")
    return d


def _snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    for t in ("shops", "messages", "orders", "order_items"):
        out[t] = rows(store, f"SELECT * EXCLUDE (_loaded_at, _source) FROM {t} ORDER BY ALL")
    return out


def test_same_directory_twice_and_shuffled_is_idempotent(
    store: Store, tmp_path: Path, refreshed: list[set[str]]
) -> None:
    first = ingest_paths(store, [_write_dir(tmp_path / "a")])
    assert first.to_dict()["tables"]["messages"] == {
        "stored": 20,
        "duplicates": 0,
        "updated": 0,
        "quarantined": 0,
    }
    assert list(first.tables) == ["shops", "messages", "orders", "order_items"]  # shops first
    before = _snapshot(store)
    again = ingest_paths(store, [tmp_path / "a"])
    shuffled = ingest_paths(store, [_write_dir(tmp_path / "b", shuffle=7)])
    for report in (again, shuffled):
        for name, counts in report.tables.items():
            assert counts.stored == counts.updated == counts.quarantined == 0, name
            assert counts.duplicates == first.tables[name].stored, name
    assert _snapshot(store) == before
    # derived tables are rebuilt once per import, and not at all when nothing changed
    assert refreshed == [{"tw", "pl"}]
    assert rows(store, "SELECT count(*) FROM _imports")[0][0] == 12


def test_order_item_amount_defaults_to_quantity_times_price(store: Store, tmp_path: Path) -> None:
    ingest_paths(
        store,
        [
            write_csv(
                tmp_path / "order_items.csv",
                ITEM_HEADER,
                [*ITEMS[:1], ("tw", "o9", "1", "p", "3", "1.1", "9")],
            )
        ],
    )
    assert rows(store, "SELECT order_id, amount FROM order_items ORDER BY 1") == [
        ("o0", Decimal("20.5000")),
        ("o9", Decimal("9.0000")),
    ]


BAD = [
    # (row, column, reason)
    (("tw", "b1", "line", "c", "2026-05-01 09:00", "customer", None, "ok"), None, None),
    (
        ("tw", "", "line", "c", "2026-05-01 09:00", "customer", None, "x"),
        "event_id",
        "missing required value",
    ),
    (
        ("tw", "b3", "line", "c", "2026-13-01", "customer", None, "x"),
        "ts",
        "unparseable timestamp '2026-13-01'",
    ),
    (
        ("tw", "b4", "myspace", "c", "2026-05-01 09:00", "customer", None, "x"),
        "channel",
        "unknown channel 'myspace' (allowed: facebook, instagram, line, tiktok, douyin, "
        "whatsapp, web_chat, youtube, x, email, sms, other)",
    ),
    (
        ("tw", "b5", "line", "c", "2026-05-01 09:00", "agent", None, "x"),
        "staff_id",
        "staff_id is required when sender=agent",
    ),
    (("tw", "b6", " LINE ", "c", "2026-05-01 09:00", "Customer", None, "ok"), None, None),
]


def test_broken_rows_are_quarantined_with_reason_column_and_line(
    store: Store, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "messages.csv", MSG_HEADER, [r for r, _, _ in BAD])
    report = ingest_paths(store, [path])
    assert report.to_dict() == {
        "tables": {"messages": {"stored": 2, "duplicates": 0, "updated": 0, "quarantined": 4}}
    }
    assert report.quarantined_total == 4
    assert rows(store, "SELECT event_id, channel, sender FROM messages ORDER BY 1") == [
        ("b1", "line", "customer"),
        ("b6", "line", "customer"),  # trimmed and lower-cased
    ]
    got = rows(
        store,
        'SELECT table_name, source, line, "column", reason, shop_id, raw FROM _quarantine '
        "ORDER BY line",
    )
    expected = [(i + 2, col, reason) for i, (_, col, reason) in enumerate(BAD) if col]
    assert [(g[2], g[3], g[4]) for g in got] == expected
    assert {g[0] for g in got} == {"messages"} and {g[1] for g in got} == {str(path)}
    assert {g[5] for g in got} == {"tw"}
    assert json.loads(got[1][6])["ts"] == "2026-13-01"


def test_numeric_rules(store: Store, tmp_path: Path) -> None:
    items = [
        ("tw", "o1", "1", "p", "-2", "1", None),
        ("tw", "o1", "2", "p", "abc", "1", None),
        ("tw", "o1", "3", "p", "1", "1,5", None),
        ("tw", "o1", "4", "p", "1.5", "1", None),
        ("tw", "o1", "5", "p", "1", "0.12345", None),
    ]
    ratings = [
        ("tw", "r1", "csat", "2026-05-01T00:00:00Z", "9"),
        ("tw", "r2", "csat", "2026-05-01T00:00:00Z", "0"),
        ("tw", "r3", "review", "2026-05-01T00:00:00Z", "5"),
    ]
    ingest_paths(store, [write_csv(tmp_path / "order_items.csv", ITEM_HEADER, items)])
    ingest_paths(
        store,
        [
            write_csv(
                tmp_path / "ratings.csv", ("shop_id", "rating_id", "kind", "ts", "score"), ratings
            )
        ],
    )
    got = rows(store, 'SELECT table_name, line, "column", reason FROM _quarantine ORDER BY 1, 2')
    assert got == [
        ("order_items", 2, "quantity", "negative value -2 (minimum 0)"),
        ("order_items", 3, "quantity", "not an integer 'abc'"),
        ("order_items", 4, "unit_price", "not a decimal number '1,5'"),
        ("order_items", 5, "quantity", "not an integer '1.5'"),
        ("ratings", 2, "score", "value 9 above maximum 5"),
        ("ratings", 3, "score", "value 0 below minimum 1"),
    ]
    assert rows(store, "SELECT unit_price, amount FROM order_items") == [
        (Decimal("0.1235"), Decimal("0.1235"))
    ]


def test_booleans_and_dates(store: Store, tmp_path: Path) -> None:
    header = ("shop_id", "customer_id", "is_follower")
    ingest_paths(
        store,
        [
            write_csv(
                tmp_path / "customers.csv",
                header,
                [("tw", "c1", "Yes"), ("tw", "c2", "0"), ("tw", "c3", "maybe")],
            )
        ],
    )
    assert rows(store, "SELECT customer_id, is_follower FROM customers ORDER BY 1") == [
        ("c1", True),
        ("c2", False),
    ]
    assert rows(store, "SELECT reason FROM _quarantine") == [("not a boolean 'maybe'",)]


def test_extra_columns_kept_and_bom_read(store: Store, tmp_path: Path) -> None:
    header = (*MSG_HEADER, "sentiment", "lang")
    path = write_csv(
        tmp_path / "messages.csv",
        header,
        [(*MESSAGES[1], "0.9", "zh-TW"), (*MESSAGES[3], None, "中文")],
        bom=True,
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    report = ingest_paths(store, [path])
    assert report.tables["messages"].stored == 2
    extras = [json.loads(r[0]) for r in rows(store, "SELECT extra FROM messages ORDER BY event_id")]
    assert extras == [{"lang": "zh-TW", "sentiment": "0.9"}, {"lang": "中文", "sentiment": None}]
    assert (
        rows(store, "SELECT count(*) FROM messages WHERE shop_id = 'tw'")[0][0] == 2
    )  # BOM not in the name


def test_newer_updated_at_replaces_older_does_not(store: Store, tmp_path: Path) -> None:
    def put(updated: str, amount: str, status: str) -> dict[str, int]:
        p = write_csv(
            tmp_path / "orders.csv",
            ORDER_HEADER,
            [("tw", "o1", "2026-05-01T10:00:00Z", updated, "TWD", amount, "web", status)],
        )
        return ingest_paths(store, [p]).to_dict()["tables"]["orders"]

    assert put("2026-05-02T00:00:00Z", "10", "open")["stored"] == 1
    assert put("2026-05-03T00:00:00Z", "12", "paid")["updated"] == 1
    assert put("2026-05-01T00:00:00Z", "99", "cancelled")["duplicates"] == 1  # older: ignored
    assert put("2026-05-03T00:00:00Z", "77", "closed")["duplicates"] == 1  # same: ignored
    assert rows(store, "SELECT amount, status, count(*) OVER () FROM orders") == [
        (Decimal("12.0000"), "paid", 1)
    ]


def test_same_key_in_one_file_keeps_newest_then_last(store: Store, tmp_path: Path) -> None:
    orders = [
        ("tw", "o1", "2026-05-01T10:00:00Z", "2026-05-03T00:00:00Z", "TWD", "3", "web", "paid"),
        ("tw", "o1", "2026-05-01T10:00:00Z", "2026-05-02T00:00:00Z", "TWD", "2", "web", "open"),
    ]
    msgs = [MESSAGES[1], (*MESSAGES[1][:7], "edited")]
    r1 = ingest_paths(store, [write_csv(tmp_path / "orders.csv", ORDER_HEADER, orders)])
    r2 = ingest_paths(store, [write_csv(tmp_path / "messages.csv", MSG_HEADER, msgs)])
    assert r1.tables["orders"].to_dict() == {
        "stored": 1,
        "duplicates": 1,
        "updated": 0,
        "quarantined": 0,
    }
    assert r2.tables["messages"].to_dict() == {
        "stored": 1,
        "duplicates": 1,
        "updated": 0,
        "quarantined": 0,
    }
    assert rows(store, "SELECT status FROM orders") == [("paid",)]
    assert rows(store, "SELECT text FROM messages") == [("edited",)]
    # a table without updated_at: changed content replaces and counts as updated
    r3 = ingest_paths(store, [write_csv(tmp_path / "messages.csv", MSG_HEADER, [MESSAGES[1]])])
    assert r3.tables["messages"].updated == 1
    assert rows(store, "SELECT text FROM messages") == [(MESSAGES[1][7],)]


def test_defaults_for_missing_optional_columns(store: Store, tmp_path: Path) -> None:
    ingest_paths(store, [write_csv(tmp_path / "shops.csv", ("shop_id",), [("s",)])])
    ingest_paths(
        store,
        [
            write_csv(
                tmp_path / "agent_status.csv",
                ("shop_id", "staff_id", "ts", "status"),
                [("s", "a", "2026-05-01", "online")],
            )
        ],
    )
    ingest_paths(store, [write_csv(tmp_path / "messages.csv", MSG_HEADER, [MESSAGES[1]])])
    assert rows(store, "SELECT timezone, currency, service_hours FROM shops") == [
        ("UTC", "USD", "08:00-23:00")
    ]
    assert rows(store, "SELECT capacity FROM agent_status") == [(5,)]
    assert rows(store, "SELECT kind, message_type, conversation_id FROM messages") == [
        ("message", "text", None)
    ]


def test_whole_file_errors(store: Store, tmp_path: Path) -> None:
    no_ts = write_csv(
        tmp_path / "messages.csv",
        [c for c in MSG_HEADER if c not in ("ts", "sender")],
        [("tw", "e", "line", "c", None, "")],
    )
    with pytest.raises(IngestError, match=r"messages\.csv: missing required columns ts, sender"):
        ingest_paths(store, [no_ts])
    with pytest.raises(IngestError, match=r"unknown table 'mesages'; tables are: shops, customers"):
        ingest_paths(store, [write_csv(tmp_path / "mesages.csv", MSG_HEADER, [])])
    (tmp_path / "x.txt").write_text("a")
    with pytest.raises(IngestError, match=r"x\.txt: unsupported file type"):
        ingest_paths(store, [tmp_path / "x.txt"], table="messages")
    bad = tmp_path / "bad" / "messages.ndjson"
    bad.parent.mkdir()
    bad.write_text('{"shop_id": "tw"\n')
    with pytest.raises(IngestError, match=r"messages\.ndjson: cannot read"):
        ingest_paths(store, [bad])
    assert rows(store, "SELECT count(*) FROM messages")[0][0] == 0
    assert rows(store, "SELECT count(*) FROM _imports")[0][0] == 0


def test_ndjson_parquet_and_arrow_share_the_validation(store: Store, tmp_path: Path) -> None:
    recs = [dict(zip(MSG_HEADER, m, strict=True)) for m in MESSAGES[:3]]
    recs[1]["channel"] = "myspace"
    recs[2]["meta"] = {"k": [1, 2]}
    write_ndjson(tmp_path / "nd" / "messages.jsonl", recs)
    report = ingest_paths(store, [tmp_path / "nd"])
    assert report.tables["messages"].to_dict() == {
        "stored": 2,
        "duplicates": 0,
        "updated": 0,
        "quarantined": 1,
    }
    assert rows(store, "SELECT line, source LIKE '%messages.jsonl' FROM _quarantine") == [(2, True)]
    assert rows(store, "SELECT extra FROM messages WHERE event_id = 'e2'") == [
        ('{"meta":"{\\"k\\":[1,2]}"}',)
    ]

    table = pa.table(
        {
            "shop_id": ["tw", "tw", "tw"],
            "order_id": ["p1", "p2", "p3"],
            "created_at": pa.array([0, 0, 0], pa.timestamp("s", tz="UTC")),
            "currency": ["TWD"] * 3,
            "amount": pa.array(
                [Decimal("1.25"), Decimal("-1"), Decimal("3")], pa.decimal128(10, 2)
            ),
            "source": ["live", "live", "live"],
            "is_presale": [True, False, None],
        }
    )
    pq.write_table(table, tmp_path / "orders.parquet")
    assert ingest_paths(store, [tmp_path / "orders.parquet"]).tables["orders"].quarantined == 1
    assert rows(store, "SELECT line, reason FROM _quarantine WHERE table_name = 'orders'") == [
        (1, "negative value -1.00 (minimum 0)")
    ]
    naive = pa.table(
        {
            "shop_id": ["tw"],
            "order_id": ["a1"],
            "created_at": pa.array([0], pa.timestamp("s")),
            "currency": ["TWD"],
            "amount": [1.5],
            "source": ["web"],
        }
    )
    write_csv(tmp_path / "shops.csv", SHOPS_HEADER, SHOPS)
    ingest_paths(store, [tmp_path / "shops.csv"])
    report = ingest_arrow(store, {"orders": naive}, source="demo")
    assert report.to_dict() == {
        "tables": {"orders": {"stored": 1, "duplicates": 0, "updated": 0, "quarantined": 0}}
    }
    assert rows(
        store,
        "SELECT CAST(created_at AS VARCHAR), amount, _source FROM orders WHERE order_id = 'a1'",
    ) == [
        ("1969-12-31 16:00:00", Decimal("1.5000"), "demo/orders")  # naive = Taipei wall time
    ]


def test_csv_line_numbers_count_quoted_line_breaks(store: Store, tmp_path: Path) -> None:
    msgs = [
        (*MESSAGES[1][:7], "two\nlines"),
        (*MESSAGES[3][:7], "a\nb\nc"),
        ("tw", "z", "line", "c", "bad", "customer", None, ""),
    ]
    ingest_paths(store, [write_csv(tmp_path / "messages.csv", MSG_HEADER, msgs)])
    assert rows(store, "SELECT line FROM _quarantine") == [(7,)]


def test_ndjson_with_bom_and_a_non_object_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "customers.ndjson"
    path.write_bytes(
        b'\xef\xbb\xbf{"shop_id": "tw", "customer_id": "c1", "gender": "Female"}\n'
        b"[1, 2]\n"
        b'{"shop_id": "tw", "customer_id": "c2"}\n'
    )
    report = ingest_paths(store, [path])
    assert report.tables["customers"].to_dict() == {
        "stored": 2,
        "duplicates": 0,
        "updated": 0,
        "quarantined": 1,
    }
    assert rows(store, "SELECT customer_id, gender FROM customers ORDER BY 1") == [
        ("c1", "female"),
        ("c2", None),
    ]
    assert rows(store, 'SELECT line, "column", reason FROM _quarantine') == [
        (2, "shop_id", "missing required value")
    ]
