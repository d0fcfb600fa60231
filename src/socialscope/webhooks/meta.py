"""Meta webhooks → canonical rows: Messenger and Instagram messaging (FORMATS.md §2),
Facebook Page feed comments and live videos (§3), Instagram comments (§4).

One request holds ``entry[]`` items, each for one Page (``object: page``) or Instagram
account (``object: instagram``) and routed to the shop that owns that id. Inside an entry,
``messaging[]`` and ``standby[]`` (the handover protocol's copy while another app owns the
thread) carry chat events; ``changes[]`` carry field updates. Objects, fields and event
keys this module does not know come back as events with no rows: Meta adds them often,
and refusing a genuine request would only make Meta retry it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from socialscope.config import ShopConfig
from socialscope.contract.enums import Channel, CommentAuthor, MessageKind, MessageType, Sender
from socialscope.webhooks._util import (
    EPOCH,
    ONE_MS,
    JsonObject,
    compact,
    digest,
    epoch_utc,
    get,
    load_object,
    obj,
    objects,
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

PAGE, INSTAGRAM = "page", "instagram"
INBOX_STAFF_PREFIX = "meta_app:"
"""Echoes from an app that is not the shop's bot are a person's replies; the person is
unknown, so the staff id names the app (e.g. meta_app:263902037430900, the Page inbox)."""


# -- entries and routing ------------------------------------------------------------------
@dataclass(frozen=True)
class _Entry:
    """One ``entry[]`` item for one shop."""

    shop: ShopConfig
    surface: str
    account_id: str
    raw: JsonObject

    @property
    def channel(self) -> str:
        return Channel.FACEBOOK.value if self.surface == PAGE else Channel.INSTAGRAM.value

    @property
    def prefix(self) -> str:
        """The dedupe-key prefix of chat events (FORMATS.md §6)."""
        return "messenger" if self.surface == PAGE else INSTAGRAM

    @property
    def own_ids(self) -> frozenset[str]:
        """The account ids of this shop on this surface: their comments are the page's."""
        meta = self.shop.meta
        ids = (meta.page_ids if self.surface == PAGE else meta.instagram_ids) if meta else ()
        return frozenset((*ids, self.account_id))

    def time(self) -> datetime:
        return epoch_utc(self.raw.get("time"), "entry.time")

    def event(
        self, kind: str, key: str, ts: datetime, payload: JsonObject, rows: tuple[Row, ...] = ()
    ) -> WebhookEvent:
        return WebhookEvent(Platform.META, self.shop.shop_id, key, kind, ts, rows, payload)


def parse_meta(body: bytes, shops: Sequence[ShopConfig]) -> list[WebhookEvent]:
    """The events of one verified Meta request, each entry for the shop owning its id."""
    doc = load_object(body)
    surface = doc.get("object")
    if surface not in (PAGE, INSTAGRAM):
        return []  # an object this engine does not subscribe to
    entries = doc.get("entry")
    if not isinstance(entries, list):
        raise PayloadError("entry is missing or not an array")
    out: list[WebhookEvent] = []
    unowned = 0
    for index, raw in enumerate(entries):
        if not isinstance(raw, dict):
            raise PayloadError(f"entry[{index}] is not an object")
        account_id = require_id(raw.get("id"), f"entry[{index}].id")
        try:
            owners = _owners(str(surface), account_id, shops)
        except RoutingError:
            unowned += 1  # another app subscription's page, batched with ours
            continue
        for shop in owners:
            out.extend(_entry_events(_Entry(shop, str(surface), account_id, raw)))
    if unowned and unowned == len(entries):
        raise RoutingError(f"Meta {surface} request for accounts no verified shop owns")
    return out


def _owners(surface: str, account_id: str, shops: Sequence[ShopConfig]) -> list[ShopConfig]:
    """The verified shops owning this Page / IG account. Instagram entries may carry the
    Page id instead of the IG account id (Facebook Login), so pages are a fallback."""
    with_meta = [s for s in shops if s.meta is not None]
    if surface == INSTAGRAM:
        owners = [s for s in with_meta if s.meta and account_id in s.meta.instagram_ids]
        if owners:
            return owners
    owners = [s for s in with_meta if s.meta and account_id in s.meta.page_ids]
    if not owners:
        raise RoutingError(f"Meta {surface} entry for an account no verified shop owns")
    return owners


