"""Closed value sets of the import contract (SCHEMA.md "Enumerations")."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """Where a social interaction took place."""

    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    LINE = "line"
    TIKTOK = "tiktok"
    DOUYIN = "douyin"
    WHATSAPP = "whatsapp"
    WEB_CHAT = "web_chat"
    YOUTUBE = "youtube"
    X = "x"
    EMAIL = "email"
    SMS = "sms"
    OTHER = "other"


class OrderSource(StrEnum):
    """How an order was placed (SHOPLINE's message center / live / post split)."""

    MESSAGE_CENTER = "message_center"
    LIVE = "live"
    POST = "post"
    WEB = "web"
    APP = "app"
    POS = "pos"
    MARKETPLACE = "marketplace"
    OTHER = "other"


class TrafficSource(StrEnum):
    """Where a product view or click came from (Douyin Compass sources)."""

    SEARCH = "search"
    RECOMMENDATION = "recommendation"
    SHOP_PAGE = "shop_page"
    PRODUCT_CARD = "product_card"
    LIVE = "live"
    SHORT_VIDEO = "short_video"
    POST = "post"
    AD = "ad"
    CART = "cart"
    MESSAGE = "message"
    EXTERNAL = "external"
    OTHER = "other"


class Sender(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    BOT = "bot"
    SYSTEM = "system"


class MessageKind(StrEnum):
    MESSAGE = "message"
    HANDOFF = "handoff"
    CLOSE = "close"


class MessageType(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    STICKER = "sticker"
    VIDEO = "video"
    AUDIO = "audio"
    FILE = "file"
    PRODUCT = "product"
    ORDER = "order"
    OTHER = "other"


class CommentAuthor(StrEnum):
    CUSTOMER = "customer"
    PAGE = "page"


class PostKind(StrEnum):
    POST = "post"
    PHOTO = "photo"
    VIDEO = "video"
    REEL = "reel"
    STORY = "story"
    SHORT_VIDEO = "short_video"
    LIVE = "live"


class OrderStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    CANCELLED = "cancelled"
    FULFILLED = "fulfilled"
    CLOSED = "closed"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class TouchEvent(StrEnum):
    IMPRESSION = "impression"
    CLICK = "click"
    PRODUCT_VIEW = "product_view"
    ADD_TO_CART = "add_to_cart"
    CHECKOUT = "checkout"
    PURCHASE = "purchase"
    LEAD = "lead"
    SIGNUP = "signup"


class RatingKind(StrEnum):
    CSAT = "csat"
    REVIEW = "review"


class AgentState(StrEnum):
    ONLINE = "online"
    BUSY = "busy"
    AWAY = "away"
    OFFLINE = "offline"
