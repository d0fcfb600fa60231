"""Shopify webhooks → canonical rows: orders/create, orders/paid, orders/updated and
refunds/create (FORMATS.md §5). Other topics are ignored (an empty list).

Payloads are the REST resources themselves. Money is taken in the shop's currency (the
``*_set.shop_money`` twin when present), never the buyer's presentment currency, so a TWD
shop selling in USD stores TWD; the presentment figures stay in ``extra``. Every order row
carries its own ``updated_at``, so a stale orders/updated loses to a newer stored row, and
a refund maps to the same row whether refunds/create or a later order payload embeds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

from socialscope.config import ShopConfig
from socialscope.contract.enums import Channel, OrderSource, OrderStatus
from socialscope.webhooks._util import (
    JsonObject,
    compact,
    decimal,
    get,
    header,
    iso_utc,
    load_object,
    money_text,
    objects,
    require_id,
    text_id,
)
from socialscope.webhooks.events import PayloadError, Platform, Row, WebhookEvent

ORDER_TOPICS = frozenset({"orders/create", "orders/paid", "orders/updated"})
REFUND_TOPIC = "refunds/create"
PAID_STATUSES = frozenset({"paid", "partially_refunded", "refunded"})
"""financial_status values meaning the order was fully paid (refunds are their own rows).
partially_paid (a deposit) is not paid: money is still owed, so the order stays open."""

LIVE_ATTRIBUTE = "live_session"
LINE_USER_ATTRIBUTE = "line_user_id"

_SOURCES = {
    "facebook": Channel.FACEBOOK,
    "fb": Channel.FACEBOOK,
    "messenger": Channel.FACEBOOK,
    "instagram": Channel.INSTAGRAM,
    "ig": Channel.INSTAGRAM,
    "line": Channel.LINE,
    "tiktok": Channel.TIKTOK,
    "douyin": Channel.DOUYIN,
    "whatsapp": Channel.WHATSAPP,
    "youtube": Channel.YOUTUBE,
    "x": Channel.X,
    "twitter": Channel.X,
}
"""utm_source values naming a social channel (anything else is not a social channel)."""

_REFERRERS = {
    "facebook.com": Channel.FACEBOOK,
    "fb.com": Channel.FACEBOOK,
    "fb.me": Channel.FACEBOOK,
    "messenger.com": Channel.FACEBOOK,
    "instagram.com": Channel.INSTAGRAM,
    "line.me": Channel.LINE,
    "tiktok.com": Channel.TIKTOK,
    "douyin.com": Channel.DOUYIN,
    "whatsapp.com": Channel.WHATSAPP,
    "wa.me": Channel.WHATSAPP,
    "youtube.com": Channel.YOUTUBE,
    "youtu.be": Channel.YOUTUBE,
    "x.com": Channel.X,
    "twitter.com": Channel.X,
    "t.co": Channel.X,
}
"""Referrer domains (and their subdomains: l.facebook.com, l.instagram.com, liff.line.me)."""


def parse_shopify(body: bytes, headers: Mapping[str, str], shop: ShopConfig) -> list[WebhookEvent]:
    """The event of one verified Shopify request (an empty list for other topics)."""
    topic = (header(headers, "X-Shopify-Topic") or "").strip().lower()
    if topic not in ORDER_TOPICS and topic != REFUND_TOPIC:
        return []
    doc = load_object(body)
    if topic == REFUND_TOPIC:
        return [_refund_event(doc, headers, shop)]
    return [_order_event(topic, doc, headers, shop)]


def _dedupe_key(headers: Mapping[str, str], topic: str, doc: JsonObject, stamp: Any) -> str:
    """X-Shopify-Event-Id (the same across duplicate deliveries), else the delivery id,
    else the resource id and its time."""
    event_id = (header(headers, "X-Shopify-Event-Id") or "").strip()
    if event_id:
        return f"shopify:event:{event_id}"
    webhook_id = (header(headers, "X-Shopify-Webhook-Id") or "").strip()
    if webhook_id:
        return f"shopify:webhook:{webhook_id}"
    return f"shopify:{topic}:{text_id(doc.get('id'))}:{stamp}"


def _shop_money(resource: JsonObject, field: str) -> Decimal | None:
    """``field`` in shop currency: ``<field>_set.shop_money.amount``, else ``field``."""
    found = decimal(get(resource, f"{field}_set", "shop_money", "amount"))
    return found if found is not None else decimal(resource.get(field))


def _required_time(resource: JsonObject, *fields: str) -> datetime:
    for name in fields:
        found = iso_utc(resource.get(name), name)
        if found is not None:
            return found
    raise PayloadError(f"{' / '.join(fields)} is missing")


# -- orders -------------------------------------------------------------------------------
def _order_event(
    topic: str, order: JsonObject, headers: Mapping[str, str], shop: ShopConfig
) -> WebhookEvent:
    order_id = require_id(order.get("id"), "order id")
    ts = _required_time(order, "updated_at", "created_at")
    key = _dedupe_key(headers, topic, order, order.get("updated_at"))
    if order.get("test") is True:  # a test checkout: logged, never counted
        return WebhookEvent(Platform.SHOPIFY, shop.shop_id, key, "test_order", ts, (), order)
    currency = str(order.get("currency") or shop.currency or "USD")
    rows = [_order_row(topic, order, order_id, shop.shop_id, currency)]
    rows.extend(
        _item_row(item, order_id, shop.shop_id) for item in objects(order.get("line_items"))
    )
    rows.extend(_identity_rows(order, shop.shop_id))
    rows.extend(_refund_row(r, shop.shop_id, currency) for r in objects(order.get("refunds")))
    return WebhookEvent(Platform.SHOPIFY, shop.shop_id, key, "order", ts, tuple(rows), order)


def _attributes(order: JsonObject) -> dict[str, str]:
    """note_attributes (cart attributes) as a dict of the text values."""
    found: dict[str, str] = {}
    for attr in objects(order.get("note_attributes")):
        name, value = attr.get("name"), attr.get("value")
        if isinstance(name, str) and isinstance(value, str | int) and str(value):
            found.setdefault(name.strip().lower(), str(value))
    return found


def _paid_at(topic: str, order: JsonObject) -> tuple[datetime | None, bool]:
    """(paid_at, exact). orders/paid fires when the order becomes paid, so its
    ``updated_at`` is the payment time (processed_at is the checkout: earlier for a bank
    transfer). Other topics only know processed_at, an approximation a stored exact time
    should keep winning over."""
    paid = topic == "orders/paid" or order.get("financial_status") in PAID_STATUSES
    if not paid:
        return None, True
    if topic == "orders/paid":
        return _required_time(order, "updated_at", "processed_at"), True
    return _required_time(order, "processed_at", "created_at"), False


def _status(order: JsonObject, paid: bool) -> str:
    if order.get("cancelled_at"):
        return OrderStatus.CANCELLED.value
    if paid:
        fulfilled = order.get("fulfillment_status") == "fulfilled"
        return (OrderStatus.FULFILLED if fulfilled else OrderStatus.PAID).value
    return OrderStatus.OPEN.value


def _first(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0].strip() if values and values[0].strip() else None


def _referrer_channel(referring_site: Any) -> str | None:
    if not isinstance(referring_site, str) or not referring_site.strip():
        return None
    site = referring_site.strip()
    host = (urlsplit(site if "//" in site else f"//{site}").hostname or "").lower()
    for domain, channel in _REFERRERS.items():
        if host == domain or host.endswith(f".{domain}"):
            return channel.value
    return None


def _attribution(order: JsonObject) -> dict[str, str | None]:
    """The social channel (utm_source, else the referrer) and the utm fields."""
    landing = order.get("landing_site")
    query = parse_qs(urlsplit(landing).query) if isinstance(landing, str) else {}
    utm_source = _first(query, "utm_source")
    channel = _SOURCES.get((utm_source or "").lower())
    return {
        "channel": channel.value if channel else _referrer_channel(order.get("referring_site")),
        "campaign": _first(query, "utm_campaign"),
        "utm_source": utm_source,
        "utm_medium": _first(query, "utm_medium"),
    }


def _source(order: JsonObject, attributes: Mapping[str, str]) -> str:
    if order.get("source_name") == "pos":
        return OrderSource.POS.value
    if LIVE_ATTRIBUTE in attributes:
        return OrderSource.LIVE.value
    return OrderSource.WEB.value


def _order_row(topic: str, order: JsonObject, order_id: str, shop_id: str, currency: str) -> Row:
    attributes = _attributes(order)
    attribution = _attribution(order)
    paid_at, exact = _paid_at(topic, order)
    values = {
        "shop_id": shop_id,
        "order_id": order_id,
        "customer_id": text_id(get(order, "customer", "id")),
        "created_at": _required_time(order, "created_at"),
        "updated_at": iso_utc(order.get("updated_at"), "updated_at"),
        "paid_at": paid_at,
        "cancelled_at": iso_utc(order.get("cancelled_at"), "cancelled_at"),
        "currency": currency,
        "amount": _shop_money(order, "total_price"),
        "discount_amount": _shop_money(order, "total_discounts"),
        "shipping_amount": _shop_money(order, "total_shipping_price"),
        "source": _source(order, attributes),
        "channel": attribution["channel"],
        "live_id": attributes.get(LIVE_ATTRIBUTE),
        "campaign": attribution["campaign"],
        "status": _status(order, paid_at is not None),
        "extra": _order_extra(topic, order, attribution),
    }
    return Row("orders", values, keep=frozenset() if exact else frozenset({"paid_at"}))


def _order_extra(
    topic: str, order: JsonObject, attribution: Mapping[str, str | None]
) -> dict[str, Any]:
    codes = [c.get("code") for c in objects(order.get("discount_codes")) if c.get("code")]
    return compact(
        {
            "name": order.get("name"),
            "order_number": order.get("order_number"),
            "topic": topic,
            "financial_status": order.get("financial_status"),
            "fulfillment_status": order.get("fulfillment_status"),
            "source_name": order.get("source_name"),
            "presentment_currency": order.get("presentment_currency"),
            "presentment_amount": get(order, "total_price_set", "presentment_money", "amount"),
            "current_total_price": money_text(_shop_money(order, "current_total_price")),
            "processed_at": order.get("processed_at"),
            "cancel_reason": order.get("cancel_reason"),
            "tags": order.get("tags") or None,
            "discount_codes": codes or None,
            "landing_site": order.get("landing_site"),
            "referring_site": order.get("referring_site"),
            "utm_source": attribution["utm_source"],
            "utm_medium": attribution["utm_medium"],
        }
    )


def _line_discount(item: JsonObject) -> Decimal:
    """The line's discount in shop money: its discount allocations (current API), else
    the older ``total_discount``."""
    allocations = objects(item.get("discount_allocations"))
    if allocations:
        amounts = (_shop_money(a, "amount") for a in allocations)
        return sum((a for a in amounts if a is not None), Decimal(0))
    return _shop_money(item, "total_discount") or Decimal(0)


def _item_row(item: JsonObject, order_id: str, shop_id: str) -> Row:
    line_id = require_id(item.get("id"), "line_items[].id")
    quantity = item.get("quantity")
    quantity = quantity if isinstance(quantity, int) and not isinstance(quantity, bool) else None
    unit_price = _shop_money(item, "price")
    amount = None
    if quantity is not None and unit_price is not None:
        amount = max(unit_price * quantity - _line_discount(item), Decimal(0))
    values = {
        "shop_id": shop_id,
        "order_id": order_id,
        "line_id": line_id,
        "product_id": text_id(item.get("product_id")) or text_id(item.get("sku")),
        "quantity": quantity,
        "unit_price": unit_price,
        "amount": amount,
        "extra": compact(
            {
                "sku": text_id(item.get("sku")),
                "variant_id": text_id(item.get("variant_id")),
                "title": item.get("title"),
                "variant_title": item.get("variant_title"),
                "presentment_price": get(item, "price_set", "presentment_money", "amount"),
            }
        ),
    }
    return Row("order_items", values)


def _identity_rows(order: JsonObject, shop_id: str) -> list[Row]:
    """A LINE user id the storefront stashed in the cart links that LINE user to the
    store customer (only when there is a customer to link to)."""
    line_user = _attributes(order).get(LINE_USER_ATTRIBUTE)
    customer_id = text_id(get(order, "customer", "id"))
    if not line_user or not customer_id:
        return []
    values = {
        "shop_id": shop_id,
        "channel": Channel.LINE.value,
        "channel_user_id": line_user,
        "customer_id": customer_id,
    }
    return [Row("identities", values)]


# -- refunds ------------------------------------------------------------------------------
def _refund_event(refund: JsonObject, headers: Mapping[str, str], shop: ShopConfig) -> WebhookEvent:
    # a shop configured without a currency: the refund's own transactions tell it
    fallback = next(
        (str(t["currency"]) for t in objects(refund.get("transactions")) if t.get("currency")),
        "USD",
    )
    row = _refund_row(refund, shop.shop_id, shop.currency or fallback)
    ts: datetime = row.values["ts"]
    key = _dedupe_key(headers, REFUND_TOPIC, refund, refund.get("created_at"))
    transactions = objects(refund.get("transactions"))
    if transactions and all(t.get("test") is True for t in transactions):
        return WebhookEvent(Platform.SHOPIFY, shop.shop_id, key, "test_refund", ts, (), refund)
    return WebhookEvent(Platform.SHOPIFY, shop.shop_id, key, "refund", ts, (row,), refund)


def _refund_currency(refund: JsonObject) -> str | None:
    """The shop currency as the refund itself states it (any shop_money code)."""
    candidates = [
        *(get(i, "subtotal_set", "shop_money") for i in objects(refund.get("refund_line_items"))),
        *(get(a, "amount_set", "shop_money") for a in objects(refund.get("order_adjustments"))),
        *(get(t, "amount_set", "shop_money") for t in objects(refund.get("transactions"))),
        get(refund, "total_duties_set", "shop_money"),
    ]
    codes = (get(c, "currency_code") for c in candidates)
    return next((c for c in codes if isinstance(c, str) and c), None)


def _refund_amount(refund: JsonObject, currency: str) -> tuple[Decimal, str]:
    """(amount in shop currency, basis). Σ successful refund transactions; a transaction
    in another currency without a shop-money twin cannot be converted here, so then the
    refund is valued from its lines instead (see :func:`_lines_value`)."""
    total = Decimal(0)
    for t in objects(refund.get("transactions")):
        if t.get("kind") != "refund" or t.get("status") != "success":
            continue
        shop_amount = decimal(get(t, "amount_set", "shop_money", "amount"))
        if shop_amount is None and t.get("currency") not in (None, currency):
            return _lines_value(refund), "line_items"
        total += shop_amount if shop_amount is not None else (decimal(t.get("amount")) or 0)
    return total, "transactions"


def _lines_value(refund: JsonObject) -> Decimal:
    """Σ refunded lines (subtotal + tax, shop money) minus Σ order adjustments: Shopify
    writes an adjustment negative when it adds money to the refund (a shipping refund of
    5.00 is amount "-5.00"), positive when the refund is smaller than its lines."""
    total = Decimal(0)
    for line in objects(refund.get("refund_line_items")):
        total += _shop_money(line, "subtotal") or 0
        total += _shop_money(line, "total_tax") or 0
    for adjustment in objects(refund.get("order_adjustments")):
        total -= _shop_money(adjustment, "amount") or 0
        total -= _shop_money(adjustment, "tax_amount") or 0
    return total


def _refund_row(refund: JsonObject, shop_id: str, default_currency: str) -> Row:
    """One refund, the same whether refunds/create sent it or an order payload embeds it
    (nothing here depends on the enclosing order)."""
    stated = _refund_currency(refund)
    amount, basis = _refund_amount(refund, stated or default_currency)
    note = refund.get("note")
    lines = [
        compact(
            {
                "line_item_id": text_id(line.get("line_item_id")),
                "quantity": line.get("quantity"),
                "subtotal": money_text(_shop_money(line, "subtotal")),
            }
        )
        for line in objects(refund.get("refund_line_items"))
    ]
    values = {
        "shop_id": shop_id,
        "refund_id": require_id(refund.get("id"), "refund id"),
        "order_id": require_id(refund.get("order_id"), "refund order_id"),
        "ts": _required_time(refund, "created_at", "processed_at"),
        "amount": amount,
        "reason": note if isinstance(note, str) and note else None,
        "extra": compact(
            {
                "currency": stated,
                "amount_basis": basis,
                "restock": refund.get("restock"),
                "refund_line_items": lines or None,
            }
        ),
    }
    return Row("refunds", values)
