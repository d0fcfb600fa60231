"""Checks every query string gets before a route reads it.

FastAPI reads a single-valued parameter given twice as its last value (`channel=a&channel=b`
reads as `channel=b`) and passes NUL characters on to SQL; both are client mistakes that
deserve a 400 that says what is wrong, not a silent guess or a 500.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from fastapi import HTTPException, Request


def reject_nul(request: Request) -> None:
    """400 for a NUL character in a query parameter (the SQL layer cannot take one)."""
    for name, value in request.query_params.multi_items():
        if "\x00" in value or "\x00" in name:
            raise HTTPException(400, f"query parameter {name!r} holds a NUL character")


def single_valued(repeatable: Iterable[str] = ()) -> Callable[[Request], None]:
    """A dependency: 400 for a query parameter given twice, unless it is `repeatable`."""
    allowed = frozenset(repeatable)

    def reject_repeats(request: Request) -> None:
        counts = Counter(name for name, _ in request.query_params.multi_items())
        for name, count in counts.items():
            if count > 1 and name not in allowed:
                raise HTTPException(
                    400, f"query parameter {name!r} is given {count} times: give it once"
                )

    return reject_repeats
