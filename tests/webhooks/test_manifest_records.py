"""Every manifest case, authenticated and parsed, must yield exactly the manifest's
``expect.records`` — translated here, explicitly, from the manifest's own words into
SCHEMA.md rows (FORMATS.md §8) — plus its ``facts``."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

import pytest

from socialscope.webhooks.auth import (
    SignatureError,
    authenticate_line,
    authenticate_meta,
    authenticate_shopify,
    meta_handshake,
)
from socialscope.webhooks.events import Row, RowMode, WebhookEvent
from socialscope.webhooks.line import parse_line
from socialscope.webhooks.meta import parse_meta
from socialscope.webhooks.shopify import parse_shopify
from tests.webhooks.fixtures.support import (
    SHOP_ID,
    body_of,
    case,
    cases,
    check_contract,
    config,
    rows,
    utc,
)

# -- the translation: manifest words → SCHEMA.md ---------------------------------------
CHANNEL = {
    "messenger": "facebook",
    "facebook": "facebook",
    "instagram": "instagram",
    "line": "line",
}
"""Messenger is Facebook's messaging: both are channel facebook."""

SENDER = {"customer": "customer", "staff": "agent", "bot": "bot"}
"""sender_role → sender (an inbound record without a role is the customer)."""

EXTRA_KEYS = ("quick_reply_payload", "reply_to_mid", "image_set_id", "package_id", "sticker_id")
"""Record fields that have no SCHEMA column and are kept in the row's extra."""


def expected_sender(record: dict[str, Any]) -> str:
    if "sender_role" in record:
        return SENDER[record["sender_role"]]
    assert record["direction"] == "inbound"
    return "customer"


def message_row(record: dict[str, Any]) -> dict[str, Any]:
    channel = CHANNEL[record["channel"]]
    event_id = (
        f"line:msg:{record['message_id']}" if channel == "line" else record["dedupe_key"]
    )  # LINE messages are keyed on the message id so an unsend can find them
    return {
        "shop_id": SHOP_ID,
        "event_id": event_id,
        "channel": channel,
        "conversation_id": None,
        "customer_id": record["platform_user_id"],
        "ts": utc(record["ts_utc"]),
        "sender": expected_sender(record),
        "kind": "message",
        "message_type": record["content_type"],
        "text": record.get("text"),
        "is_echo": record.get("direction") == "outbound",
    }


def postback_row(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "shop_id": SHOP_ID,
        "event_id": record["dedupe_key"],
        "channel": CHANNEL[record["channel"]],
        "customer_id": record["platform_user_id"],
        "ts": utc(record["ts_utc"]),
        "sender": "customer",
        "message_type": "other",
        "text": None,
    }


def follow_row(record: dict[str, Any]) -> dict[str, Any]:
    following = record["kind"] == "follow"
    expected: dict[str, Any] = {
        "shop_id": SHOP_ID,
        "customer_id": record["platform_user_id"],
        "is_follower": following,
    }
    if following and record.get("is_unblocked") is False:
        expected["first_seen_at"] = utc(record["ts_utc"])
    return expected


def comment_row(record: dict[str, Any]) -> dict[str, Any]:
    channel = CHANNEL[record["channel"]]
    expected: dict[str, Any] = {
        "shop_id": SHOP_ID,
        "event_id": f"{channel}:comment:{record['comment_id']}",
        "channel": channel,
        "post_id": record.get("post_id") or record["media_id"],
        "comment_id": record["comment_id"],
        "parent_comment_id": record["parent_id"] if record["is_reply"] else None,
        "customer_id": record["author_id"],
        "author": record["author_role"],
        "text": record["text"],
        "deleted": False,
    }
    if "ts_utc" in record:
        expected["ts"] = utc(record["ts_utc"])
        expected["updated_at"] = utc(record["ts_utc"])
    return expected


def live_row(record: dict[str, Any]) -> dict[str, Any]:
    column = {"live": "started_at", "live_stopped": "ended_at"}[record["status"]]
    return {
        "shop_id": SHOP_ID,
        "live_id": record["live_video_id"],
        "channel": CHANNEL[record["channel"]],
        column: utc(record["ts_utc"]),
    }


