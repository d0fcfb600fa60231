"""k-anonymity: the one threshold every cross-shop or other-shop aggregate obeys.

`privacy_k` is a store setting (`socialscope settings privacy_k 5`), overridable by the
server configuration (`[server] privacy_k`) and, for the store's operator, per call (CLI
`--k`, Python `k=`). It can be raised freely but never below `MIN_K`: a group of two
users is one user plus the reader's own knowledge.
"""

from __future__ import annotations

from typing import Any

DEFAULT_K = 5
MIN_K = 3
K_SETTING = "privacy_k"


class PrivacyError(ValueError):
    """A request that would break a privacy rule (k too small, a set below k, a period
    that allows differencing); the message names the parameter."""


def check_k(value: Any, name: str = "privacy_k") -> int:
    """`value` as a valid k: a whole number ≥ MIN_K, else PrivacyError naming `name`."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise PrivacyError(f"{name} must be a whole number ≥ {MIN_K}, got {value!r}") from None
    if number != int(number) or number < MIN_K:
        raise PrivacyError(f"{name} must be a whole number ≥ {MIN_K}, got {value!r}")
    return int(number)


def store_k(store: Any) -> int:
    """The store's privacy_k (DEFAULT_K when never set)."""
    row = store.con.execute("SELECT value FROM _meta WHERE key = ?", [K_SETTING]).fetchone()
    return check_k(row[0]) if row else DEFAULT_K


def effective_k(store: Any, k: int | None = None) -> int:
    """The k of one request: the caller's (checked), else the store setting."""
    return check_k(k, "k") if k is not None else store_k(store)
