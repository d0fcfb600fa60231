"""Funnel steps: an event source plus optional filters on the source's dimensions.

A step is written `event` or `event[dim=value,dim2=v1|v2]` (docs/funnels.md). Filters:
`dim=a|b` (one of), `dim!=a|b` (none of; an empty value passes), `dim=*` (has a value),
`dim=` (has none). A leading `&` (`&keyword_comment`) lets the step be filled by the very
event that filled the previous step, when it matches both (a "+1" is a comment and a
purchase intent at once); otherwise every step needs an event of its own. Touchpoint
events work for visitors and customers; the other events are customer-level (they carry
no visitor id), so they need unit=customer.
"""

from __future__ import annotations

from dataclasses import dataclass


class FunnelError(ValueError):
    """A funnel that cannot be run, with a message that says how to fix it."""


@dataclass(frozen=True)
class Source:
    """Where a step's events come from: the rows that are events, and their dimensions.

    `name` also groups events for strict mode: every event of a source a funnel uses is an
    event that can stand between two steps.
    """

    name: str
    dims: tuple[str, ...]
    customer_only: bool


TOUCHPOINTS = Source("touchpoints", ("channel", "source", "campaign", "product_id"), False)
MESSAGES = Source("messages", ("channel",), True)
COMMENTS = Source("comments", ("channel", "post_id", "live_id"), True)
ORDERS = Source("orders", ("source", "channel", "live_id", "post_id", "staff_id"), True)
PAYMENTS = Source("payments", ORDERS.dims, True)

TOUCH_EVENTS = (
    "impression",
    "click",
    "product_view",
    "add_to_cart",
    "checkout",
    "purchase",
    "lead",
    "signup",
)
EVENTS: dict[str, tuple[Source, str]] = {
    **{e: (TOUCHPOINTS, f"a `{e}` touchpoint") for e in TOUCH_EVENTS},
    "inquiry": (MESSAGES, "a customer message (identity-resolved customer)"),
    "comment": (COMMENTS, "a customer comment, not deleted"),
    "keyword_comment": (COMMENTS, "a customer comment that is a purchase intent (+1)"),
    "order": (ORDERS, "an order created, not cancelled (ts: created_at)"),
    "paid": (PAYMENTS, "an order paid, not cancelled (ts: paid_at)"),
}
"""Event name -> (source, what counts as the event)."""

DIMENSIONS = tuple(
    dict.fromkeys(d for s in (TOUCHPOINTS, MESSAGES, COMMENTS, ORDERS) for d in s.dims)
)
"""Every dimension some source has (for --by, --same and filters)."""


@dataclass(frozen=True)
class Filter:
    """One condition on a dimension: op is `in`, `not_in`, `present` or `absent`."""

    dim: str
    op: str
    values: tuple[str, ...] = ()

    def text(self) -> str:
        if self.op == "present":
            return f"{self.dim}=*"
        if self.op == "absent":
            return f"{self.dim}="
        sign = "!=" if self.op == "not_in" else "="
        return f"{self.dim}{sign}{'|'.join(self.values)}"


@dataclass(frozen=True)
class Step:
    event: str
    filters: tuple[Filter, ...] = ()
    overlap: bool = False  # may be the previous step's event (written `&event`)

    def __post_init__(self) -> None:
        if self.event not in EVENTS:
            raise FunnelError(f"unknown funnel event {self.event!r}; known: {', '.join(EVENTS)}")
        source = self.source
        for f in self.filters:
            if f.dim not in source.dims:
                raise FunnelError(
                    f"{self.event} events have no dimension {f.dim!r}; "
                    f"filter on one of {', '.join(source.dims)}"
                )

    @property
    def source(self) -> Source:
        return EVENTS[self.event][0]

    @property
    def label(self) -> str:
        head = ("&" if self.overlap else "") + self.event
        if not self.filters:
            return head
        return f"{head}[{','.join(f.text() for f in self.filters)}]"


def parse_step(text: str) -> Step:
    """`event` or `event[dim=v1|v2,dim2!=v,dim3=*,dim4=]`, optionally after `&`."""
    text = text.strip()
    overlap = text.startswith("&")
    text = text.removeprefix("&").strip()
    if "[" not in text:
        return Step(text, overlap=overlap)
    if not text.endswith("]"):
        raise FunnelError(f"step {text!r}: filters must close with ']'")
    event, body = text[:-1].split("[", 1)
    filters = []
    for part in body.split(","):
        part = part.strip()
        if not part:
            continue
        if "!=" in part:
            dim, raw = part.split("!=", 1)
            op = "not_in"
        elif "=" in part:
            dim, raw = part.split("=", 1)
            op = "in"
        else:
            raise FunnelError(f"step {text!r}: filter {part!r} is not dim=value")
        dim, raw = dim.strip(), raw.strip()
        values = tuple(v.strip() for v in raw.split("|") if v.strip())
        if op == "in" and raw == "*":
            filters.append(Filter(dim, "present"))
        elif op == "in" and not values:
            filters.append(Filter(dim, "absent"))
        elif not values:
            raise FunnelError(f"step {text!r}: {dim}!= needs a value")
        else:
            filters.append(Filter(dim, op, values))
    return Step(event.strip(), tuple(filters), overlap)


def parse_steps(text: str) -> tuple[Step, ...]:
    """Comma-separated steps; commas inside [...] separate filters, not steps."""
    steps, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            steps.append(text[start:i])
            start = i + 1
    steps.append(text[start:])
    return tuple(parse_step(s) for s in steps if s.strip())
