"""Purchase keywords: which comments are purchase intents ("+1"), with quantity and variant.

METRICS.md section 5: a comment is a purchase intent when its text matches the shop's
keyword rules. FORMATS.md section 3: "+1" in Taiwan is typed many ways (`+1`, `＋1`,
`＋１`, `+1 黑M`, `+2`, `3號 +1`, several claims in one comment).

Text. A comment's text is normalised before any rule sees it: Unicode NFKC (full-width
`＋１` becomes `+1`, the ideographic space a space), then the invisible format characters
that copy-paste leaves behind are removed (zero-width space, word joiner, BOM, direction
marks and embeddings; the zero-width joiner inside emoji stays), then every run of
whitespace becomes one space and the ends are trimmed. A missing or empty text is never
a purchase.

Rules. A rule is a Python `re` regular expression searched (`re.search`: anchor it with
`^` to require the start) in the normalised text. Optional named groups:
- `qty`: the quantity, an integer (absent or not taking part in the match: 1). The group
  may match decimal digits only (checked when rules are set). A quantity of 0 or above
  MAX_QUANTITY (999) is not a claim: "+0" and "+1000000" are not purchases (a number that
  large is a phone number or a joke, not an order).
- `variant`: free text (size, colour, number). It is trimmed of whitespace, punctuation,
  symbols and emoji at both ends; empty means None.
A shop's rules are tried in order and the first rule that matches decides (a rule whose
first match has no valid quantity does not match: the next rule is tried). At most
MAX_RULES (50) rules of MAX_RULE_LENGTH (1000) characters; a rule must not match the empty
text (it would make every comment a purchase). Rules run on every comment: a pattern with
catastrophic backtracking slows imports down (the shop's own responsibility).

Several claims in one comment. A rule that matches is applied again to the text after its
match (leading space trimmed), as long as it keeps matching with a valid quantity (at most
MAX_CLAIMS times): the comment's quantity is the sum of the claims' quantities and its
variant the claims' variants joined with "; " (claims without a variant add none). So
under the default rule "+1 黑M +1 白S" is quantity 2, variant "黑M; 白S", and "+1 +1" is
quantity 2; a later claim that is not valid ("+1 黑M +0") ends the comment's claims.
MAX_QUANTITY bounds each claim, not the sum ("+999 +999" is 1998).
A rule anchored with `^` continues only where the next claim starts right after the
previous one; the default rule's variant stops before the next "+N", so its claims chain.

The default rule set (a shop with no rules of its own, METRICS.md "+1, +N, ＋1, +1
<variant>") is DEFAULT_RULE alone: the text starts with "+", an optional space, N ≥ 1
digits, then any variant text up to the next "+N". "+1", "＋１", "+ 1", "+1謝謝"
(variant "謝謝"), "+2白色S" and "  +1 黑M" are purchases; "1+1優惠", "請問+1怎麼買",
"+", "+0", "3號 +1" are not (the last needs a rule such as
`^(?P<variant>\\S+)\\s*\\+(?P<qty>\\d+)`).

Storage. Rules live in `keyword_rules` (schema v3) as a JSON list per shop (post_id '')
or per post. A post's own rules replace the shop's for that post (they apply to that post
id on every channel); a shop with none uses the default set. An empty list is allowed:
nothing is a purchase there. Setting or resetting rules rebuilds the affected rows of the
derived table d_comment_intents at once (store.derive_keywords). Rules stored by other
means that no longer validate match nothing (`list_rules` / `get_rules` report the error).
"""

from __future__ import annotations

import importlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc

from socialscope.store.duckdb import Store

MAX_QUANTITY = 999
"""The largest quantity one claim can have; a larger number is not a claim."""
MAX_CLAIMS = 50
"""The most claims read from one comment."""
MAX_RULES = 50
MAX_RULE_LENGTH = 1000

DEFAULT_RULE = r"^\+ ?(?P<qty>\d+)(?P<variant>(?:(?! ?\+ ?\d).)*)"
DEFAULT_RULES: tuple[str, ...] = (DEFAULT_RULE,)

_INVISIBLE = dict.fromkeys(
    [
        0x200B,  # zero-width space
        0x200E,  # left-to-right mark
        0x200F,  # right-to-left mark
        *range(0x202A, 0x202F),  # embeddings and overrides
        0x2060,  # word joiner
        *range(0x2066, 0x206A),  # isolates
        0xFEFF,  # byte-order mark / zero-width no-break space
    ]
)


