"""Properties: the column parser equals the scalar one, NFKC and whitespace make no
difference, and d_comment_intents kept up to date by imports and rule changes equals a
full rebuild."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialscope.client import connect
from socialscope.keywords import (
    DEFAULT_RULES,
    compile_rules,
    parse,
    parse_column,
    reset_rules,
    set_rules,
)
from socialscope.store import derive_keywords
from tests.keywords.conftest import comment, load, table_rows

RULE_SETS = {
    "default": DEFAULT_RULES,
    "number_first": (r"^(?P<variant>\S+)\s*\+(?P<qty>\d+)", *DEFAULT_RULES),
    "anywhere": (r"(?P<qty>\d+)\s*件", r"^\+(?P<qty>\d)(?P<variant>[A-Z]?)$"),
    "none": (),
}

# characters that matter to the rules, plus any character at all
_SPECIAL = [*"+＋⁺﹢1１０09２ \u3000\t\n黑白M號S件,，()😀🏻", "\u200b", "\ufe0f", "\ufeff"]
texts = st.text(
    alphabet=st.one_of(st.sampled_from(_SPECIAL), st.characters(codec="utf-8")), max_size=16
)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), texts), max_size=30),
    rules=st.sampled_from(sorted(RULE_SETS)),
    chunks=st.integers(1, 3),
)
def test_parse_column_equals_parse(values: list[str | None], rules: str, chunks: int) -> None:
    compiled = compile_rules(RULE_SETS[rules])
    cut = len(values) // chunks
    parts = [values[i * cut : (i + 1) * cut] for i in range(chunks - 1)]
    parts.append(values[(chunks - 1) * cut :])
    column = pa.chunked_array([pa.array(p, pa.string()) for p in parts], pa.string())
    quantity, variant = parse_column(column, compiled)
    assert quantity.type == pa.int32()
    assert variant.type == pa.string()
    expected = [parse(v, compiled) for v in values]
    assert quantity.to_pylist() == [e.quantity if e else None for e in expected]
    assert variant.to_pylist() == [e.variant if e else None for e in expected]


@settings(max_examples=500, deadline=None)
@given(text=texts, rules=st.sampled_from(sorted(RULE_SETS)))
def test_nfkc_and_surrounding_space_change_nothing(text: str, rules: str) -> None:
    compiled = compile_rules(RULE_SETS[rules])
    expected = parse(text, compiled)
    for form in ("NFKC", "NFC", "NFKD"):
        assert parse(unicodedata.normalize(form, text), compiled) == expected
    assert parse(f" \u3000{text}\n ", compiled) == expected


@given(n=st.integers(1, 999), variant=st.sampled_from(["", " 黑M", "白色S", "　３號"]))
def test_every_plus_n_is_read(n: int, variant: str) -> None:
    compiled = compile_rules(DEFAULT_RULES)
    full_width = "＋" + "".join(chr(ord(d) - ord("0") + ord("０")) for d in str(n))
    for text in (f"+{n}{variant}", f"{full_width}{variant}", f"  + {n}{variant}"):
        got = parse(text, compiled)
        assert got is not None
        assert got.quantity == n
        assert got.variant == (unicodedata.normalize("NFKC", variant).strip() or None)


TEXTS = ("+1", "＋1 黑M", "+2 白色S", "請問運費多少？", "3號 +1", "+1 黑M +1 白S", None)


@st.composite
def step(draw: st.DrawFn) -> tuple[str, Any]:
    """One change: an import of comments, or a rules change."""
    kind = draw(st.sampled_from(("import", "import", "import", "rules")))
    if kind == "rules":
        shop = draw(st.sampled_from(("s", "t")))
        post = draw(st.sampled_from((None, "p1", "p2")))
        rules = draw(st.sampled_from([None, *sorted(RULE_SETS)]))  # None: reset
        return "rules", (shop, post, rules)
    rows = [
        (
            draw(st.sampled_from(("s", "t"))),
            comment(
                draw(st.sampled_from([f"e{i}" for i in range(6)])),
                draw(st.sampled_from(TEXTS)),
                post=draw(st.sampled_from(("p1", "p2"))),
                author=draw(st.sampled_from(("customer", "customer", "page"))),
                deleted=draw(st.sampled_from((None, False, True))),
                minute=draw(st.integers(0, 59)),
                updated=draw(st.integers(0, 59)),
            ),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    return "import", rows


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keywords_incremental")


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(step(), min_size=1, max_size=6))
def test_kept_up_to_date_equals_full_rebuild(store_dir: Path, steps: list[tuple[str, Any]]) -> None:
    path = store_dir / "inc.duckdb"
    path.unlink(missing_ok=True)
    with connect(path) as client:
        shops = [{"shop_id": s, "timezone": "Asia/Taipei"} for s in ("s", "t")]
        client.ingest_arrow({"shops": pa.Table.from_pylist(shops)})
        for kind, change in steps:
            if kind == "rules":
                shop, post, rules = change
                if rules is None:
                    reset_rules(client.store, shop, post)
                else:
                    set_rules(client.store, shop, list(RULE_SETS[rules]), post)
            else:
                for shop in ("s", "t"):
                    rows = [r for s, r in change if s == shop]
                    if rows:
                        load(client, rows, shop)
            kept = table_rows(client)
            derive_keywords.rebuild(client.store)
            assert table_rows(client) == kept
