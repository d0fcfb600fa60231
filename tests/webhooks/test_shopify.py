"""Shopify adapter cases beyond the manifest: duplicate deliveries, multi-currency
orders, refunds announced twice, stale updates, test orders, attribution and payment
states (FORMATS.md §5, §8). Payloads start from the manifest's own order and refund."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest

from socialscope.webhooks.auth import SignatureError, authenticate_shopify
from socialscope.webhooks.events import PayloadError, Row, WebhookEvent
from socialscope.webhooks.shopify import parse_shopify
from tests.webhooks.fixtures.support import (
    SHOP_ID,
    WEBHOOKS,
    check_contract,
    config,
    dumps,
    rows,
    shopify_headers,
    utc,
)


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((WEBHOOKS / "shopify" / name).read_text(encoding="utf-8"))
    return data


ORDER = fixture("orders_create_twd.json")
REFUND = fixture("refunds_create_twd.json")


def deliver(doc: Any, topic: str, **header_kw: Any) -> list[WebhookEvent]:
    """Serialise like Shopify (escaped slashes), sign, authenticate, parse."""
    body = dumps(doc, ascii_only=True, escape_slash=True)
    headers = shopify_headers(body, topic, **header_kw)
    return check_contract(
        parse_shopify(body, headers, authenticate_shopify(body, headers, config()))
    )


def order(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(ORDER)
    doc.update(changes)
    return doc


def one(events: list[WebhookEvent], table: str) -> Row:
    (row,) = rows(events, table)
    return row


# -- duplicates and keys ---------------------------------------------------------------------
def test_duplicate_delivery_has_the_same_dedupe_key() -> None:
    first = deliver(ORDER, "orders/create", event_id="e-1", webhook_id="w-1")
    retry = deliver(ORDER, "orders/create", event_id="e-1", webhook_id="w-1")
    second_subscription = deliver(ORDER, "orders/create", event_id="e-1", webhook_id="w-2")
    assert first == retry
    assert first[0].dedupe_key == second_subscription[0].dedupe_key == "shopify:event:e-1"
    assert first[0].rows == second_subscription[0].rows


def test_dedupe_key_fallbacks() -> None:
    (by_webhook,) = deliver(ORDER, "orders/create", event_id=None, webhook_id="w-9")
    assert by_webhook.dedupe_key == "shopify:webhook:w-9"
    (by_resource,) = deliver(ORDER, "orders/create", event_id=None, webhook_id=None)
    assert by_resource.dedupe_key == "shopify:orders/create:6012345678901:2025-07-12T20:18:43+08:00"


# -- currencies ------------------------------------------------------------------------------
def usd_presentment(doc: dict[str, Any], rate: Decimal = Decimal("31.32")) -> dict[str, Any]:
    """The same TWD order as bought in USD: every presentment_money becomes USD."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            money = node.get("presentment_money")
            if isinstance(money, dict):
                twd = Decimal(money["amount"])
                money.update(
                    amount=str((twd / rate).quantize(Decimal("0.01"))), currency_code="USD"
                )
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    doc = copy.deepcopy(doc)
    walk(doc)
    doc["presentment_currency"] = "USD"
    return doc


def test_twd_shop_with_usd_presentment_stores_twd() -> None:
    events = deliver(usd_presentment(ORDER), "orders/create")
    row = one(events, "orders")
    assert row.values["currency"] == "TWD"
    assert row.values["amount"] == Decimal("2020.00")
    assert row.values["discount_amount"] == Decimal("100.00")
    assert row.values["shipping_amount"] == Decimal("60.00")
    assert row.values["extra"]["presentment_currency"] == "USD"
    assert row.values["extra"]["presentment_amount"] == "64.50"
    prices = [r.values["unit_price"] for r in rows(events, "order_items")]
    assert prices == [Decimal("1280.00"), Decimal("390.00")]
    assert [r.values["extra"]["presentment_price"] for r in rows(events, "order_items")] == [
        "40.87",
        "12.45",
    ]


def test_shop_money_wins_over_the_plain_field() -> None:
    """When the plain field and its shop-money twin disagree, the twin is the shop's."""
    doc = order(total_price="64.50")
    assert one(deliver(doc, "orders/create"), "orders").values["amount"] == Decimal("2020.00")
    del doc["total_price_set"]
    assert one(deliver(doc, "orders/create"), "orders").values["amount"] == Decimal("64.50")


def test_money_is_decimal_never_float() -> None:
    events = deliver(ORDER, "orders/create")
    for row in rows(events):
        for name in ("amount", "discount_amount", "shipping_amount", "unit_price"):
            if name in row.values and row.values[name] is not None:
                assert isinstance(row.values[name], Decimal), (row.table, name)