class KeywordRuleError(ValueError):
    """A rule set that cannot be used: the message names the rule (1-based) and why."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index
        """0-based position of the offending rule, when one rule is at fault."""


@dataclass(frozen=True)
class Intent:
    """A purchase intent: how many items and which variant (None when not given)."""

    quantity: int
    variant: str | None


@dataclass(frozen=True)
class CompiledRule:
    """One validated rule."""

    pattern: str
    regex: re.Pattern[str]

    def claims(self, text: str) -> Intent | None:
        """This rule's claims in a normalised text, summed; None when it does not match."""
        quantity = 0
        variants: list[str] = []
        rest = text
        for _ in range(MAX_CLAIMS):
            m = self.regex.search(rest)
            if m is None:
                break
            qty = _quantity(m)
            if qty is None:
                break
            quantity += qty
            variant = _variant(m)
            if variant is not None:
                variants.append(variant)
            if m.end() == 0:
                break  # an empty match at the start: no progress possible
            rest = rest[m.end() :].lstrip()
            if not rest:
                break
        if not quantity:
            return None
        return Intent(quantity, "; ".join(variants) or None)


def normalize(text: str) -> str:
    """NFKC, invisible format characters removed, whitespace collapsed and trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split())


def parse(text: str | None, rules: Sequence[CompiledRule]) -> Intent | None:
    """The purchase intent of one comment text under these rules (first match wins)."""
    if text is None:
        return None
    norm = normalize(text)
    if not norm:
        return None
    for rule in rules:
        intent = rule.claims(norm)
        if intent is not None:
            return intent
    return None


def parse_column(
    texts: pa.Array | pa.ChunkedArray, rules: Sequence[CompiledRule]
) -> tuple[pa.Array, pa.Array]:
    """`parse` over a column: (quantity int32, variant string), null where no intent.

    Each distinct text is parsed once (dictionary encoding), so repeated "+1"s cost one
    parse. The normalisation is Python's `unicodedata` NFKC, not pyarrow's
    `utf8_normalize`: that one follows utf8proc's Unicode version, which differs from
    Python's for recently assigned characters (167 code points between pyarrow 26 and
    Python 3.11), and the column must give exactly what `parse` gives.
    """
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks else pa.array([], pa.string())
    if not pa.types.is_string(texts.type) and not pa.types.is_large_string(texts.type):
        texts = texts.cast(pa.string())
    encoded = pc.dictionary_encode(texts)
    quantities: list[int | None] = []
    variants: list[str | None] = []
    for value in encoded.dictionary.to_pylist():
        intent = parse(value, rules)
        quantities.append(intent.quantity if intent else None)
        variants.append(intent.variant if intent else None)
    indices = encoded.indices
    return (
        pa.array(quantities, pa.int32()).take(indices),
        pa.array(variants, pa.string()).take(indices),
    )


# -- rules: validation ---------------------------------------------------------------------
def compile_rules(rules: Sequence[str]) -> tuple[CompiledRule, ...]:
    """Validate and compile a rule list; KeywordRuleError names the first bad rule."""
    if isinstance(rules, str):
        raise KeywordRuleError("rules must be a list of regular expressions, not one string")
    rules = tuple(rules)
    if len(rules) > MAX_RULES:
        raise KeywordRuleError(f"at most {MAX_RULES} rules, got {len(rules)}")
    for index, pattern in enumerate(rules):
        if not isinstance(pattern, str):
            raise KeywordRuleError(f"rule {index + 1}: must be a string, got {pattern!r}", index)
    return _compile(rules)


@lru_cache(maxsize=256)
def _compile(rules: tuple[str, ...]) -> tuple[CompiledRule, ...]:
    return tuple(_compile_one(i, r) for i, r in enumerate(rules))


def _compile_one(index: int, pattern: str) -> CompiledRule:
    where = f"rule {index + 1} `{pattern}`"
    if not pattern.strip():
        raise KeywordRuleError(f"{where}: empty (it would match every comment)", index)
    if len(pattern) > MAX_RULE_LENGTH:
        raise KeywordRuleError(f"{where}: longer than {MAX_RULE_LENGTH} characters", index)
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise KeywordRuleError(f"{where}: not a valid regular expression: {exc}", index) from None
    if "qty" in regex.groupindex and not _qty_is_digits(pattern):
        raise KeywordRuleError(
            f"{where}: the group 'qty' must match one or more decimal digits only "
            r"(e.g. (?P<qty>\d+))",
            index,
        )
    if regex.search("") is not None:
        raise KeywordRuleError(
            f"{where}: matches an empty text, so every comment would be a purchase", index
        )
    return CompiledRule(pattern, regex)


_sre: Any = importlib.import_module("re._parser")
_C: Any = importlib.import_module("re._constants")


def _qty_is_digits(pattern: str) -> bool:
    """Whether the `qty` group can match nothing but one or more decimal digits."""
    tree = _sre.parse(pattern)  # rules are compiled without flags: inline ones are parsed
    group = tree.state.groupdict["qty"]
    body = _find_group(tree, group)
    return body is not None and body.getwidth()[0] >= 1 and _digits_only(body)


def _children(op: Any, av: Any) -> list[Any]:
    """The sub-patterns inside one parsed node."""
    if op is _C.SUBPATTERN:
        return [av[3]]
    if op is _C.BRANCH:
        return list(av[1])
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
        return [av[2]]
    if op is _C.ATOMIC_GROUP:
        return [av]
    if op in (_C.ASSERT, _C.ASSERT_NOT):
        return [av[1]]
    if op is _C.GROUPREF_EXISTS:
        return [x for x in av[1:] if x is not None]
    return []


def _find_group(sub: Any, group: int) -> Any:
    for op, av in sub:
        if op is _C.SUBPATTERN and av[0] == group:
            return av[3]
        for child in _children(op, av):
            found = _find_group(child, group)
            if found is not None:
                return found
    return None


def _digit(code: int) -> bool:
    return chr(code).isdecimal()


def _digits_only(sub: Any) -> bool:
    for op, av in sub:
        if op is _C.LITERAL:
            if not _digit(av):
                return False
        elif op is _C.IN:
            for item_op, item in av:
                if item_op is _C.LITERAL:
                    ok = _digit(item)
                elif item_op is _C.RANGE:
                    lo, hi = item
                    ok = hi - lo <= 256 and all(_digit(c) for c in range(lo, hi + 1))
                elif item_op is _C.CATEGORY:
                    ok = item is _C.CATEGORY_DIGIT
                else:  # NEGATE and anything else
                    ok = False
                if not ok:
                    return False
        elif op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue  # zero-width: adds no character to the group
        elif op in (
            _C.SUBPATTERN,
            _C.BRANCH,
            _C.MAX_REPEAT,
            _C.MIN_REPEAT,
            _C.POSSESSIVE_REPEAT,
            _C.ATOMIC_GROUP,
        ):
            if not all(_digits_only(child) for child in _children(op, av)):
                return False
        else:  # ANY, NOT_LITERAL, GROUPREF, ...
            return False
    return True


def _quantity(m: re.Match[str]) -> int | None:
    """The claim's quantity: the `qty` group (absent: 1); None when 0 or too large."""
    if "qty" not in m.re.groupindex:
        return 1
    digits = m.group("qty")
    if digits is None:
        return 1
    qty = 0
    for ch in digits:
        value = unicodedata.decimal(ch, None)
        if value is None:
            return None
        qty = qty * 10 + value
        if qty > MAX_QUANTITY:
            return None
    return qty or None


