"""Export of a user set as the shop's OWN customer ids (a re-targeting audience).

Only units that are customer ids of the requesting shop leave the engine: ids the shop
itself stored in customers, identities (customer_id), orders or touchpoints. Visitors
never linked to a customer and raw channel identities are left out. A set of fewer than
k exported ids is refused.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from socialscope.audience.privacy import PrivacyError, effective_k
from socialscope.audience.usersets import UserSetRequest, units

if TYPE_CHECKING:
    from socialscope.client import Client

HEADER = "customer_id"


def export_ids(client: Client, request: UserSetRequest, k: int | None = None) -> list[str]:
    """The sorted customer ids of the set; PrivacyError below k."""
    kk = effective_k(client.store, k)
    con = client.store.ibis
    s = units(con, request)
    known = _known_ids(con, request.shop)
    ids = s.semi_join(known, s.unit == known.k_id).view().select("unit").order_by("unit")
    out = [str(r["unit"]) for r in con.to_pyarrow(ids).to_pylist()]
    if len(out) < kk:
        raise PrivacyError(
            f"the set {request.set} has fewer than k={kk} exportable customers; "
            "sets this small are not exported"
        )
    return out


def export_csv(client: Client, request: UserSetRequest, k: int | None = None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([HEADER])
    for cid in export_ids(client, request, k):
        w.writerow([cid])
    return buf.getvalue()


def _known_ids(con: Any, shop: str) -> Any:
    parts = []
    for table in ("customers", "identities", "orders", "touchpoints"):
        t = con.table(table)
        t = t.filter(t.shop_id == shop, t.customer_id.notnull(), t.customer_id != "")
        parts.append(t.select(k_id=t.customer_id))
    rel = parts[0]
    for p in parts[1:]:
        rel = rel.union(p, distinct=False)
    return rel.distinct()