def _entry_events(entry: _Entry) -> list[WebhookEvent]:
    out = [
        _messaging_event(entry, item, standby=key == "standby")
        for key in ("messaging", "standby")
        for item in objects(entry.raw.get(key))
    ]
    out.extend(_change_event(entry, change) for change in objects(entry.raw.get("changes")))
    return out


# -- messaging ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Msg:
    """One messaging (or standby) item."""

    entry: _Entry
    item: JsonObject
    standby: bool
    ts: datetime

    @property
    def sender_id(self) -> str | None:
        return text_id(get(self.item, "sender", "id"))

    @property
    def raw_ts(self) -> str:
        stamp = self.item.get("timestamp")
        return str(stamp if stamp is not None else self.entry.raw.get("time"))

    def psid(self) -> str:
        """The customer of an inbound event (PSID / IGSID)."""
        return require_id(get(self.item, "sender", "id"), "messaging sender.id")

    def key(self, *parts: object) -> str:
        return ":".join((self.entry.prefix, *(str(p) for p in parts)))

    def event(self, kind: str, key: str, rows: tuple[Row, ...] = ()) -> WebhookEvent:
        return self.entry.event(kind, key, self.ts, self.item, rows)

    def extra(self, values: dict[str, Any]) -> dict[str, Any]:
        return compact({**values, "standby": True if self.standby else None})

    def chat_row(self, event_id: str, customer_id: str, values: dict[str, Any]) -> Row:
        return Row(
            "messages",
            {
                "shop_id": self.entry.shop.shop_id,
                "event_id": event_id,
                "channel": self.entry.channel,
                "conversation_id": None,
                "customer_id": customer_id,
                "ts": self.ts,
                **values,
            },
        )


def _messaging_event(entry: _Entry, item: JsonObject, *, standby: bool) -> WebhookEvent:
    stamp = item.get("timestamp")
    ts = epoch_utc(stamp if stamp is not None else entry.raw.get("time"), "messaging timestamp")
    msg = _Msg(entry, item, standby, ts)
    for key, handler in _MESSAGING.items():
        if isinstance(item.get(key), dict):
            return handler(msg, item[key])
    kind = next((k for k in item if k not in ("sender", "recipient", "timestamp")), "unknown")
    return msg.event(kind, msg.key(kind, digest(item)))


_ATTACHMENT_TYPES = {
    "image": MessageType.IMAGE,
    "video": MessageType.VIDEO,
    "audio": MessageType.AUDIO,
    "file": MessageType.FILE,
}
"""Attachment types with a canonical twin; template, fallback, location, share, story
mentions, reels and anything new are other."""


def _message_type(message: JsonObject) -> MessageType:
    """Stickers first (the like sticker comes as an image attachment with sticker_id),
    then text, then the first attachment's type."""
    attachments = objects(message.get("attachments"))
    if message.get("sticker_id") is not None or any(
        get(a, "payload", "sticker_id") is not None for a in attachments
    ):
        return MessageType.STICKER
    if isinstance(message.get("text"), str) and message["text"]:
        return MessageType.TEXT
    if attachments:
        return _ATTACHMENT_TYPES.get(str(attachments[0].get("type")), MessageType.OTHER)
    return MessageType.OTHER


def _echo_sender(shop: ShopConfig, app_id: Any) -> tuple[str, str | None]:
    """An echo is the shop's: its bot when its own app sent it, else a person."""
    app = text_id(app_id)
    if app is not None and shop.meta is not None and app in shop.meta.bot_app_ids:
        return Sender.BOT.value, None
    return Sender.AGENT.value, f"{INBOX_STAFF_PREFIX}{app or 'unknown'}"


def _message(msg: _Msg, message: JsonObject) -> WebhookEvent:
    mid = require_id(message.get("mid"), "message.mid")
    event_id = msg.key("mid", mid)
    if message.get("is_deleted") is True:  # Instagram: the user unsent it
        values = {"shop_id": msg.entry.shop.shop_id, "event_id": event_id}
        redact = Row("messages", values, RowMode.REDACT)
        return msg.event("unsend", msg.key("unsend", mid), (redact,))
    echo = message.get("is_echo") is True
    if echo:
        customer = require_id(get(msg.item, "recipient", "id"), "echo recipient.id")
        sender, staff_id = _echo_sender(msg.entry.shop, message.get("app_id"))
    else:
        customer, sender, staff_id = msg.psid(), Sender.CUSTOMER.value, None
    text = message.get("text")
    row = msg.chat_row(
        event_id,
        customer,
        {
            "sender": sender,
            "staff_id": staff_id,
            "kind": MessageKind.MESSAGE.value,
            "message_type": _message_type(message).value,
            "text": text if isinstance(text, str) else None,
            "is_echo": echo,
            "extra": msg.extra(_message_extra(msg, message)),
        },
    )
    return msg.event("echo" if echo else "message", event_id, (row,))


def _message_extra(msg: _Msg, message: JsonObject) -> dict[str, Any]:
    types = [str(a.get("type")) for a in objects(message.get("attachments"))]
    return {
        "account_id": msg.entry.account_id,
        "quick_reply_payload": get(message, "quick_reply", "payload"),
        "reply_to_mid": text_id(get(message, "reply_to", "mid")),
        "reply_to_story_id": text_id(get(message, "reply_to", "story", "id")),
        "sticker_id": message.get("sticker_id"),
        "attachment_types": types or None,
        "app_id": text_id(message.get("app_id")),
        "metadata": message.get("metadata"),
        "referral": message.get("referral"),
    }


def _postback(msg: _Msg, postback: JsonObject) -> WebhookEvent:
    """A button tap: the customer's action in the chat, a message of type other."""
    psid = msg.psid()
    mid = text_id(postback.get("mid"))
    event_id = msg.key("mid", mid) if mid else msg.key("postback", psid, msg.raw_ts)
    extra = {
        "account_id": msg.entry.account_id,
        "postback": postback.get("payload"),
        "postback_title": postback.get("title"),
        "referral": postback.get("referral"),
    }
    row = msg.chat_row(
        event_id,
        psid,
        {
            "sender": Sender.CUSTOMER.value,
            "kind": MessageKind.MESSAGE.value,
            "message_type": MessageType.OTHER.value,
            "text": None,
            "is_echo": False,
            "extra": msg.extra(extra),
        },
    )
    return msg.event("postback", event_id, (row,))


def _receipt(kind: str) -> Callable[[_Msg, JsonObject], WebhookEvent]:
    """Delivery and read receipts: logged, no rows; idempotent by (customer, watermark)."""

    def handle(msg: _Msg, body: JsonObject) -> WebhookEvent:
        mark = body.get("watermark") or body.get("mid") or digest(body)
        return msg.event(kind, msg.key(kind, msg.sender_id or "-", mark))

    return handle


def _reaction(msg: _Msg, body: JsonObject) -> WebhookEvent:
    key = msg.key("reaction", body.get("mid"), msg.sender_id or "-", body.get("action"), msg.raw_ts)
    return msg.event("reaction", key)


def _message_edit(msg: _Msg, body: JsonObject) -> WebhookEvent:
    """The customer edited a message: a patch of the stored message's text."""
    mid = require_id(body.get("mid"), "message_edit.mid")
    text = body.get("text")
    values = {
        "shop_id": msg.entry.shop.shop_id,
        "event_id": msg.key("mid", mid),
        "text": text if isinstance(text, str) else None,
        "extra": msg.extra({"edit_count": body.get("num_edit")}),
    }
    key = msg.key("edit", mid, body.get("num_edit"))
    return msg.event("message_edit", key, (Row("messages", values, RowMode.PATCH),))


def _bot_to_human(previous: str | None, new: str | None, bots: frozenset[str]) -> bool:
    """Control leaves the shop's bot for a non-bot app (the Page inbox, a person).

    Without ``previous_owner_app_id`` the thread was the bot's when the shop has one."""
    if new is not None and new in bots:
        return False
    return previous in bots if previous is not None else bool(bots)


