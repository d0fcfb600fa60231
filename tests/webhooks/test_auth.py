"""Signature checks on raw bytes, routing by secret, the Meta handshake, and a property:
the adapters read the same events from any JSON escaping of the same payload, while the
signature holds only for the exact bytes that were signed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialscope.config import ShopConfig
from socialscope.webhooks.auth import (
    SignatureError,
    authenticate_line,
    authenticate_meta,
    authenticate_shopify,
    meta_handshake,
)
from socialscope.webhooks.line import parse_line
from socialscope.webhooks.meta import parse_meta
from tests.webhooks.fixtures.support import (
    BOT_USER_ID,
    FORGED_SECRET,
    PAGE_ID,
    SHOP_DOMAIN,
    SHOP_ID,
    body_of,
    case,
    cases,
    config,
    dumps,
    line_event,
    line_headers,
    messaging_entry,
    meta_headers,
    meta_sha1,
    meta_signature,
    secrets,
    shop_dict,
    shopify_headers,
)

SECRET_VALUES = [v for k, v in secrets().items() if "secret" in k or "token" in k]
AUTH = {"line": authenticate_line, "meta": authenticate_meta}


def assert_refused(exc: SignatureError) -> None:
    """401, and no configured secret anywhere in the message."""
    assert exc.status == 401
    assert not any(secret in str(exc) for secret in SECRET_VALUES)


# -- the manifest cases ----------------------------------------------------------------
def verify_case(c: dict[str, Any]) -> list[ShopConfig]:
    body, headers, cfg = body_of(c), c["headers"], config()
    if c["platform"] == "shopify":
        return [authenticate_shopify(body, headers, cfg)]
    return AUTH[c["platform"]](body, headers, cfg)


@pytest.mark.parametrize("c", [c for c in cases() if c["method"] == "POST"], ids=lambda c: c["id"])
def test_manifest_signatures(c: dict[str, Any]) -> None:
    if c["signature"] == "valid":
        assert [s.shop_id for s in verify_case(c)] == [SHOP_ID]
    else:
        with pytest.raises(SignatureError) as caught:
            verify_case(c)
        assert_refused(caught.value)


def test_headers_are_found_whatever_their_case() -> None:
    c = case("line_text_zh_emoji")
    body, cfg = body_of(c), config()
    for name in ("x-line-signature", "X-LINE-SIGNATURE", "X-Line-Signature"):
        headers = {name: c["headers"]["X-Line-Signature"]}
        assert [s.shop_id for s in authenticate_line(body, headers, cfg)] == [SHOP_ID]


# -- refusals --------------------------------------------------------------------------
def forged_attempt(platform: str) -> None:
    body = b'{"destination":"x","events":[]}'
    cfg = config()
    if platform == "line":
        authenticate_line(body, line_headers(body, FORGED_SECRET), cfg)
    elif platform == "meta":
        authenticate_meta(body, meta_headers(body, FORGED_SECRET), cfg)
    else:
        headers = shopify_headers(body, "orders/create", secret=FORGED_SECRET)
        authenticate_shopify(body, headers, cfg)


@pytest.mark.parametrize("platform", ["line", "meta", "shopify"])
def test_forged_signatures_are_refused(platform: str) -> None:
    with pytest.raises(SignatureError) as caught:
        forged_attempt(platform)
    assert_refused(caught.value)


def test_missing_meta_signature_is_refused() -> None:
    with pytest.raises(SignatureError) as caught:
        authenticate_meta(b"{}", {"Content-Type": "application/json"}, config())
    assert_refused(caught.value)
    assert "missing" in str(caught.value)


def test_only_the_sha256_scheme_is_accepted() -> None:
    body = body_of(case("instagram_dm_text"))
    digest = meta_signature(secrets()["meta_app_secret"], body).removeprefix("sha256=")
    with pytest.raises(SignatureError):
        authenticate_meta(body, {"X-Hub-Signature-256": "sha512=" + digest}, config())
    headers = {"X-Hub-Signature-256": "SHA256=" + digest.upper()}
    assert [s.shop_id for s in authenticate_meta(body, headers, config())] == [SHOP_ID]


def test_a_valid_sha1_signature_alone_is_not_enough() -> None:
    body = body_of(case("instagram_dm_text"))
    headers = {"X-Hub-Signature": meta_sha1(secrets()["meta_app_secret"], body)}
    with pytest.raises(SignatureError) as caught:
        authenticate_meta(body, headers, config())
    assert_refused(caught.value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "sha1=" + "0" * 40,
        "sha256=not-hex",
        "sha256=" + "ab" * 31,
        "sha256=" + "Ω" * 64,
    ],
)
def test_malformed_meta_signatures_are_refused(value: str) -> None:
    with pytest.raises(SignatureError) as caught:
        authenticate_meta(b"{}", {"X-Hub-Signature-256": value}, config())
    assert_refused(caught.value)


@pytest.mark.parametrize("value", ["", "   ", "***not base64***", "密碼", "QUJD="])
def test_malformed_line_signatures_are_refused(value: str) -> None:
    with pytest.raises(SignatureError) as caught:
        authenticate_line(b"{}", {"X-Line-Signature": value}, config())
    assert_refused(caught.value)


def test_missing_line_signature_is_refused() -> None:
    with pytest.raises(SignatureError) as caught:
        authenticate_line(b"{}", {}, config())
    assert_refused(caught.value)


def test_shopify_unknown_or_missing_domain_is_refused() -> None:
    body = b"{}"
    headers = shopify_headers(body, "orders/create")
    for domain in ("someone-else.myshopify.com", ""):
        with pytest.raises(SignatureError) as caught:
            authenticate_shopify(body, {**headers, "X-Shopify-Shop-Domain": domain}, config())
        assert_refused(caught.value)


def test_shopify_domain_is_matched_without_regard_to_case() -> None:
    body = b"{}"
    headers = {
        **shopify_headers(body, "orders/create"),
        "X-Shopify-Shop-Domain": "ALLEY-CLOSET-TW.myshopify.com",
    }
    assert authenticate_shopify(body, headers, config()).shop_id == SHOP_ID


def test_no_configured_platform_means_refused() -> None:
    body = b"{}"
    cfg = config(shop_dict(line=None, meta=None, shopify=None))
    with pytest.raises(SignatureError):
        authenticate_line(body, line_headers(body), cfg)
    with pytest.raises(SignatureError):
        authenticate_meta(body, meta_headers(body), cfg)
    with pytest.raises(SignatureError):
        authenticate_shopify(body, shopify_headers(body, "orders/create"), cfg)


# -- rotation and several shops --------------------------------------------------------
def test_shopify_rotation_accepts_the_previous_secret_too() -> None:
    old, new = "shpss_old_secret_000", "shpss_new_secret_111"
    shopify = {"shop_domain": SHOP_DOMAIN, "client_secret": new, "previous_client_secret": old}
    cfg = config(shop_dict(shopify=shopify))
    body = b'{"id": 1}'
    for secret in (old, new):
        headers = shopify_headers(body, "orders/create", secret=secret)
        assert authenticate_shopify(body, headers, cfg).shop_id == SHOP_ID
    with pytest.raises(SignatureError):
        authenticate_shopify(body, shopify_headers(body, "orders/create", secret="x"), cfg)
    # without a previous secret configured, the old one is refused
    cfg_no_rotation = config(shop_dict(shopify={"shop_domain": SHOP_DOMAIN, "client_secret": new}))
    with pytest.raises(SignatureError):
        authenticate_shopify(
            body, shopify_headers(body, "orders/create", secret=old), cfg_no_rotation
        )


def other_shop(shop_id: str, line_secret: str, app_secret: str) -> dict[str, Any]:
    return shop_dict(
        shop_id=shop_id,
        line={"channel_secret": line_secret, "bot_user_id": "U" + "0" * 32},
        meta={
            "app_secret": app_secret,
            "verify_token": "other-token",
            "page_ids": ["999"],
        },
        shopify=None,
    )


def test_several_shops_the_signature_picks_the_sender() -> None:
    cfg = config(shop_dict(), other_shop("other", "line-secret-2", "app-secret-2"))
    body = b'{"events":[]}'
    assert [s.shop_id for s in authenticate_line(body, line_headers(body), cfg)] == [SHOP_ID]
    picked = authenticate_line(body, line_headers(body, "line-secret-2"), cfg)
    assert [s.shop_id for s in picked] == ["other"]
    picked = authenticate_meta(body, meta_headers(body, "app-secret-2"), cfg)
    assert [s.shop_id for s in picked] == ["other"]


def test_shops_sharing_one_app_secret_all_verify() -> None:
    """One Meta app can serve several shops; routing by entry id then picks the shop."""
    shared = secrets()["meta_app_secret"]
    cfg = config(shop_dict(), other_shop("other", "line-secret-2", shared))
    body = b"{}"
    picked = authenticate_meta(body, meta_headers(body), cfg)
    assert sorted(s.shop_id for s in picked) == sorted([SHOP_ID, "other"])


# -- handshake -------------------------------------------------------------------------
def test_handshake_echoes_the_challenge_verbatim() -> None:
    token = secrets()["meta_verify_token"]
    params = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "abc 123/ü"}
    assert meta_handshake(params, config()) == "abc 123/ü"
    php = {"hub_mode": "subscribe", "hub_verify_token": token, "hub_challenge": "42"}
    assert meta_handshake(php, config()) == "42"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": "verify-me-2024", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": "verify-me-2024"},
        {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
        {},
    ],
)
def test_handshake_refused(params: dict[str, str]) -> None:
    assert meta_handshake(params, config()) is None


def test_handshake_accepts_any_configured_token() -> None:
    cfg = config(shop_dict(), other_shop("other", "s2", "a2"))
    params = {"hub.mode": "subscribe", "hub.verify_token": "other-token", "hub.challenge": "7"}
    assert meta_handshake(params, cfg) == "7"


# -- property: escaping changes bytes, not meaning; any byte change breaks the HMAC ----
TEXT = st.text(st.characters(codec="utf-8"), max_size=60)  # no lone surrogates
LINE_USER = st.from_regex(r"\AU[0-9a-f]{32}\Z")
ULID = st.from_regex(r"\A[0-9A-HJKMNP-TV-Z]{26}\Z")
DIGITS = st.from_regex(r"\A[1-9][0-9]{5,17}\Z")
TS_MS = st.integers(978_307_200_000, 4_102_444_800_000)  # 2001 .. 2100


def variants(doc: Any) -> list[bytes]:
    """The same JSON as raw UTF-8 (LINE), \\uXXXX (Meta) and \\uXXXX with \\/ escapes."""
    return [
        dumps(doc),
        dumps(doc, ascii_only=True),
        dumps(doc, ascii_only=True, escape_slash=True),
    ]


def flip(body: bytes, index: int, delta: int) -> bytes:
    changed = bytearray(body)
    changed[index % len(body)] ^= delta
    return bytes(changed)


@settings(max_examples=60, deadline=None)
@given(
    text=TEXT,
    user=LINE_USER,
    event_id=ULID,
    message_id=DIGITS,
    ts=TS_MS,
    index=st.integers(0, 10**6),
    delta=st.integers(1, 255),
)
def test_line_property(
    text: str, user: str, event_id: str, message_id: str, ts: int, index: int, delta: int
) -> None:
    event = line_event(
        "message",
        event_id,
        ts,
        user_id=user,
        message={"type": "text", "id": message_id, "text": text},
    )
    doc = {"destination": BOT_USER_ID, "events": [event]}
    cfg = config()
    outputs = []
    for body in variants(doc):
        shops = authenticate_line(body, line_headers(body), cfg)
        outputs.append(parse_line(body, shops))
        with pytest.raises(SignatureError):
            authenticate_line(flip(body, index, delta), line_headers(body), cfg)
    assert outputs[0] == outputs[1] == outputs[2]
    (row,) = outputs[0][0].rows
    assert row.values["text"] == text
    assert row.values["customer_id"] == user
    assert row.values["event_id"] == f"line:msg:{message_id}"


@settings(max_examples=60, deadline=None)
@given(
    text=TEXT,
    psid=DIGITS,
    mid=st.from_regex(r"\Am_[A-Za-z0-9_\-/+]{10,40}\Z"),
    ts=TS_MS,
    index=st.integers(0, 10**6),
    delta=st.integers(1, 255),
)
def test_messenger_property(
    text: str, psid: str, mid: str, ts: int, index: int, delta: int
) -> None:
    item = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ts,
        "message": {"mid": mid, "text": text},
    }
    doc = {"object": "page", "entry": [messaging_entry([item], time_ms=ts)]}
    cfg = config()
    outputs = []
    for body in variants(doc):
        shops = authenticate_meta(body, meta_headers(body), cfg)
        outputs.append(parse_meta(body, shops))
        with pytest.raises(SignatureError):
            authenticate_meta(flip(body, index, delta), meta_headers(body), cfg)
    assert outputs[0] == outputs[1] == outputs[2]
    (event,) = outputs[0]
    assert event.dedupe_key == f"messenger:mid:{mid}"
    (row,) = event.rows
    assert row.values["text"] == text  # as sent, even empty


def test_variants_really_differ_in_bytes() -> None:
    """Guard for the property tests: the serialisations are different byte strings."""
    doc = {"a": "外套/黑"}
    assert len(set(variants(doc))) == 3
    assert all(json.loads(v) == doc for v in variants(doc))