# -- refunds -----------------------------------------------------------------------------------
def updated_with_refund() -> dict[str, Any]:
    return order(
        financial_status="partially_refunded",
        updated_at="2025-07-15T14:30:06+08:00",
        refunds=[copy.deepcopy(REFUND)],
    )


def test_partial_refund_announced_twice_is_one_identical_row() -> None:
    created = one(deliver(REFUND, "refunds/create"), "refunds")
    embedded = one(deliver(updated_with_refund(), "orders/updated"), "refunds")
    assert created == embedded
    assert created.values["amount"] == Decimal("390.00")
    assert created.values["refund_id"] == "912345678901"
    assert created.values["ts"] == utc("2025-07-15T06:30:05Z")
    assert created.values["reason"] == "客人退回珍珠髮夾組 1 組"


def test_order_with_a_refund_is_still_paid_and_keeps_its_total() -> None:
    row = one(deliver(updated_with_refund(), "orders/updated"), "orders")
    assert row.values["status"] == "paid"
    assert row.values["amount"] == Decimal("2020.00")  # refunds are their own rows
    assert row.values["paid_at"] == utc("2025-07-12T12:18:41Z")  # processed_at: a guess...
    assert row.keep == frozenset({"paid_at"})  # ...that must not beat orders/paid's time