def _handover(name: str) -> Callable[[_Msg, JsonObject], WebhookEvent]:
    """pass/take/request_thread_control; a bot → human change of owner is a handoff."""

    def handle(msg: _Msg, body: JsonObject) -> WebhookEvent:
        psid = msg.psid()
        key = msg.key(name, psid, msg.raw_ts)
        meta = msg.entry.shop.meta
        bots = frozenset(meta.bot_app_ids if meta else ())
        previous = text_id(body.get("previous_owner_app_id"))
        new = text_id(body.get("new_owner_app_id"))
        if name == "request_thread_control" or not _bot_to_human(previous, new, bots):
            return msg.event(name, key)
        extra = {
            "handover": name,
            "previous_owner_app_id": previous,
            "new_owner_app_id": new,
            "metadata": body.get("metadata"),
        }
        row = msg.chat_row(
            key,
            psid,
            {
                "sender": Sender.SYSTEM.value,
                "kind": MessageKind.HANDOFF.value,
                "message_type": MessageType.OTHER.value,
                "text": None,
                "is_echo": False,
                "extra": msg.extra(extra),
            },
        )
        return msg.event("handoff", key, (row,))

    return handle


_MESSAGING: dict[str, Callable[[_Msg, JsonObject], WebhookEvent]] = {
    "message": _message,
    "postback": _postback,
    "delivery": _receipt("delivery"),
    "read": _receipt("read"),
    "reaction": _reaction,
    "message_edit": _message_edit,
    "pass_thread_control": _handover("pass_thread_control"),
    "take_thread_control": _handover("take_thread_control"),
    "request_thread_control": _handover("request_thread_control"),
}


# -- changes: comments and lives ----------------------------------------------------------
def _change_event(entry: _Entry, change: JsonObject) -> WebhookEvent:
    field = change.get("field")
    value = obj(change.get("value"))
    handler = _CHANGES.get((entry.surface, str(field)))
    if handler is not None:
        return handler(entry, value, change)
    raw_time = entry.raw.get("time")
    ts = epoch_utc(raw_time, "entry.time") if raw_time is not None else EPOCH
    key = f"{entry.channel}:change:{field}:{digest([entry.account_id, raw_time, change])}"
    return entry.event(f"change:{field}", key, ts, change)


def _author(entry: _Entry, from_id: str | None) -> str | None:
    if from_id is None:
        return None
    return CommentAuthor.PAGE.value if from_id in entry.own_ids else CommentAuthor.CUSTOMER.value


_FB_VERBS: dict[str, tuple[str, RowMode, bool]] = {
    "add": ("comment", RowMode.UPSERT, False),
    "edited": ("comment_edit", RowMode.PATCH, False),
    "edit": ("comment_edit", RowMode.PATCH, False),
    "remove": ("comment_remove", RowMode.PATCH, True),
    "delete": ("comment_remove", RowMode.PATCH, True),
    "hide": ("comment_hide", RowMode.PATCH, False),
    "unhide": ("comment_unhide", RowMode.PATCH, False),
}
"""Comment verb → (event kind, row mode, deleted). A change after the add only knows part
of the row (a removal has no message), so it patches the stored one."""


def _feed(entry: _Entry, value: JsonObject, change: JsonObject) -> WebhookEvent:
    item = value.get("item")
    if item != "comment":  # reactions, posts, shares...: logged, no rows
        stamp = value.get("created_time")
        ts = epoch_utc(stamp, "created_time") if stamp is not None else entry.time()
        kind = "reaction" if item == "reaction" else f"feed:{item}"
        return entry.event(kind, f"facebook:feed:{item}:{digest(value)}", ts, change)
    return _fb_comment(entry, value, change)


def _fb_comment(entry: _Entry, value: JsonObject, change: JsonObject) -> WebhookEvent:
    comment_id = require_id(value.get("comment_id"), "feed comment_id")
    verb = str(value.get("verb"))
    stamp = value.get("created_time")
    if stamp is None:  # never seen in captures; the entry's time is the best stand-in
        stamp = entry.raw.get("time")
    ts = epoch_utc(stamp, "created_time")
    key = f"facebook:comment:{comment_id}:{verb}:{stamp}"
    if verb not in _FB_VERBS:
        return entry.event(f"comment_{verb}", key, ts, change)
    kind, mode, _ = _FB_VERBS[verb]
    row = Row("comments", _fb_comment_values(entry, value, comment_id, verb, ts), mode)
    return entry.event(kind, key, ts, change, (row,))


def _change_time(entry: _Entry, ts: datetime) -> datetime:
    """When an edit or removal happened: entry.time, but always after the comment's own
    time, so the change sorts after the add it changes (same-second edits included)."""
    floor = ts + ONE_MS
    raw = entry.raw.get("time")
    return max(epoch_utc(raw, "entry.time"), floor) if raw is not None else floor


