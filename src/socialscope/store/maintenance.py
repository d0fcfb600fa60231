"""Store housekeeping that spans tables: removing shops."""

from __future__ import annotations

from collections.abc import Iterable

from socialscope.contract.tables import TABLES
from socialscope.store.derive import DERIVED_ORDER
from socialscope.store.duckdb import Store


def delete_shops(store: Store, shops: Iterable[str]) -> None:
    """Remove every row of these shops (canonical, derived, quarantine), atomically."""
    shop_list = sorted(set(shops))
    if not shop_list:
        return
    marks = ", ".join("?" for _ in shop_list)
    store.con.execute("BEGIN TRANSACTION")
    try:
        for name in (*TABLES, *DERIVED_ORDER, "_quarantine"):
            if store.table_exists(name):
                store.con.execute(f'DELETE FROM "{name}" WHERE shop_id IN ({marks})', shop_list)
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise
