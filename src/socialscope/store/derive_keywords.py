"""d_comment_intents: every comment, with whether it is a purchase intent (METRICS.md 5).

One row per comment: shop_id, event_id, channel, post_id, comment_id, parent_comment_id,
live_id, customer_id, author, ts, ts_local, deleted (never null), is_purchase_intent,
purchase_quantity (NULL unless an intent), purchase_variant. A comment is an intent when
its author is the customer, it is not deleted, and its text matches the rules in force for
its post (`keywords.get_rules`: the post's own, else the shop's, else the default set).
Page-authored and deleted comments are never intents.

The rules are Python regular expressions, so the table is built in three steps: the
distinct (rules, text) pairs of the comments in scope are read into Arrow, parsed in
Python (`keywords.parse_column`, once per distinct pair), and joined back in SQL. Being
per comment, it needs no thread logic: it is rebuilt
- for every shop (`rebuild(store)`) or some shops (`rebuild(store, shops)`), from
  `derive._rebuild_shops` — a full refresh, a shop rebuilt whole (e.g. its time zone
  changed, so ts_local did);
- for the changed comments only (`refresh_changed`), from `derive.refresh_changes`
  after a load changed rows of `comments` (keyed by TRACKED's shop_id and event_id);
- for a shop or one post (`rebuild_rules_scope`) when its rules are set or reset.
Every function runs inside the caller's transaction (`transaction` opens one if none is
open). Stored sorted by (shop_id, ts) on a full build; scoped rebuilds append.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from socialscope.keywords import compiled_from_json, parse_column
from socialscope.store.ddl import LOCAL_SUFFIX
from socialscope.store.derive import _transaction
from socialscope.store.duckdb import Store

TABLE = "d_comment_intents"
ORDER = "shop_id, ts"
PARSED = "__ss_kw_parsed"
"""Arrow view of the parsed (rules, text) pairs, registered during a build."""

_TS_LOCAL = "ts" + LOCAL_SUFFIX
_SOURCE_COLUMNS = (
    "shop_id",
    "event_id",
    "channel",
    "post_id",
    "comment_id",
    "parent_comment_id",
    "live_id",
    "customer_id",
    "author",
    "ts",
    _TS_LOCAL,
    "deleted",
    "text",
)
_COLS = ", ".join(f'"{c}"' for c in _SOURCE_COLUMNS)
_PARSED_SCHEMA = pa.schema(
    [
        ("_rules", pa.string()),
        ("text", pa.string()),
        ("purchase_quantity", pa.int32()),
        ("purchase_variant", pa.string()),
    ]
)


@contextmanager
def transaction(store: Store) -> Iterator[None]:
    """One transaction around a change, unless the caller already holds one."""
    with _transaction(store):
        yield


def _source_sql(scope: str) -> str:
    """The comments of `scope` (a SELECT of _SOURCE_COLUMNS from comments) with the JSON
    text of the rules in force ('' = the default set) and whether they can be intents."""
    return (
        "SELECT c.*, "
        "coalesce(CAST(kp.rules AS VARCHAR), CAST(ks.rules AS VARCHAR), '') AS _rules, "
        "(c.author = 'customer' AND NOT coalesce(c.deleted, false) "
        "AND c.text IS NOT NULL) AS _eligible "
        f"FROM ({scope}) c "
        "LEFT JOIN keyword_rules kp ON kp.shop_id = c.shop_id AND kp.post_id = c.post_id "
        "LEFT JOIN keyword_rules ks ON ks.shop_id = c.shop_id AND ks.post_id = ''"
    )


def _parsed(pairs: pa.Table) -> pa.Table:
    """Parse each distinct (rules, text) pair with its rules."""
    parts = []
    for key in pc.unique(pairs["_rules"]).to_pylist():
        texts = pairs.filter(pc.equal(pairs["_rules"], key))["text"]
        rules = compiled_from_json(key or None)
        quantity, variant = parse_column(texts, rules)
        keep = pc.is_valid(quantity)
        parts.append(
            pa.table(
                {
                    "_rules": pa.array([key] * len(texts), pa.string()).filter(keep),
                    "text": pc.filter(texts, keep),
                    "purchase_quantity": quantity.filter(keep),
                    "purchase_variant": variant.filter(keep),
                },
                schema=_PARSED_SCHEMA,
            )
        )
    if not parts:
        return _PARSED_SCHEMA.empty_table()
    return pa.concat_tables(parts)


def _build(store: Store, scope: str, params: Sequence[Any], *, replace_all: bool) -> None:
    """Insert the rows of the comments in `scope` (or replace the whole table)."""
    con = store.con
    src = _source_sql(scope)
    pairs = con.execute(
        f"SELECT DISTINCT _rules, text FROM ({src}) WHERE _eligible", list(params)
    ).to_arrow_table()
    parsed = _parsed(pairs)
    intent = "s._eligible AND p.purchase_quantity IS NOT NULL"
    select = (
        "SELECT s.shop_id, s.event_id, s.channel, s.post_id, s.comment_id, "
        f's.parent_comment_id, s.live_id, s.customer_id, s.author, s.ts, s."{_TS_LOCAL}", '
        "coalesce(s.deleted, false) AS deleted, "
        f"coalesce({intent}, false) AS is_purchase_intent, "
        f"CAST(CASE WHEN {intent} THEN p.purchase_quantity END AS INTEGER) "
        "AS purchase_quantity, "
        f"CAST(CASE WHEN {intent} THEN p.purchase_variant END AS VARCHAR) AS purchase_variant "
        f"FROM ({src}) s LEFT JOIN {PARSED} p ON p._rules = s._rules AND p.text = s.text "
        f"ORDER BY {ORDER}"
    )
    con.register(PARSED, parsed)
    try:
        if replace_all:
            con.execute(f'CREATE OR REPLACE TABLE "{TABLE}" AS {select}', list(params))
        else:
            con.execute(f'INSERT INTO "{TABLE}" BY NAME ({select})', list(params))
    finally:
        con.unregister(PARSED)


def rebuild(store: Store, shops: Iterable[str] | None = None) -> None:
    """Rebuild the table for these shops (every shop, from scratch, when None or when the
    table does not exist yet)."""
    if shops is not None:
        shop_list = sorted(set(shops))
        if not shop_list:
            return
        if store.table_exists(TABLE):
            marks = ", ".join("?" for _ in shop_list)
            store.con.execute(f'DELETE FROM "{TABLE}" WHERE shop_id IN ({marks})', shop_list)
            scope = f"SELECT {_COLS} FROM comments WHERE shop_id IN ({marks})"
            _build(store, scope, shop_list, replace_all=False)
            return
    _build(store, f"SELECT {_COLS} FROM comments", [], replace_all=True)


def rebuild_rules_scope(store: Store, shop_id: str, post_id: str | None = None) -> None:
    """Recompute the rows whose rules changed: a shop's (post_id None) or one post's."""
    if not store.table_exists(TABLE):
        rebuild(store)
        return
    where, params = "shop_id = ?", [shop_id]
    if post_id:
        where, params = "shop_id = ? AND post_id = ?", [shop_id, post_id]
    store.con.execute(f'DELETE FROM "{TABLE}" WHERE {where}', params)
    _build(store, f"SELECT {_COLS} FROM comments WHERE {where}", params, replace_all=False)


def refresh_changed(store: Store, changed: str | None, skip_shops: Iterable[str] = ()) -> None:
    """Recompute the rows of the comments a load changed.

    `changed` names a table of the changed comments' (shop_id, event_id), old and new
    versions (derive.TRACKED); None: no comment changed. Shops in `skip_shops` were just
    rebuilt whole. Without an event_id column the changed shops are rebuilt whole.
    """
    if changed is None:
        return
    con = store.con
    skip = sorted(set(skip_shops))
    not_skipped = f"shop_id NOT IN ({', '.join('?' for _ in skip)})" if skip else "TRUE"
    if not store.table_exists(TABLE):
        rebuild(store)
        return
    names = [d[0] for d in con.execute(f"SELECT * FROM {changed} LIMIT 0").description]
    if "event_id" not in names:
        rows = con.execute(
            f"SELECT DISTINCT shop_id FROM {changed} WHERE {not_skipped}", skip
        ).fetchall()
        rebuild(store, [str(r[0]) for r in rows])
        return
    keys = f"SELECT DISTINCT shop_id, event_id FROM {changed} WHERE {not_skipped}"
    con.execute(
        f'DELETE FROM "{TABLE}" USING ({keys}) k '
        f'WHERE "{TABLE}".shop_id = k.shop_id AND "{TABLE}".event_id = k.event_id',
        skip,
    )
    scope = (
        f"SELECT {_COLS} FROM comments WHERE (shop_id, event_id) IN "
        f"(SELECT shop_id, event_id FROM ({keys}))"
    )
    _build(store, scope, skip, replace_all=False)


def intent_counts(store: Store, shop_id: str, post_id: str | None = None) -> dict[str, int] | None:
    """Comments, purchase intents and their total quantity for a shop (or one post); None
    when the table does not exist (a read-only store derived by an older version)."""
    if not store.table_exists(TABLE):
        return None
    where, params = "shop_id = ?", [shop_id]
    if post_id:
        where, params = "shop_id = ? AND post_id = ?", [shop_id, post_id]
    row = store.con.execute(
        "SELECT count(*), count(*) FILTER (WHERE is_purchase_intent), "
        f'coalesce(sum(purchase_quantity), 0) FROM "{TABLE}" WHERE {where}',
        params,
    ).fetchone()
    comments, intents, quantity = row if row else (0, 0, 0)
    return {"comments": int(comments), "intents": int(intents), "quantity": int(quantity)}