def _fb_comment_values(
    entry: _Entry, value: JsonObject, comment_id: str, verb: str, ts: datetime
) -> dict[str, Any]:
    _, _, deleted = _FB_VERBS[verb]
    updated_at = ts if verb == "add" else _change_time(entry, ts)
    from_id = text_id(get(value, "from", "id"))
    post_id = text_id(value.get("post_id"))
    parent_id = text_id(value.get("parent_id"))
    message = value.get("message")
    hidden = {"hide": True, "unhide": False}.get(verb)
    return {
        "shop_id": entry.shop.shop_id,
        "event_id": f"facebook:comment:{comment_id}",
        "channel": Channel.FACEBOOK.value,
        "post_id": post_id,
        "comment_id": comment_id,
        "parent_comment_id": parent_id if parent_id and parent_id != post_id else None,
        "live_id": None,  # a live's comments are feed comments on its post: linked elsewhere
        "customer_id": from_id,
        "author": _author(entry, from_id),
        "ts": ts,
        "text": message if isinstance(message, str) else None,
        "deleted": deleted,
        "updated_at": updated_at,
        "extra": compact(
            {
                "verb": verb,
                "author_name": get(value, "from", "name"),
                "post_status_type": get(value, "post", "status_type"),
                "hidden": hidden,
            }
        ),
    }


def _ig_comment(entry: _Entry, value: JsonObject, change: JsonObject) -> WebhookEvent:
    """IG ``comments`` / ``live_comments``: no verb, no created_time, entry.time is the
    time; ``live_comments`` fire only during a live, whose media id is the live id."""
    field = str(change.get("field"))
    comment_id = require_id(value.get("id"), f"{field} value.id")
    ts = entry.time()
    from_id = text_id(get(value, "from", "id"))
    media = obj(value.get("media"))
    media_id = text_id(media.get("id"))
    text = value.get("text")
    values = {
        "shop_id": entry.shop.shop_id,
        "event_id": f"instagram:comment:{comment_id}",
        "channel": Channel.INSTAGRAM.value,
        "post_id": media_id,
        "comment_id": comment_id,
        "parent_comment_id": text_id(value.get("parent_id")),
        "live_id": media_id if field == "live_comments" else None,
        "customer_id": from_id,
        "author": _author(entry, from_id),
        "ts": ts,
        "text": text if isinstance(text, str) else None,
        "deleted": False,
        "updated_at": ts,
        "extra": compact(
            {
                "surface": field,
                "media_product_type": media.get("media_product_type"),
                "author_username": get(value, "from", "username"),
                "ad_id": text_id(media.get("ad_id")),
                "ad_title": media.get("ad_title"),
            }
        ),
    }
    key = f"instagram:comment:{comment_id}"
    return entry.event("comment", key, ts, change, (Row("comments", values),))


_LIVE_COLUMN = {"live": "started_at", "live_stopped": "ended_at", "vod": "ended_at"}
"""A live video's status → the live_sessions column its time sets (vod: the replay is
ready, so the live is over even if live_stopped was never seen)."""


def _live_video(entry: _Entry, value: JsonObject, change: JsonObject) -> WebhookEvent:
    video_id = require_id(value.get("id"), "live_videos value.id")
    status = str(value.get("status"))
    ts = entry.time()
    key = f"facebook:live:{video_id}:{status}"
    column = _LIVE_COLUMN.get(status)
    if column is None:
        return entry.event("live_status", key, ts, change)
    values = {
        "shop_id": entry.shop.shop_id,
        "live_id": video_id,
        "channel": Channel.FACEBOOK.value,
        column: ts,
        "extra": {"live_status": status},
    }
    return entry.event(
        "live_status", key, ts, change, (Row("live_sessions", values, RowMode.PATCH),)
    )


_CHANGES: dict[tuple[str, str], Callable[[_Entry, JsonObject, JsonObject], WebhookEvent]] = {
    (PAGE, "feed"): _feed,
    (PAGE, "live_videos"): _live_video,
    (INSTAGRAM, "comments"): _ig_comment,
    (INSTAGRAM, "live_comments"): _ig_comment,
}