def order_row(record: dict[str, Any]) -> dict[str, Any]:
    paid = record["financial_status"] in ("paid", "partially_refunded", "refunded")
    return {
        "shop_id": SHOP_ID,
        "order_id": str(record["order_id"]),
        "customer_id": str(record["customer_id"]),
        "created_at": utc(record["created_at_utc"]),
        "paid_at": utc(record["paid_at_utc"]) if "paid_at_utc" in record else None,
        "currency": record["currency"],
        "amount": Decimal(record["total_price"]),
        "discount_amount": Decimal(record["total_discounts"]),
        "status": "paid" if paid else "open",
    }


def item_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "order_id": str(record["order_id"]),
            "line_id": str(item["line_item_id"]),
            "quantity": item["quantity"],
            "unit_price": Decimal(item["price"]),
        }
        for item in record["line_items"]
    ]


def refund_row(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "shop_id": SHOP_ID,
        "refund_id": str(record["refund_id"]),
        "order_id": str(record["order_id"]),
        "ts": utc(record["created_at_utc"]),
        "amount": Decimal(record["amount"]),
    }


def expected_key(record: dict[str, Any], c: dict[str, Any]) -> str:
    """The dedupe key: the record's own, else the brief's conventions for lives and
    Shopify (X-Shopify-Event-Id)."""
    if "dedupe_key" in record:
        return str(record["dedupe_key"])
    if record["kind"] == "live_status":
        return f"facebook:live:{record['live_video_id']}:{record['status']}"
    return f"shopify:event:{c['headers']['X-Shopify-Event-Id']}"


# -- running a case ----------------------------------------------------------------------
def run(c: dict[str, Any]) -> list[WebhookEvent]:
    return check_contract(adapt(c))


def adapt(c: dict[str, Any]) -> list[WebhookEvent]:
    body, headers, cfg = body_of(c), c["headers"], config()
    if c["platform"] == "line":
        return parse_line(body, authenticate_line(body, headers, cfg))
    if c["platform"] == "meta":
        return parse_meta(body, authenticate_meta(body, headers, cfg))
    return parse_shopify(body, headers, authenticate_shopify(body, headers, cfg))


def subset(row: Row, expected: dict[str, Any]) -> dict[str, Any]:
    return {k: row.values.get(k, "<absent>") for k in expected}


POSTS = [c for c in cases() if c["method"] == "POST"]
VALID = [c for c in POSTS if c["signature"] == "valid"]
FORGED = [c for c in POSTS if c["signature"] != "valid"]


def test_the_manifest_has_the_cases_the_tests_rely_on() -> None:
    assert len(cases()) == 17
    assert {c["platform"] for c in VALID} == {"line", "meta", "shopify"}
    assert len(FORGED) == 1


@pytest.mark.parametrize("c", VALID, ids=lambda c: c["id"])
def test_valid_case_yields_exactly_its_records(c: dict[str, Any]) -> None:
    events = run(c)
    records = c["expect"]["records"]
    with_rows = [e for e in events if e.rows]
    assert len(with_rows) == len(records), [e.dedupe_key for e in with_rows]
    by_key = {e.dedupe_key: e for e in events}
    for record in records:
        event = by_key[expected_key(record, c)]
        assert event.shop_id == SHOP_ID
        check_record(record, event)


def check_record(record: dict[str, Any], event: WebhookEvent) -> None:
    kind = record["kind"]
    if kind == "message":
        (row,) = event.rows
        expected = message_row(record)
        assert (row.table, row.mode) == ("messages", RowMode.UPSERT)
        assert subset(row, expected) == expected
        extra = row.values["extra"]
        for key in EXTRA_KEYS:
            if key in record:
                assert str(extra[key]) == str(record[key]), key
        if "ts_ms" in record:
            assert int(event.ts.timestamp() * 1000) == record["ts_ms"]
    elif kind == "postback":
        (row,) = event.rows
        assert subset(row, postback_row(record)) == postback_row(record)
        assert row.values["extra"]["postback"] == record["data"]
    elif kind in ("follow", "unfollow"):
        (row,) = event.rows
        assert (row.table, row.mode) == ("customers", RowMode.PATCH)
        assert subset(row, follow_row(record)) == follow_row(record)
        assert event.ts == utc(record["ts_utc"])
    elif kind == "comment":
        (row,) = event.rows
        assert (row.table, row.mode) == ("comments", RowMode.UPSERT)
        assert subset(row, comment_row(record)) == comment_row(record)
        if "author_username" in record:
            assert row.values["extra"]["author_username"] == record["author_username"]
    elif kind == "live_status":
        (row,) = event.rows
        assert (row.table, row.mode) == ("live_sessions", RowMode.PATCH)
        assert subset(row, live_row(record)) == live_row(record)
    elif kind == "order":
        check_order(record, event)
    elif kind == "refund":
        (row,) = event.rows
        assert row.table == "refunds"
        assert subset(row, refund_row(record)) == refund_row(record)
        assert row.values["extra"]["currency"] == record["currency"]
    else:  # pragma: no cover - a new manifest kind needs a translation
        pytest.fail(f"no translation for manifest kind {kind!r}")


