"""Store housekeeping that spans tables: removing shops."""

from __future__ import annotations

from collections.abc import Iterable

from socialscope.store.duckdb import Store


def _tables_with_shop_id(store: Store) -> list[str]:
    """Every table holding per-shop rows: canonical, derived, quarantine, calendars..."""
    rows = store.con.execute(
        "SELECT DISTINCT table_name FROM information_schema.columns "
        "WHERE column_name = 'shop_id' AND table_schema = 'main' ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def delete_shops(store: Store, shops: Iterable[str]) -> None:
    """Remove every row of these shops (canonical, derived, quarantine), atomically."""
    shop_list = sorted(set(shops))
    if not shop_list:
        return
    marks = ", ".join("?" for _ in shop_list)
    store.con.execute("BEGIN TRANSACTION")
    try:
        for name in _tables_with_shop_id(store):
            store.con.execute(f'DELETE FROM "{name}" WHERE shop_id IN ({marks})', shop_list)
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise
