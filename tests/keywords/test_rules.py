"""Rule validation and storage: shop and post rule sets, the default, invalid rules."""

from __future__ import annotations

import json

import pytest

from socialscope.client import Client
from socialscope.keywords import (
    DEFAULT_RULES,
    MAX_RULES,
    KeywordRuleError,
    RuleSet,
    compile_rules,
    get_rules,
    list_rules,
    reset_rules,
    set_rules,
)
from tests.keywords.conftest import SHOP

NUMBER_FIRST = r"^(?P<variant>\S+)\s*\+(?P<qty>\d+)"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("(", "rule 2 `(`: not a valid regular expression: missing ), unterminated subpattern"),
        ("+1", "rule 2 `+1`: not a valid regular expression: nothing to repeat at position 0"),
        ("(?P<qty>.+)", "rule 2 `(?P<qty>.+)`: the group 'qty' must match one or more decimal"),
        (r"(?P<qty>\w+)", "the group 'qty' must match"),
        (r"(?P<qty>\d*)", "the group 'qty' must match"),  # may match nothing
        ("(?P<qty>[0-9a])", "the group 'qty' must match"),
        ("(?P<qty>[^x]+)", "the group 'qty' must match"),
        (r"x(?P<qty>)", "the group 'qty' must match"),
        (r"(?P<qty>\d|\s)", "the group 'qty' must match"),  # one branch is not digits
        (r"(?P<qty>\D)", "the group 'qty' must match"),
        ("", "rule 2 ``: empty (it would match every comment)"),
        ("   ", "empty (it would match every comment)"),
        (".*", "rule 2 `.*`: matches an empty text, so every comment would be a purchase"),
        (r"\+?", "matches an empty text"),
    ],
)
def test_invalid_rule_is_named(rule: str, message: str) -> None:
    with pytest.raises(KeywordRuleError, match=r"^rule 2 ") as info:
        compile_rules([r"^\+(?P<qty>\d+)", rule])
    assert message in str(info.value)
    assert info.value.index == 1


@pytest.mark.parametrize(
    "rule",
    [
        r"^\+(?P<qty>[0-9]+)",
        r"^\+(?P<qty>[1-9][0-9]{0,2})",
        r"^\+(?P<qty>(?:\d|\d\d))\b",
        r"^\+(?P<qty>\d+?)(?!\d)",  # lazy, and a lookahead after
        r"(?i)^\+(?P<qty>\d+)\s*(?P<variant>[a-z]+)?$",
        r"^\+(?P<qty>(?=\d)\d+)",  # a lookahead inside the group adds no character
        r"^\+(?P<qty>\d++)",  # possessive
        "^我要$",  # no groups at all
    ],
)
def test_valid_rules(rule: str) -> None:
    assert compile_rules([rule])[0].pattern == rule


def test_rule_list_shape() -> None:
    with pytest.raises(KeywordRuleError, match="not one string"):
        compile_rules(r"^\+1")
    with pytest.raises(KeywordRuleError, match="rule 1: must be a string, got 5"):
        compile_rules([5])  # type: ignore[list-item]
    with pytest.raises(KeywordRuleError, match=f"at most {MAX_RULES} rules"):
        compile_rules([r"^\+"] * (MAX_RULES + 1))
    assert compile_rules([]) == ()


def test_default_rules_when_nothing_stored(client: Client) -> None:
    store = client.store
    assert get_rules(store, SHOP) == RuleSet(SHOP, None, DEFAULT_RULES, "default")
    assert get_rules(store, SHOP, "p1") == RuleSet(SHOP, "p1", DEFAULT_RULES, "default")
    assert list_rules(store, SHOP) == []


def test_post_rules_override_shop_rules(client: Client) -> None:
    store = client.store
    set_rules(store, SHOP, [r"^\+(?P<qty>\d+)"])
    set_rules(store, SHOP, [NUMBER_FIRST, r"^\+(?P<qty>\d+)"], post_id="p1")
    assert get_rules(store, SHOP).source == "shop"
    assert get_rules(store, SHOP).rules == (r"^\+(?P<qty>\d+)",)
    assert get_rules(store, SHOP, "p1") == RuleSet(
        SHOP, "p1", (NUMBER_FIRST, r"^\+(?P<qty>\d+)"), "post"
    )
    assert get_rules(store, SHOP, "p2").source == "shop"  # a post without its own
    assert get_rules(store, "t").source == "default"  # another shop
    assert [(r.post_id, r.source) for r in list_rules(store, SHOP)] == [
        (None, "shop"),
        ("p1", "post"),
    ]
    # stored as a JSON list: post_id '' is the shop's
    raw = store.con.execute(
        "SELECT post_id, CAST(rules AS VARCHAR) FROM keyword_rules ORDER BY post_id"
    ).fetchall()
    assert [(p, json.loads(r)) for p, r in raw] == [
        ("", [r"^\+(?P<qty>\d+)"]),
        ("p1", [NUMBER_FIRST, r"^\+(?P<qty>\d+)"]),
    ]
    # resetting the post falls back to the shop, resetting the shop to the default
    assert reset_rules(store, SHOP, "p1") is True
    assert get_rules(store, SHOP, "p1").source == "shop"
    assert reset_rules(store, SHOP, "p1") is False
    assert reset_rules(store, SHOP) is True
    assert get_rules(store, SHOP, "p1").source == "default"


def test_set_replaces_and_validates_first(client: Client) -> None:
    store = client.store
    set_rules(store, SHOP, [r"^\+(?P<qty>\d+)"])
    with pytest.raises(KeywordRuleError, match="rule 1"):
        set_rules(store, SHOP, ["("])
    assert get_rules(store, SHOP).rules == (r"^\+(?P<qty>\d+)",)  # unchanged
    set_rules(store, SHOP, ["^我要$"])
    assert get_rules(store, SHOP).rules == ("^我要$",)
    with pytest.raises(KeywordRuleError, match="a shop id is required"):
        set_rules(store, "", ["^a"])


def test_empty_rule_list_means_no_purchases(client: Client) -> None:
    set_rules(client.store, SHOP, [])
    ruleset = get_rules(client.store, SHOP)
    assert ruleset == RuleSet(SHOP, None, (), "shop")
    assert ruleset.compiled() == ()


def test_stored_rules_that_do_not_validate_match_nothing(client: Client) -> None:
    # written around the API (by hand, or by an older version)
    client.store.con.execute("INSERT INTO keyword_rules VALUES (?, '', ?)", [SHOP, '["("]'])
    ruleset = get_rules(client.store, SHOP)
    assert ruleset.rules == ("(",)
    assert ruleset.error is not None
    assert ruleset.error.startswith("rule 1 `(`: not a valid regular expression")
    assert ruleset.compiled() == ()
    client.store.con.execute("UPDATE keyword_rules SET rules = '{\"a\": 1}'")
    assert get_rules(client.store, SHOP).error == "stored rules are not a JSON list"
