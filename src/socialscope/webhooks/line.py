"""LINE Messaging API webhooks → canonical rows (FORMATS.md §1).

Every LINE event is deduplicated on its ``webhookEventId`` (a redelivery keeps it), and
message rows are keyed on the message id (``line:msg:<id>``) so an ``unsend`` can find
the message it retracts. Unknown event types come back as events with no rows, as the
official SDK does (``UnknownEvent``): a genuine request is never refused for them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from socialscope.config import ShopConfig
from socialscope.contract.enums import Channel, MessageKind, MessageType, Sender
from socialscope.webhooks._util import (
    JsonObject,
    compact,
    epoch_utc,
    get,
    load_object,
    obj,
    require_id,
    text_id,
)
from socialscope.webhooks.events import (
    PayloadError,
    Platform,
    RoutingError,
    Row,
    RowMode,
    WebhookEvent,
)

CHANNEL = Channel.LINE.value

_MESSAGE_TYPES = {
    "text": MessageType.TEXT,
    "image": MessageType.IMAGE,
    "video": MessageType.VIDEO,
    "audio": MessageType.AUDIO,
    "file": MessageType.FILE,
    "sticker": MessageType.STICKER,
}
"""LINE message types with a canonical twin; location and anything new map to other."""


def parse_line(body: bytes, shops: Sequence[ShopConfig]) -> list[WebhookEvent]:
    """The events of one verified LINE request, for the shops whose bot is its
    ``destination`` (normally one)."""
    doc = load_object(body)
    events = doc.get("events")
    if not isinstance(events, list):
        raise PayloadError("events is missing or not an array")
    owners = _owners(doc.get("destination"), shops)
    out: list[WebhookEvent] = []
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            raise PayloadError(f"events[{index}] is not an object")
        out.extend(_event(shop.shop_id, event) for shop in owners)
    return out


def _owners(destination: Any, shops: Sequence[ShopConfig]) -> list[ShopConfig]:
    """Route on ``destination`` (the bot user id), among the shops that verified."""
    if not isinstance(destination, str) or not destination:
        raise PayloadError("destination is missing")
    owners = [s for s in shops if s.line is not None and s.line.bot_user_id == destination]
    if not owners:
        raise RoutingError("LINE destination is not the bot of any verified shop")
    return owners


class _Ctx:
    """One LINE event for one shop, with the fields every mapping needs."""

    def __init__(self, shop_id: str, event: JsonObject) -> None:
        self.shop_id = shop_id
        self.event = event
        kind = event.get("type")
        self.type: str = kind if isinstance(kind, str) and kind else "unknown"
        self.event_id = require_id(event.get("webhookEventId"), "webhookEventId")
        self.ts: datetime = epoch_utc(event.get("timestamp"), "timestamp")
        self.source = obj(event.get("source"))
        self.user_id = text_id(self.source.get("userId"))

    @property
    def dedupe_key(self) -> str:
        return f"line:event:{self.event_id}"

    @property
    def customer_id(self) -> str | None:
        """The sender; in a group or room without a userId, the group/room itself."""
        return (
            self.user_id
            or text_id(self.source.get("groupId"))
            or text_id(self.source.get("roomId"))
        )

    def base_extra(self) -> dict[str, Any]:
        return compact(
            {
                "webhook_event_id": self.event_id,
                "source_type": self.source.get("type"),
                "group_id": text_id(self.source.get("groupId")),
                "room_id": text_id(self.source.get("roomId")),
                "mode": "standby" if self.event.get("mode") == "standby" else None,
            }  # not isRedelivery: a redelivered row must equal the original (it is logged)
        )

    def make(self, kind: str, rows: tuple[Row, ...] = ()) -> WebhookEvent:
        return WebhookEvent(
            platform=Platform.LINE,
            shop_id=self.shop_id,
            dedupe_key=self.dedupe_key,
            kind=kind,
            ts=self.ts,
            rows=rows,
            payload=self.event,
        )


def _event(shop_id: str, event: JsonObject) -> WebhookEvent:
    ctx = _Ctx(shop_id, event)
    handler = _HANDLERS.get(ctx.type)
    return handler(ctx) if handler is not None else ctx.make(ctx.type)


def _chat_row(ctx: _Ctx, event_id: str, values: dict[str, Any]) -> Row:
    """A customer's messages row; ``values`` adds message_type, text and extra."""
    customer_id = ctx.customer_id
    if customer_id is None:
        raise PayloadError(f"{ctx.type} event has no source user, group or room")
    return Row(
        "messages",
        {
            "shop_id": ctx.shop_id,
            "event_id": event_id,
            "channel": CHANNEL,
            "conversation_id": None,
            "customer_id": customer_id,
            "ts": ctx.ts,
            "sender": Sender.CUSTOMER.value,
            "kind": MessageKind.MESSAGE.value,
            "is_echo": False,
            **values,
        },
    )


