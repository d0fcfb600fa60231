"""d_comment_intents: built on import, refreshed for changed comments, for changed rules,
and for shops rebuilt whole (hand-worked expectations)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from socialscope.client import Client, connect
from socialscope.keywords import reset_rules, set_rules
from socialscope.store import derive, derive_keywords
from socialscope.store.derive import DERIVED_VERSION, DERIVED_VERSION_KEY
from tests.keywords.conftest import (
    FB_PLUS1,
    POST,
    SHOP,
    comment,
    intents,
    load,
    table_rows,
)

NUMBER_FIRST = r"^(?P<variant>\S+)\s*\+(?P<qty>\d+)"


def _fb_rows() -> list[dict[str, Any]]:
    return [
        comment(cid, text, customer=author, minute=5 + i)
        for i, (cid, author, text) in enumerate(FB_PLUS1)
    ]


def test_manifest_plus1_comments(client: Client) -> None:
    load(client, _fb_rows())
    got = intents(client)
    # '+1' (1), '＋1 黑M' (1, 黑M), '+2 白色S' (2, 白色S), the question (none), '+1' (1)
    assert got == {
        "1111111111111111": (True, 1, None),
        "1111111111111112": (True, 1, "黑M"),
        "1111111111111113": (True, 2, "白色S"),
        "1111111111111114": (False, None, None),
        "1111111111111115": (True, 1, None),
    }
    row = client.store.con.execute(
        "SELECT count(*) FILTER (WHERE is_purchase_intent), sum(purchase_quantity), "
        "count(DISTINCT customer_id) FILTER (WHERE is_purchase_intent) "
        "FROM d_comment_intents WHERE post_id = ?",
        [POST],
    ).fetchone()
    assert row == (4, 5, 3)  # the manifest's plus_n_comments, quantity total, authors


def test_row_columns(client: Client) -> None:
    load(client, [comment("c1", "+2 白色S", customer="u9", minute=5)])
    row = client.store.con.execute(
        "SELECT shop_id, event_id, channel, post_id, comment_id, parent_comment_id, live_id, "
        "customer_id, author, ts, ts_local, deleted, is_purchase_intent, purchase_quantity, "
        "purchase_variant FROM d_comment_intents"
    ).fetchone()
    # shop s is in Asia/Taipei: 10:05 UTC is 18:05 local
    assert row == (
        SHOP,
        "c1",
        "facebook",
        POST,
        "c1",
        None,
        None,
        "u9",
        "customer",
        datetime(2025, 7, 12, 10, 5),
        datetime(2025, 7, 12, 18, 5),
        False,
        True,
        2,
        "白色S",
    )
    types = dict(
        client.store.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'd_comment_intents'"
        ).fetchall()
    )
    assert types["is_purchase_intent"] == "BOOLEAN"
    assert types["purchase_quantity"] == "INTEGER"
    assert types["purchase_variant"] == "VARCHAR"


def test_page_deleted_and_empty_comments_are_never_intents(client: Client) -> None:
    load(
        client,
        [
            comment("page", "+1", author="page"),  # the page's own "+1"
            comment("gone", "+1", deleted=True),  # removed by its author
            comment("kept", "+1", deleted=False),
            comment("blank", None),
            comment("space", "  "),
        ],
    )
    assert intents(client) == {
        "page": (False, None, None),
        "gone": (False, None, None),
        "kept": (True, 1, None),
        "blank": (False, None, None),
        "space": (False, None, None),
    }
    deleted = client.store.con.execute(
        "SELECT event_id, deleted FROM d_comment_intents ORDER BY event_id"
    ).fetchall()
    assert dict(deleted) == {
        "blank": False,  # NULL in comments reads as not deleted
        "gone": True,
        "kept": False,
        "page": False,
        "space": False,
    }


def test_post_rules_override_shop_rules(client: Client) -> None:
    load(
        client,
        [
            comment("a1", "3號 +1", post="p_numbers"),
            comment("a2", "+2", post="p_numbers"),
            comment("b1", "3號 +1", post="p_plain"),
            comment("b2", "+2", post="p_plain"),
        ],
    )
    # default rules everywhere: "3號 +1" is not a purchase
    assert intents(client)["a1"] == (False, None, None)
    set_rules(client.store, SHOP, [NUMBER_FIRST], post_id="p_numbers")
    # p_numbers only reads "3號 +1" now, and no longer "+2" (its rules replace the shop's)
    assert intents(client) == {
        "a1": (True, 1, "3號"),
        "a2": (False, None, None),
        "b1": (False, None, None),
        "b2": (True, 2, None),
    }
    # the shop's rules change: p_plain follows, p_numbers keeps its own
    set_rules(client.store, SHOP, [NUMBER_FIRST, r"^\+(?P<qty>\d+)$"])
    assert intents(client) == {
        "a1": (True, 1, "3號"),
        "a2": (False, None, None),
        "b1": (True, 1, "3號"),
        "b2": (True, 2, None),
    }
    reset_rules(client.store, SHOP, "p_numbers")  # p_numbers now uses the shop's rules
    assert intents(client)["a2"] == (True, 2, None)
    before = table_rows(client)
    derive.refresh(client.store)
    assert table_rows(client) == before


def test_rules_change_recomputes_at_once(client: Client) -> None:
    load(client, _fb_rows())
    load(client, [comment("t1", "+1", customer="x")], shop="t")
    set_rules(client.store, SHOP, [])  # this shop takes no "+1" orders
    assert not any(i for i, _, _ in intents(client).values())
    assert intents(client, "t") == {"t1": (True, 1, None)}  # another shop: untouched
    set_rules(client.store, SHOP, [r"^\+(?P<qty>\d+)$"])  # no variant allowed
    # '+1' and '+1' only: '＋1 黑M' and '+2 白色S' have text after the number
    assert sorted(k for k, (i, _, _) in intents(client).items() if i) == [
        "1111111111111111",
        "1111111111111115",
    ]
    reset_rules(client.store, SHOP)
    assert sum(1 for i, _, _ in intents(client).values() if i) == 4
    before = table_rows(client)
    derive.refresh(client.store)
    assert table_rows(client) == before


def test_failed_set_changes_nothing(client: Client) -> None:
    load(client, _fb_rows())
    before = table_rows(client)
    with pytest.raises(ValueError, match="rule 1"):
        set_rules(client.store, SHOP, ["(?P<qty>x)"])
    assert table_rows(client) == before


def test_incremental_import_equals_full_rebuild(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_rebuild, real_changed = derive_keywords.rebuild, derive_keywords.refresh_changed

    def spy_rebuild(store: Any, shops: Any = None) -> None:
        calls.append("rebuild")
        real_rebuild(store, shops)

    def spy_changed(store: Any, changed: Any, skip: Any = ()) -> None:
        calls.append("changed" if changed else "nothing")
        real_changed(store, changed, skip)

    monkeypatch.setattr(derive_keywords, "rebuild", spy_rebuild)
    monkeypatch.setattr(derive_keywords, "refresh_changed", spy_changed)
    load(client, _fb_rows()[:3])
    load(client, [comment("t1", "+5", customer="x")], shop="t")
    assert calls == ["changed", "changed"]  # comments only: never a whole-shop rebuild
    first = intents(client)
    load(
        client,
        [
            *_fb_rows()[3:],  # the question and the second "+1"
            # an edit: the first comment's text changes (newer updated_at wins)
            comment("1111111111111111", "+3 紅L", customer="24019283746501234", updated=1),
            # a removal: the third comment is deleted
            comment(
                "1111111111111113",
                "+2 白色S",
                customer="24019283746501236",
                minute=7,
                deleted=True,
                updated=1,
            ),
        ],
    )
    got = intents(client)
    assert got["1111111111111111"] == (True, 3, "紅L")
    assert got["1111111111111112"] == first["1111111111111112"]  # untouched
    assert got["1111111111111113"] == (False, None, None)
    assert got["1111111111111114"] == (False, None, None)
    assert got["1111111111111115"] == (True, 1, None)
    assert intents(client, "t") == {"t1": (True, 5, None)}
    incremental = table_rows(client)
    assert len(incremental) == 6
    real_rebuild(client.store)
    assert table_rows(client) == incremental


def test_time_zone_change_rebuilds_the_shop(client: Client) -> None:
    load(client, [comment("c1", "+1", minute=5)])
    shops = [{"shop_id": SHOP, "timezone": "UTC", "currency": "TWD"}]
    client.ingest_arrow({"shops": pa.Table.from_pylist(shops)})
    row = client.store.con.execute("SELECT ts, ts_local FROM d_comment_intents").fetchone()
    assert row == (datetime(2025, 7, 12, 10, 5), datetime(2025, 7, 12, 10, 5))


def test_store_derived_by_an_older_version_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with connect(path) as client:
        load(client, _fb_rows())
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE d_comment_intents")
    con.execute("UPDATE _meta SET value = '2' WHERE key = ?", [DERIVED_VERSION_KEY])
    con.close()
    with connect(path) as client:
        assert sum(1 for i, _, _ in intents(client).values() if i) == 4
        version = client.store.con.execute(
            "SELECT value FROM _meta WHERE key = ?", [DERIVED_VERSION_KEY]
        ).fetchone()
        assert version == (str(DERIVED_VERSION),)


def test_refresh_changed_without_event_ids_rebuilds_the_shops(client: Client) -> None:
    load(client, _fb_rows())
    before = table_rows(client)
    con = client.store.con
    con.execute("DELETE FROM d_comment_intents")
    con.execute(f"CREATE TEMP TABLE kw_changed AS SELECT '{SHOP}' AS shop_id")
    derive_keywords.refresh_changed(client.store, "kw_changed")
    assert table_rows(client) == before
    con.execute("DELETE FROM d_comment_intents")
    derive_keywords.refresh_changed(client.store, "kw_changed", skip_shops=[SHOP])
    assert table_rows(client) == []


def test_intent_counts(client: Client) -> None:
    load(client, [*_fb_rows(), comment("other", "+4", post="p2")])
    assert derive_keywords.intent_counts(client.store, SHOP) == {
        "comments": 6,
        "intents": 5,
        "quantity": 9,
    }
    assert derive_keywords.intent_counts(client.store, SHOP, POST) == {
        "comments": 5,
        "intents": 4,
        "quantity": 5,
    }