def refund(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(REFUND)
    doc.update(changes)
    return doc


def transaction(amount: str, **kw: Any) -> dict[str, Any]:
    return {"kind": "refund", "status": "success", "amount": amount, "currency": "TWD", **kw}


def test_refund_counts_only_successful_refund_transactions() -> None:
    doc = refund(
        transactions=[
            transaction("390.00"),
            transaction("100.00", status="failure"),
            transaction("50.00", status="pending"),
            transaction("70.00", kind="sale"),
            transaction("10.00"),
        ]
    )
    assert one(deliver(doc, "refunds/create"), "refunds").values["amount"] == Decimal("400.00")


def test_refund_prefers_shop_money_of_a_transaction() -> None:
    usd = transaction(
        "12.45",
        currency="USD",
        amount_set={"shop_money": {"amount": "390.00", "currency_code": "TWD"}},
    )
    row = one(deliver(refund(transactions=[usd]), "refunds/create"), "refunds")
    assert row.values["amount"] == Decimal("390.00")
    assert row.values["extra"]["amount_basis"] == "transactions"


def test_refund_in_a_foreign_currency_falls_back_to_its_lines() -> None:
    """A USD transaction without shop money: lines (390 + 0 tax) and a 60 shipping refund
    (Shopify writes it as a -60.00 adjustment) give the TWD amount."""
    adjustment = {
        "kind": "shipping_refund",
        "amount": "-60.00",
        "tax_amount": "0.00",
        "amount_set": {"shop_money": {"amount": "-60.00", "currency_code": "TWD"}},
    }
    doc = refund(
        transactions=[transaction("14.37", currency="USD")], order_adjustments=[adjustment]
    )
    row = one(deliver(doc, "refunds/create"), "refunds")
    assert row.values["amount"] == Decimal("450.00")
    assert row.values["extra"]["amount_basis"] == "line_items"


def test_a_pending_refund_is_zero_until_it_succeeds() -> None:
    pending = refund(transactions=[transaction("390.00", status="pending")])
    assert one(deliver(pending, "refunds/create"), "refunds").values["amount"] == Decimal(0)


def test_test_refund_is_ignored() -> None:
    (event,) = deliver(refund(transactions=[transaction("390.00", test=True)]), "refunds/create")
    assert (event.kind, event.rows) == ("test_refund", ())


# -- stale updates, test orders, other topics ----------------------------------------------------
def test_stale_orders_updated_carries_its_own_older_updated_at() -> None:
    newer = one(deliver(updated_with_refund(), "orders/updated", event_id="e-new"), "orders")
    stale_doc = order(financial_status="paid", updated_at="2025-07-12T21:02:10+08:00")
    stale = one(deliver(stale_doc, "orders/updated", event_id="e-old"), "orders")
    assert stale.values["updated_at"] == utc("2025-07-12T13:02:10Z")
    assert newer.values["updated_at"] == utc("2025-07-15T06:30:06Z")
    assert stale.values["updated_at"] < newer.values["updated_at"]  # the store keeps newer


def test_test_order_is_ignored() -> None:
    (event,) = deliver(order(test=True), "orders/create")
    assert (event.kind, event.rows) == ("test_order", ())


@pytest.mark.parametrize("topic", ["products/update", "customers/create", "app/uninstalled", ""])
def test_other_topics_are_nothing(topic: str) -> None:
    assert deliver(ORDER, topic) == []


@pytest.mark.parametrize(
    "body", [b"", b'{"id": 6012345678901, "created_at": "2025-07-', b"[]", b"{}"]
)
def test_signed_but_unreadable_bodies_are_payload_errors(body: bytes) -> None:
    headers = shopify_headers(body, "orders/create")
    shop = authenticate_shopify(body, headers, config())
    with pytest.raises(PayloadError):
        parse_shopify(body, headers, shop)


def test_forged_shopify_delivery_is_refused_before_parsing() -> None:
    with pytest.raises(SignatureError):
        deliver(ORDER, "orders/create", secret="not-the-real-secret-000000000000")


# -- payment state and status ------------------------------------------------------------------
def test_orders_paid_time_is_exact_and_wins() -> None:
    paid = one(
        deliver(
            order(financial_status="paid", updated_at="2025-07-12T21:02:10+08:00"), "orders/paid"
        ),
        "orders",
    )
    assert paid.values["paid_at"] == utc("2025-07-12T13:02:10Z")
    assert paid.keep == frozenset()


def test_card_order_paid_at_checkout() -> None:
    row = one(deliver(order(financial_status="paid"), "orders/create"), "orders")
    assert row.values["paid_at"] == utc("2025-07-12T12:18:41Z")
    assert row.values["status"] == "paid"


@pytest.mark.parametrize(
    ("changes", "status", "paid"),
    [
        ({"financial_status": "pending"}, "open", False),
        ({"financial_status": "authorized"}, "open", False),
        ({"financial_status": "partially_paid"}, "open", False),
        ({"financial_status": "refunded"}, "paid", True),
        ({"financial_status": "paid", "fulfillment_status": "fulfilled"}, "fulfilled", True),
        (
            {"financial_status": "voided", "cancelled_at": "2025-07-13T10:00:00+08:00"},
            "cancelled",
            False,
        ),
    ],
)
def test_status(changes: dict[str, Any], status: str, paid: bool) -> None:
    row = one(deliver(order(**changes), "orders/updated"), "orders")
    assert row.values["status"] == status
    assert (row.values["paid_at"] is not None) is paid
    if "cancelled_at" in changes:
        assert row.values["cancelled_at"] == utc("2025-07-13T02:00:00Z")


# -- attribution, customers, items ---------------------------------------------------------------
def test_live_order_from_facebook() -> None:
    row = one(deliver(ORDER, "orders/create"), "orders")
    assert (row.values["source"], row.values["live_id"]) == ("live", "FB-LIVE-20250712")
    assert (row.values["channel"], row.values["campaign"]) == ("facebook", "live_20250712")


@pytest.mark.parametrize(
    ("landing", "referrer", "channel"),
    [
        ("/products/x", "https://l.instagram.com/", "instagram"),
        ("/products/x", "https://line.me/R/ti/p/@alley", "line"),
        ("/products/x", "https://liff.line.me/123", "line"),
        ("/?utm_source=IG&utm_campaign=reel7", "https://www.google.com/", "instagram"),
        ("/?utm_source=line", None, "line"),
        ("/?utm_source=tiktok", None, "tiktok"),
        ("/?utm_source=google", "https://www.google.com/", None),
        (None, None, None),
        ("/products/x", "https://notfacebook.com/", None),
    ],
)
def test_channel_attribution(
    landing: str | None, referrer: str | None, channel: str | None
) -> None:
    doc = order(landing_site=landing, referring_site=referrer, note_attributes=[])
    row = one(deliver(doc, "orders/create"), "orders")
    assert row.values["channel"] == channel
    assert row.values["source"] == "web"


def test_pos_order() -> None:
    row = one(deliver(order(source_name="pos", note_attributes=[]), "orders/create"), "orders")
    assert row.values["source"] == "pos"


def test_identity_links_the_line_user_to_the_customer() -> None:
    identity = one(deliver(ORDER, "orders/create"), "identities")
    assert identity.values == {
        "shop_id": SHOP_ID,
        "channel": "line",
        "channel_user_id": "U1a2b3c4d5e6f708192a3b4c5d6e7f809",
        "customer_id": "7654321098765",
    }


def test_guest_order_has_no_customer_and_no_identity() -> None:
    events = deliver(order(customer=None), "orders/create")
    assert one(events, "orders").values["customer_id"] is None
    assert rows(events, "identities") == []


def test_order_items_amounts_net_of_line_discounts() -> None:
    items = rows(deliver(ORDER, "orders/create"), "order_items")
    assert [(r.values["line_id"], r.values["product_id"], r.values["quantity"]) for r in items] == [
        ("15012345678901", "8712345678901", 1),
        ("15012345678902", "8712345678902", 2),
    ]
    assert [r.values["amount"] for r in items] == [Decimal("1180.00"), Decimal("780.00")]


def test_custom_item_without_product_uses_the_sku() -> None:
    doc = order()
    doc["line_items"][0]["product_id"] = None
    items = rows(deliver(doc, "orders/create"), "order_items")
    assert items[0].values["product_id"] == "JK-BLK-M"