def _message(ctx: _Ctx) -> WebhookEvent:
    message = obj(ctx.event.get("message"))
    message_id = require_id(message.get("id"), "message.id")
    message_type = _MESSAGE_TYPES.get(str(message.get("type")), MessageType.OTHER)
    text = message.get("text") if message_type is MessageType.TEXT else None
    row = _chat_row(
        ctx,
        f"line:msg:{message_id}",
        {
            "message_type": message_type.value,
            "text": text if isinstance(text, str) else None,
            "extra": {**ctx.base_extra(), **_message_extra(message)},
        },
    )
    return ctx.make("message", (row,))


def _message_extra(message: JsonObject) -> dict[str, Any]:
    """The message fields worth keeping: ids that link (quotes, image sets, stickers) and
    media facts (duration, file name and size, location)."""
    image_set = obj(message.get("imageSet"))
    return compact(
        {
            "message_id": text_id(message.get("id")),
            "line_message_type": message.get("type"),
            "quoted_message_id": text_id(message.get("quotedMessageId")),
            "emojis": message.get("emojis") or None,
            "mention": message.get("mention"),
            "image_set_id": text_id(image_set.get("id")),
            "image_set_index": image_set.get("index"),
            "image_set_total": image_set.get("total"),
            "content_provider": get(message, "contentProvider", "type"),
            "duration_ms": message.get("duration"),
            "file_name": message.get("fileName"),
            "file_size": message.get("fileSize"),
            "package_id": text_id(message.get("packageId")),
            "sticker_id": text_id(message.get("stickerId")),
            "sticker_resource_type": message.get("stickerResourceType"),
            "sticker_keywords": message.get("keywords"),
            "sticker_text": message.get("text") if message.get("type") == "sticker" else None,
            "title": message.get("title"),
            "address": message.get("address"),
            "latitude": message.get("latitude"),
            "longitude": message.get("longitude"),
        }
    )


def _postback(ctx: _Ctx) -> WebhookEvent:
    """A button tap: a customer action in the chat, kept as a message of type other."""
    postback = obj(ctx.event.get("postback"))
    extra = {
        **ctx.base_extra(),
        **compact({"postback": postback.get("data"), "postback_params": postback.get("params")}),
    }
    row = _chat_row(
        ctx,
        ctx.dedupe_key,
        {"message_type": MessageType.OTHER.value, "text": None, "extra": extra},
    )
    return ctx.make("postback", (row,))


def _follow(ctx: _Ctx) -> WebhookEvent:
    """A new friend (or an unblock): the customer follows the account again.

    ``first_seen_at`` is only set for a new friend; an unblocked user was seen before."""
    if ctx.user_id is None:
        return ctx.make("follow")
    unblocked = get(ctx.event, "follow", "isUnblocked") is True
    values: dict[str, Any] = {
        "shop_id": ctx.shop_id,
        "customer_id": ctx.user_id,
        "is_follower": True,
        "extra": {"is_unblocked": unblocked},
    }
    if not unblocked:
        values["first_seen_at"] = ctx.ts
    return ctx.make("follow", (Row("customers", values, RowMode.PATCH),))


def _unfollow(ctx: _Ctx) -> WebhookEvent:
    """The user blocked the account."""
    if ctx.user_id is None:
        return ctx.make("unfollow")
    values = {"shop_id": ctx.shop_id, "customer_id": ctx.user_id, "is_follower": False}
    return ctx.make("unfollow", (Row("customers", values, RowMode.PATCH),))


def _unsend(ctx: _Ctx) -> WebhookEvent:
    """The user retracted a message: blank the stored text of ``line:msg:<id>``."""
    message_id = require_id(get(ctx.event, "unsend", "messageId"), "unsend.messageId")
    values = {"shop_id": ctx.shop_id, "event_id": f"line:msg:{message_id}"}
    return ctx.make("unsend", (Row("messages", values, RowMode.REDACT),))


_HANDLERS: dict[str, Callable[[_Ctx], WebhookEvent]] = {
    "message": _message,
    "postback": _postback,
    "follow": _follow,
    "unfollow": _unfollow,
    "unsend": _unsend,
}
"""Event types with canonical rows; join, leave, memberJoined, memberLeft and every other
type are logged with no rows."""
