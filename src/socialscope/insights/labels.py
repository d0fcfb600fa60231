"""The English texts of explanations: one template per kind of sentence.

An explanation keeps its template key (`message`) and arguments (`args`) beside the
rendered English `label`, so the dashboard (and reports) can say the same in the shop's
language: the web locales hold these keys in every language (English from here).
"""

from __future__ import annotations

TEMPLATES: dict[str, str] = {
    "explain_post": "{kind} on {channel} '{caption}'",
    "explain_post_paid": "{kind} on {channel} '{caption}' (paid)",
    "explain_live": "Live '{title}' ({hours} h {minutes} min, {viewers} viewers)",
    "explain_live_viewers": "Live '{title}' ({viewers} viewers)",
    "explain_live_plain": "Live '{title}'",
    "explain_campaign": "Campaign '{campaign}' started",
    "explain_product": "New product '{title}' (first sale or visit)",
    "explain_big_order": "Order {order_id}: {amount} {currency} (usual {usual})",
    "explain_refund": "Refund {refund_id} of order {order_id}: {amount} {currency} (usual {usual})",
    "explain_refunds_many": "{n} refunds (usually about {usual})",
    "explain_absent": "{name} offline (usually online {usual} h, this time {now} h)",
    "explain_fewer_agents": "Agents online: {n} (usually {usual})",
}


def render(message: str, args: dict[str, str]) -> str:
    return TEMPLATES[message].format(**args)
