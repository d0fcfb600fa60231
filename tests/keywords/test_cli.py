"""`socialscope keywords` and the Client's keyword-rule methods."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialscope.cli.main import _register, app
from socialscope.client import Client
from socialscope.keywords import DEFAULT_RULE, KeywordRuleError
from tests.keywords.conftest import FB_PLUS1, POST, SHOP, comment, intents, load

NUMBER_FIRST = r"^(?P<variant>\S+)\s*\+(?P<qty>\d+)"


def test_client_methods(client: Client) -> None:
    load(
        client,
        [comment(cid, text, customer=a) for cid, a, text in FB_PLUS1]
        + [comment("n1", "3號 +2", post="p2")],
    )
    info = client.keyword_rules(SHOP)
    assert info == {
        "shop_id": SHOP,
        "post_id": None,
        "rules": [DEFAULT_RULE],
        "source": "default",
        "error": None,
        "posts": [],
        "counts": {"comments": 6, "intents": 4, "quantity": 5},  # "3號 +2" is not one
    }
    info = client.set_keyword_rules(SHOP, [NUMBER_FIRST], post="p2")
    assert info["source"] == "post"
    assert info["rules"] == [NUMBER_FIRST]
    assert info["counts"] == {"comments": 1, "intents": 1, "quantity": 2}
    assert "posts" not in info
    shop = client.keyword_rules(SHOP)
    assert shop["source"] == "default"
    assert [(p["post_id"], p["rules"]) for p in shop["posts"]] == [("p2", [NUMBER_FIRST])]
    assert shop["counts"] == {"comments": 6, "intents": 5, "quantity": 7}
    # metrics reading the store see the change (the client's caches were dropped)
    assert intents(client)["n1"] == (True, 2, "3號")
    with pytest.raises(KeywordRuleError, match=r"rule 2 `\(`"):
        client.set_keyword_rules(SHOP, [NUMBER_FIRST, "("])
    assert client.reset_keyword_rules(SHOP, post="p2") is True
    assert client.reset_keyword_rules(SHOP, post="p2") is False
    assert client.keyword_rules(SHOP, "p2")["counts"] == {
        "comments": 1,
        "intents": 0,
        "quantity": 0,
    }


def test_cli_keywords_commands(tmp_path: Path) -> None:
    _register()
    db = str(tmp_path / "cli.duckdb")
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        res = runner.invoke(app, ["--db", db, *args])
        return res.exit_code, res.stdout, res.stderr

    code, out, err = run("keywords", "show", "--shop", SHOP, "--format", "json")
    assert code == 0, err
    assert json.loads(out) == [
        {"shop_id": SHOP, "post_id": None, "source": "default", "n": 1, "rule": DEFAULT_RULE}
    ]
    assert "not in the store (yet)" in err

    code, out, err = run(
        "keywords", "test", "--shop", SHOP, "+1", "＋１　黑M", "3號 +1", "+2 白S +1", "--format",
        "json",
    )  # fmt: skip
    assert code == 0, err
    assert [(r["purchase_intent"], r["quantity"], r["variant"]) for r in json.loads(out)] == [
        (True, 1, None),
        (True, 1, "黑M"),
        (False, None, None),
        (True, 3, "白S"),
    ]

    code, out, err = run(
        "keywords", "set", "--shop", SHOP, "--post", POST, NUMBER_FIRST, r"^\+(?P<qty>\d+)$",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert [(r["post_id"], r["source"], r["n"], r["rule"]) for r in json.loads(out)] == [
        (POST, "post", 1, NUMBER_FIRST),
        (POST, "post", 2, r"^\+(?P<qty>\d+)$"),
    ]
    code, out, err = run("keywords", "test", "--shop", SHOP, "--post", POST, "3號 +1", "+2")
    assert code == 0, err
    assert "3號" in out

    code, out, err = run(
        "keywords", "test", "--shop", SHOP, "--post", POST, "3號 +1", "+2", "+2 黑M",
        "--format", "json",
    )  # fmt: skip
    assert [(r["quantity"], r["variant"], r["rule"]) for r in json.loads(out)] == [
        (1, "3號", 1),
        (2, None, 2),
        (None, None, None),  # rule 2 ends with $: no variant allowed, rule 1 needs text first
    ]

    # --rule tries rules without storing them
    code, out, err = run(
        "keywords", "test", "--shop", SHOP, "--rule", r"(?P<qty>\d+)件", "我要2件", "--format",
        "json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)[0]["quantity"] == 2

    code, out, err = run("keywords", "set", "--shop", SHOP, "(?P<qty>.+)")
    assert code == 2
    assert "error: rule 1 `(?P<qty>.+)`: the group 'qty' must match" in err
    code, out, err = run("keywords", "test", "--shop", SHOP, "--rule", "(", "+1")
    assert code == 2
    assert "rule 1 `(`: not a valid regular expression" in err

    code, out, err = run("keywords", "show", "--shop", SHOP)
    assert code == 0, err
    assert "Purchase keywords — s" in out
    assert "0 of 0 comments are purchase intents" in out

    code, out, err = run("keywords", "reset", "--shop", SHOP, "--post", POST)
    assert code == 0, err
    assert f"{SHOP} post {POST}: own rules removed; now using the default rules" in out
    code, out, err = run("keywords", "reset", "--shop", SHOP, "--format", "json")
    assert code == 0, err
    assert json.loads(out) == [{"shop_id": SHOP, "post_id": None, "removed": False}]
