"""Built-in funnels (METRICS.md sections 5 and 7): named steps, unit and `same` rule."""

from __future__ import annotations

from dataclasses import dataclass

from socialscope.funnels.steps import FunnelError, Step, parse_steps


@dataclass(frozen=True)
class Builtin:
    name: str
    description: str
    steps: tuple[Step, ...]
    unit: str
    same: tuple[str, ...] = ()


BUILTINS: dict[str, Builtin] = {
    b.name: b
    for b in (
        Builtin(
            "social",
            "site journey of a visitor, from seeing to buying",
            parse_steps("impression,click,product_view,add_to_cart,checkout,purchase"),
            "visitor",
        ),
        Builtin(
            "service",
            "a customer who writes to the shop, then orders, then pays",
            parse_steps("inquiry,order,paid"),
            "customer",
        ),
        Builtin(
            "live",
            "live selling: comment on a live, +1 on that live, order and payment from it",
            parse_steps("comment[live_id=*],&keyword_comment,order[source=live],paid[source=live]"),
            "customer",
            ("live_id",),
        ),
        Builtin(
            "post",
            "post selling: comment on a post (not a live), +1, order and payment from it",
            parse_steps(
                "comment[live_id=],&keyword_comment[live_id=],order[source=post],paid[source=post]"
            ),
            "customer",
            ("post_id",),
        ),
    )
}


def builtin(name: str) -> Builtin:
    try:
        return BUILTINS[name]
    except KeyError:
        raise FunnelError(
            f"no built-in funnel {name!r}; built-ins: {', '.join(BUILTINS)}"
        ) from None
