"""Parsing comment texts with the default rule set and with custom rules (hand-worked)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from socialscope.keywords import (
    DEFAULT_RULES,
    MAX_QUANTITY,
    Intent,
    compile_rules,
    normalize,
    parse,
    parse_column,
)

DEFAULT = compile_rules(DEFAULT_RULES)
NUMBER_FIRST = compile_rules([r"^(?P<variant>\S+)\s*\+(?P<qty>\d+)"])

CASES = [
    # the manifest's five comments (fb_feed_plus1_comments)
    ("+1", Intent(1, None)),
    ("＋1 黑M", Intent(1, "黑M")),  # full-width plus: NFKC makes it "+"
    ("+2 白色S", Intent(2, "白色S")),
    ("請問運費多少？", None),  # a question, no leading "+"
    # full-width plus and digit, and the ideographic space U+3000 (NFKC: a space)
    ("＋１", Intent(1, None)),
    ("＋１\u3000黑M", Intent(1, "黑M")),
    ("＋１　黑Ｍ", Intent(1, "黑M")),  # full-width M too
    # no space between the quantity and the variant
    ("+2白色S", Intent(2, "白色S")),
    ("+1謝謝", Intent(1, "謝謝")),
    # one optional space after the plus; leading and trailing whitespace; newlines
    ("+ 1", Intent(1, None)),
    ("+\u30001", Intent(1, None)),
    ("   +1  ", Intent(1, None)),
    ("\n+3\tL ", Intent(3, "L")),
    ("+12", Intent(12, None)),  # all the digits: 12, not 1 with variant "2"
    ("+01", Intent(1, None)),
    # not purchases: zero, no number, too large, not starting with the plus
    ("+0", None),
    ("+00 黑M", None),
    ("+", None),
    ("+ ", None),
    ("++1", None),
    (f"+{MAX_QUANTITY}", Intent(MAX_QUANTITY, None)),
    (f"+{MAX_QUANTITY + 1}", None),
    ("+1000000", None),
    ("1+1優惠", None),
    ("請問+1怎麼買", None),
    ("3號 +1", None),  # needs a number-first rule (below)
    ("", None),
    ("   ", None),
    # emoji after the claim: trimmed from the variant's ends
    ("+1 😀", Intent(1, None)),
    ("+1😀😀", Intent(1, None)),
    ("+1 黑M 🙏🏻", Intent(1, "黑M")),  # emoji with a skin-tone modifier
    ("+1 ❤️ 黑M", Intent(1, "黑M")),  # heart + variation selector
    # punctuation around the variant is trimmed; inside it stays
    ("+1 (黑M)", Intent(1, "黑M")),
    ("+1：黑-M！", Intent(1, "黑-M")),  # full-width colon / exclamation: NFKC ":" "!"
    # invisible characters left by copy-paste
    ("\u200b+1", Intent(1, None)),
    ("+\ufeff1 黑M\u200e", Intent(1, "黑M")),
    # several claims: quantities summed, variants joined with "; "
    ("+1 黑M +1 白S", Intent(2, "黑M; 白S")),
    ("+1黑M+2白S", Intent(3, "黑M; 白S")),
    ("+1 黑M，+2 白S", Intent(3, "黑M; 白S")),  # the comma is trimmed from "黑M,"
    ("+1 +1", Intent(2, None)),
    ("+2 白S +1", Intent(3, "白S")),  # the second claim has no variant
    ("＋１ 黑M　＋２ 白S", Intent(3, "黑M; 白S")),
    # a later claim that is not valid ends the claims: 1 (黑M), "+0" stops
    ("+1 黑M +0 白S", Intent(1, "黑M")),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_default_rules(text: str, expected: Intent | None) -> None:
    assert parse(text, DEFAULT) == expected


def test_none_text() -> None:
    assert parse(None, DEFAULT) is None


def test_no_rules_nothing_matches() -> None:
    assert parse("+1", ()) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3號 +1", Intent(1, "3號")),
        ("3號+2", Intent(2, "3號")),
        ("３號　＋１", Intent(1, "3號")),
        # two claims: the rule applies again to "5號 +2" after the first match
        ("3號 +1 5號 +2", Intent(3, "3號; 5號")),
        ("3號 +1 謝謝", Intent(1, "3號")),  # "謝謝" is no claim
        ("+1", None),  # nothing before the plus: \S+ needs one character
    ],
)
def test_number_first_rule(text: str, expected: Intent | None) -> None:
    assert parse(text, NUMBER_FIRST) == expected


def test_first_matching_rule_wins() -> None:
    rules = compile_rules([r"^(?P<variant>\S+)\s*\+(?P<qty>\d+)", r"^\+(?P<qty>\d+)"])
    assert parse("3號 +2", rules) == Intent(2, "3號")  # rule 1
    assert parse("+2", rules) == Intent(2, None)  # rule 1 fails, rule 2
    # rule 1 matches first even where rule 2 would give another reading
    rules = compile_rules([r"^\+(?P<qty>\d)", r"^\+(?P<qty>\d+)"])
    assert parse("+12", rules) == Intent(1, None)  # rule 1 takes one digit only


def test_rule_without_groups_is_quantity_one() -> None:
    rules = compile_rules(["^我要$", "(?i)^buy$"])
    assert parse("我要", rules) == Intent(1, None)
    assert parse("BUY", rules) == Intent(1, None)
    assert parse("我要兩個", rules) is None


def test_rule_without_anchor_sums_every_match() -> None:
    # a rule searched anywhere: each match is a claim ("2件" and "1件")
    rules = compile_rules([r"(?P<qty>\d+)\s*件"])
    assert parse("我要2件，朋友要1件", rules) == Intent(3, None)
    assert parse("請問有幾件？", rules) is None


def test_optional_qty_group_not_taking_part_is_one() -> None:
    rules = compile_rules([r"^\+(?:(?P<qty>\d+))?(?P<variant>[A-Z]*)$"])
    assert parse("+M", rules) == Intent(1, "M")
    assert parse("+3M", rules) == Intent(3, "M")


def test_normalize() -> None:
    assert normalize("  ＋１\u3000黑Ｍ \n ") == "+1 黑M"
    assert normalize("\u200b") == ""
    # the zero-width joiner inside an emoji sequence is kept
    assert normalize("👨\u200d👩") == "👨\u200d👩"


def test_parse_column_shapes() -> None:
    texts = ["+1", None, "＋2 黑M", "+1", "請問", "+1"]
    for column in (
        pa.array(texts, pa.string()),
        pa.array(texts, pa.large_string()),
        pa.chunked_array([texts[:2], texts[2:]], pa.string()),
    ):
        quantity, variant = parse_column(column, DEFAULT)
        assert quantity.to_pylist() == [1, None, 2, 1, None, 1]
        assert variant.to_pylist() == [None, None, "黑M", None, None, None]
    for empty in (pa.chunked_array([], pa.string()), pa.array([None, None], pa.string())):
        quantity, variant = parse_column(empty, DEFAULT)
        assert quantity.type == pa.int32() and variant.type == pa.string()
        assert quantity.null_count == len(quantity) == len(empty)