def _edge(ch: str) -> bool:
    """A character trimmed from the ends of a variant."""
    if ch.isspace() or ch in "\ufe0e\ufe0f":
        return True
    cat = unicodedata.category(ch)
    return cat[0] == "P" or cat in ("So", "Sk", "Cf", "Me")


def _variant(m: re.Match[str]) -> str | None:
    if "variant" not in m.re.groupindex:
        return None
    text = m.group("variant")
    if text is None:
        return None
    start, end = 0, len(text)
    while start < end and _edge(text[start]):
        start += 1
    while end > start and _edge(text[end - 1]):
        end -= 1
    return text[start:end] or None


# -- rules: storage ------------------------------------------------------------------------
Source = Literal["post", "shop", "default"]


@dataclass(frozen=True)
class RuleSet:
    """The rules in force for a shop (post_id None) or one of its posts."""

    shop_id: str
    post_id: str | None
    rules: tuple[str, ...]
    source: Source
    """Where the rules come from: the post's own, the shop's, or the default set."""
    error: str | None = None
    """Why stored rules do not validate (they then match nothing)."""

    def compiled(self) -> tuple[CompiledRule, ...]:
        """The compiled rules (none when the stored ones do not validate)."""
        return () if self.error else compile_rules(self.rules)

    def as_dict(self) -> dict[str, Any]:
        return {
            "shop_id": self.shop_id,
            "post_id": self.post_id,
            "rules": list(self.rules),
            "source": self.source,
            "error": self.error,
        }