def check_order(record: dict[str, Any], event: WebhookEvent) -> None:
    (order,) = rows([event], "orders")
    assert subset(order, order_row(record)) == order_row(record)
    extra = order.values["extra"]
    for key in ("name", "financial_status", "presentment_currency", "source_name"):
        assert extra[key] == record[key], key
    assert extra["landing_site"] == record["landing_site"]
    assert extra["referring_site"] == record["referring_site"]
    assert extra["current_total_price"] == record["current_total_price"]
    items = rows([event], "order_items")
    expected_items = item_rows(record)
    assert [subset(r, e) for r, e in zip(items, expected_items, strict=True)] == expected_items
    assert [r.values["extra"]["sku"] for r in items] == [i["sku"] for i in record["line_items"]]
    # total_price = items - discounts + shipping (the manifest's summary arithmetic)
    gross = sum((r.values["unit_price"] * r.values["quantity"] for r in items), Decimal(0))
    assert gross - order.values["discount_amount"] + order.values["shipping_amount"] == Decimal(
        record["total_price"]
    )


@pytest.mark.parametrize("c", FORGED, ids=lambda c: c["id"])
def test_forged_case_is_refused_with_the_preferred_status(c: dict[str, Any]) -> None:
    with pytest.raises(SignatureError) as caught:
        run(c)
    http = c["expect"]["http"]
    assert caught.value.status == http["preferred"]
    assert caught.value.status in http["status_in"]
    assert c["expect"]["records"] == []


def test_handshake_case_echoes_the_challenge() -> None:
    c = case("meta_verify_get_ok")
    assert meta_handshake(c["query"], config()) == c["expect"]["http"]["response_body"]


# -- facts -------------------------------------------------------------------------------
PLUS_N = re.compile(r"^\s*\+\s*(\d+)")


def plus_n(text: str) -> int | None:
    """The test's own reading of the manifest's plus_n_rule (NFKC, then a leading +N):
    it proves the adapter keeps comment text intact for the keyword matcher."""
    found = PLUS_N.match(unicodedata.normalize("NFKC", text))
    return int(found.group(1)) if found else None


def test_fb_plus1_facts() -> None:
    c = case("fb_feed_plus1_comments")
    facts = c["expect"]["facts"]
    events = run(c)
    comments = rows(events, "comments")
    assert len(comments) == facts["comments_added"] == 5
    assert {r.values["post_id"] for r in comments} == {facts["post_id"]}
    readings = [(r.values["customer_id"], plus_n(r.values["text"])) for r in comments]
    claims = [(who, n) for who, n in readings if n is not None]
    assert len(claims) == facts["plus_n_comments"] == 4
    assert sum(n for _, n in claims) == facts["plus_n_quantity_total"] == 5
    authors = [who for who, _ in claims]
    assert len(set(authors)) == facts["distinct_plus_n_authors"] == 3
    assert [a for a in set(authors) if authors.count(a) == 2] == [facts["same_author_twice"]]
    # the ignored reaction is an event (logged), with no row
    ignored = [e for e in events if not e.rows]
    assert [e.kind for e in ignored] == ["reaction"]
    assert len(c["expect"]["ignored"]) == 1


def test_refund_fact_amount_is_the_successful_refund_transactions() -> None:
    (row,) = rows(run(case("shopify_refunds_create_twd")), "refunds")
    assert row.values["amount"] == Decimal("390.00")
    assert isinstance(row.values["amount"], Decimal)


def test_orders_paid_is_the_same_order_not_a_second_one() -> None:
    created = rows(run(case("shopify_orders_create_twd")), "orders")
    paid = rows(run(case("shopify_orders_paid_twd")), "orders")
    assert [r.values["order_id"] for r in created] == [r.values["order_id"] for r in paid]
    assert paid[0].values["updated_at"] > created[0].values["updated_at"]
    assert created[0].values["paid_at"] is None
    assert paid[0].values["status"] == "paid"
