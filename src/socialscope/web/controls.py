"""Page options as a block: a small GET form (a select, a number, a checkbox list) whose
values live in the URL beside the shared filters, so a funnel, a chosen live or a set of
attribution models can be bookmarked like any other view.

Block shape (``kind: "options"``): {id, title, fields: [{name, label, type (select | number
| text | checks), value, options [{value, label}], min, max, step, help}]}. The template
keeps every other URL key as a hidden input, so submitting the form changes only its own
fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from socialscope.web.blocks import PageContext


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str  # select | number | text | checks
    value: str | list[str] = ""
    options: Sequence[Choice] = ()
    min: float | None = None
    max: float | None = None
    step: float | str | None = None  # "any" for a decimal input
    help: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "value": self.value,
            "options": [{"value": o.value, "label": o.label} for o in self.options],
        }
        for key in ("min", "max", "step"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.help:
            out["help"] = self.help
        out.update(self.extra)
        return out


def options_block(
    ctx: PageContext, block_id: str, title: str, fields: Sequence[Field]
) -> dict[str, Any]:
    """The form; `keep` lists the URL pairs it carries unchanged (filters and the page's
    other keys), so the template needs no knowledge of the page."""
    own = {f.name for f in fields}
    keep = [(k, v) for k, v in ctx.filters.params() if k not in own]
    return {
        "kind": "options",
        "id": block_id,
        "title": title,
        "fields": [f.as_dict() for f in fields],
        "keep": keep,
    }


def notes_block(block_id: str, title: str, items: Sequence[str]) -> dict[str, Any]:
    """Plain statements a result must make (what was counted, what was skipped)."""
    return {"kind": "notes", "id": block_id, "title": title, "items": list(items)}


def error_block(message: str) -> dict[str, Any]:
    """What a bad URL parameter shows instead of the block it would have fed."""
    return {"kind": "error", "message": message}