def decode_rules(raw: str) -> tuple[tuple[str, ...], str | None]:
    """Stored JSON -> (rules, None), or (what could be read, the error) when invalid."""
    try:
        value = json.loads(raw)
    except ValueError as exc:
        return (), f"stored rules are not JSON: {exc}"
    if not isinstance(value, list):
        return (), "stored rules are not a JSON list"
    rules = tuple(str(v) for v in value)
    try:
        compile_rules(value)
    except KeywordRuleError as exc:
        return rules, str(exc)
    return rules, None


def compiled_from_json(raw: str | None) -> tuple[CompiledRule, ...]:
    """The compiled rules of a stored JSON list (None: the default set; invalid: none)."""
    if raw is None:
        return compile_rules(DEFAULT_RULES)
    rules, error = decode_rules(raw)
    return () if error else compile_rules(rules)


def _post_key(post_id: str | None) -> str:
    return post_id or ""


def _check_shop(shop_id: str) -> None:
    if not isinstance(shop_id, str) or not shop_id.strip():
        raise KeywordRuleError("a shop id is required")


def _stored(store: Store, shop_id: str, post: str) -> str | None:
    row = store.con.execute(
        "SELECT CAST(rules AS VARCHAR) FROM keyword_rules WHERE shop_id = ? AND post_id = ?",
        [shop_id, post],
    ).fetchone()
    return str(row[0]) if row else None


def get_rules(store: Store, shop_id: str, post_id: str | None = None) -> RuleSet:
    """The rules in force for a shop, or for one post: the post's own, else the shop's,
    else the default set."""
    post = _post_key(post_id)
    levels: list[tuple[str, Source]] = [(post, "post")] if post else []
    for key, source in [*levels, ("", "shop")]:
        raw = _stored(store, shop_id, key)
        if raw is not None:
            rules, error = decode_rules(raw)
            return RuleSet(shop_id, post or None, rules, source, error)
    return RuleSet(shop_id, post or None, DEFAULT_RULES, "default")


def list_rules(store: Store, shop_id: str) -> list[RuleSet]:
    """The rule sets a shop has stored: its own (if any) first, then its posts' by id."""
    rows = store.con.execute(
        "SELECT post_id, CAST(rules AS VARCHAR) FROM keyword_rules WHERE shop_id = ? "
        "ORDER BY post_id",
        [shop_id],
    ).fetchall()
    out = []
    for post, raw in rows:
        rules, error = decode_rules(str(raw))
        out.append(RuleSet(shop_id, post or None, rules, "post" if post else "shop", error))
    return out


def set_rules(
    store: Store, shop_id: str, rules: Sequence[str], post_id: str | None = None
) -> RuleSet:
    """Validate and store a shop's (or a post's) rules; the purchase intents of its
    comments are recomputed in the same transaction. Raises KeywordRuleError."""
    _check_shop(shop_id)
    compiled = compile_rules(rules)
    stored = [r.pattern for r in compiled]
    from socialscope.store import derive_keywords

    post = _post_key(post_id)
    with derive_keywords.transaction(store):
        store.con.execute(
            "INSERT OR REPLACE INTO keyword_rules VALUES (?, ?, ?)",
            [shop_id, post, json.dumps(stored, ensure_ascii=False)],
        )
        derive_keywords.rebuild_rules_scope(store, shop_id, post_id)
    return get_rules(store, shop_id, post_id)


def reset_rules(store: Store, shop_id: str, post_id: str | None = None) -> bool:
    """Remove a shop's (or a post's) own rules: the post falls back to the shop's, the
    shop to the default set. False when there were none."""
    _check_shop(shop_id)
    from socialscope.store import derive_keywords

    with derive_keywords.transaction(store):
        removed = store.con.execute(
            "DELETE FROM keyword_rules WHERE shop_id = ? AND post_id = ? RETURNING shop_id",
            [shop_id, _post_key(post_id)],
        ).fetchall()
        if removed:
            derive_keywords.rebuild_rules_scope(store, shop_id, post_id)
    return bool(removed)
