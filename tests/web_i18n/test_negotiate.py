"""Accept-Language negotiation (RFC 9110 §12.5.4) and the param > cookie > header rule."""

from __future__ import annotations

import pytest

from socialscope.web.i18n import choose, negotiate


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("pl-PL,pl;q=0.9", "pl"),
        ("fr-FR,de;q=0.8", "en"),
        ("en;q=0.1, pl;q=0.5", "pl"),
        ("en-US,en;q=0.9", "en"),
        # Chinese: script, then region, then simplified by default
        ("zh-HK", "zh-Hant"),
        ("zh-MO", "zh-Hant"),
        ("zh-Hant", "zh-Hant"),
        ("zh-Hant-CN", "zh-Hant"),
        ("zh-hant-tw", "zh-Hant"),
        ("zh_TW", "zh-Hant"),
        ("zh-Hans", "zh-Hans"),
        ("zh-Hans-HK", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("yue-HK", "zh-Hant"),
        # q-values: highest wins, ties by order, q=0 excludes, bad q ignored
        ("de, pl;q=0.3, zh-TW;q=0.3", "pl"),
        ("en;q=0.5, zh-TW;q=0.500", "en"),
        ("en-US,en;q=0.9,zh-Hant;q=0.95", "en"),
        ("pl;q=0, *", "en"),
        ("pl;q=0", "en"),
        ("fr, *;q=0.1", "en"),
        ("pl;q=1.5, zh-MO;q=0.3", "zh-Hant"),
        ("pl;q=abc, zh;q=0.2", "zh-Hans"),
        ("PL ; Q=0.7 , fr", "pl"),
        # nothing usable
        ("", "en"),
        (None, "en"),
        ("garbage", "en"),
        (";;;,,q=", "en"),
        ("\x00\xff, ;q=1", "en"),
        ("x" * 100_000, "en"),
    ],
)
def test_negotiate(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_choose_precedence() -> None:
    header = "zh-TW,zh;q=0.9"
    assert choose("pl", "zh-Hans", header) == "pl"
    assert choose(None, "zh-Hans", header) == "zh-Hans"
    assert choose(None, None, header) == "zh-Hant"
    assert choose(None, None, None) == "en"
    # unknown or empty values are ignored, not a reason to fall back to English
    assert choose("fr", "pl", header) == "pl"
    assert choose("", "xx", header) == "zh-Hant"
    assert choose("../../etc", "<script>", "pl") == "pl"
    # tags match like the header's
    assert choose("zh-tw", None, None) == "zh-Hant"
    assert choose("EN", "pl", None) == "en"
    assert choose("zh-Hans", None, "pl") == "zh-Hans"
