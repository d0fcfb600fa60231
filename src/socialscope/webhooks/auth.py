"""Webhook authentication on the raw request bytes, before any JSON parsing.

Every platform signs the exact body it sends (FORMATS.md §0): re-serialised JSON would
change the bytes, so the HMAC is computed over ``body`` as received and compared in
constant time. Several shops may be configured, each with its own secret; the signature
itself tells which of them sent the request (a request verified by no secret is not
genuine). Secret values never appear in an exception or a log line.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable, Mapping

from pydantic import SecretStr

from socialscope.config import Config, ShopConfig
from socialscope.webhooks._util import header

LINE_SIGNATURE = "X-Line-Signature"
META_SIGNATURE = "X-Hub-Signature-256"
SHOPIFY_SIGNATURE = "X-Shopify-Hmac-Sha256"
SHOPIFY_DOMAIN = "X-Shopify-Shop-Domain"
_SHA256_PREFIX = "sha256="


class SignatureError(Exception):
    """The request is not provably genuine: answer ``status`` (401) and store nothing."""

    def __init__(self, reason: str, status: int = 401) -> None:
        super().__init__(reason)
        self.status = status


def _hmac(secret: SecretStr, body: bytes) -> bytes:
    return hmac.new(secret.get_secret_value().encode("utf-8"), body, hashlib.sha256).digest()


def _verified_shops(
    body: bytes, provided: bytes, candidates: Iterable[tuple[ShopConfig, SecretStr]]
) -> list[ShopConfig]:
    """The shops whose secret produced ``provided``; each distinct secret is hashed once
    and every one is compared (no early exit that would time which secret matched)."""
    by_secret: dict[str, list[ShopConfig]] = {}
    secrets: dict[str, SecretStr] = {}
    for shop, secret in candidates:
        value = secret.get_secret_value()
        by_secret.setdefault(value, []).append(shop)
        secrets[value] = secret
    verified: list[ShopConfig] = []
    for value, shops in by_secret.items():
        if hmac.compare_digest(_hmac(secrets[value], body), provided):
            verified.extend(shops)
    return verified


def _base64_digest(value: str | None, name: str) -> bytes:
    if value is None or not value.strip():
        raise SignatureError(f"missing {name} header")
    try:
        return base64.b64decode(value.strip().encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise SignatureError(f"malformed {name} header") from None


def authenticate_line(body: bytes, headers: Mapping[str, str], config: Config) -> list[ShopConfig]:
    """The shops whose LINE channel secret signed ``body`` (``x-line-signature`` is
    base64 HMAC-SHA256); :class:`SignatureError` when none did or the header is absent."""
    provided = _base64_digest(header(headers, LINE_SIGNATURE), LINE_SIGNATURE)
    candidates = [(s, s.line.channel_secret) for s in config.shops if s.line is not None]
    shops = _verified_shops(body, provided, candidates)
    if not shops:
        raise SignatureError("LINE signature matches no configured channel secret")
    return shops


def _meta_digest(value: str | None) -> bytes:
    """``sha256=<hex>`` as bytes. The legacy SHA-1 ``X-Hub-Signature`` alone is refused:
    it is a weaker MAC and Meta always sends the SHA-256 one beside it."""
    if value is None or not value.strip():
        raise SignatureError(f"missing {META_SIGNATURE} header")
    text = value.strip()
    if not text.lower().startswith(_SHA256_PREFIX):
        raise SignatureError(f"{META_SIGNATURE} is not a sha256= signature")
    try:
        digest = bytes.fromhex(text[len(_SHA256_PREFIX) :])
    except ValueError:
        raise SignatureError(f"malformed {META_SIGNATURE} header") from None
    if len(digest) != hashlib.sha256().digest_size:
        raise SignatureError(f"malformed {META_SIGNATURE} header")
    return digest


def authenticate_meta(body: bytes, headers: Mapping[str, str], config: Config) -> list[ShopConfig]:
    """The shops whose Meta app secret signed ``body`` (``X-Hub-Signature-256``)."""
    provided = _meta_digest(header(headers, META_SIGNATURE))
    candidates = [(s, s.meta.app_secret) for s in config.shops if s.meta is not None]
    shops = _verified_shops(body, provided, candidates)
    if not shops:
        raise SignatureError("Meta signature matches no configured app secret")
    return shops


def authenticate_shopify(body: bytes, headers: Mapping[str, str], config: Config) -> ShopConfig:
    """The shop named by ``X-Shopify-Shop-Domain``, once its client secret (or the
    previous one, during a rotation) verifies ``X-Shopify-Hmac-Sha256``."""
    domain = (header(headers, SHOPIFY_DOMAIN) or "").strip().lower()
    if not domain:
        raise SignatureError(f"missing {SHOPIFY_DOMAIN} header")
    provided = _base64_digest(header(headers, SHOPIFY_SIGNATURE), SHOPIFY_SIGNATURE)
    candidates: list[tuple[ShopConfig, SecretStr]] = []
    for shop in config.shops:
        if shop.shopify is None or shop.shopify.shop_domain.strip().lower() != domain:
            continue
        candidates.append((shop, shop.shopify.client_secret))
        if shop.shopify.previous_client_secret is not None:
            candidates.append((shop, shop.shopify.previous_client_secret))
    if not candidates:
        raise SignatureError("no configured shop has this Shopify domain")
    shops = _verified_shops(body, provided, candidates)
    if not shops:
        raise SignatureError("Shopify signature matches no configured client secret")
    return shops[0]


def _param(params: Mapping[str, str], name: str) -> str | None:
    """``hub.mode`` or its PHP-style spelling ``hub_mode``."""
    value = params.get(name)
    return value if value is not None else params.get(name.replace(".", "_"))


def meta_handshake(params: Mapping[str, str], config: Config) -> str | None:
    """The ``hub.challenge`` to echo (verbatim) when the subscription request carries a
    configured verify token; None means answer 403."""
    mode = _param(params, "hub.mode")
    token = _param(params, "hub.verify_token")
    challenge = _param(params, "hub.challenge")
    if mode != "subscribe" or token is None or challenge is None:
        return None
    offered = token.encode("utf-8")
    matches = [
        hmac.compare_digest(offered, s.meta.verify_token.get_secret_value().encode("utf-8"))
        for s in config.shops
        if s.meta is not None
    ]
    return challenge if any(matches) else None
