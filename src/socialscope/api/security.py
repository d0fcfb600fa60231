"""Bearer keys and tenant scoping.

``Authorization: Bearer KEY`` names a :class:`Principal`:

* ``config.admin_key`` and the server's local token (written beside the store for the
  local CLI) → admin: every shop;
* each shop's ``api_key`` → that shop only.

The presented key is compared with :func:`hmac.compare_digest` against *every* configured
key, without stopping at a match, so the time taken does not tell which key (or which
prefix) matched. Keys are never logged, echoed or put in an error.

A shop key reads its own shop: :func:`scope_shop` fills in the shop when none is asked
and refuses another one with 403 naming only the caller's own shop (never confirming that
the other exists); :func:`check_filters` refuses a ``shop_id`` filter outside the key's
shops; :func:`check_rows` refuses an ingest body holding a row of another shop.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from socialscope.server.state import ServerState

log = logging.getLogger("socialscope.api")

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}
SHOP_COLUMN = "shop_id"

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="BearerKey",
    description="An API key: the admin key, the local token, or a shop's api_key.",
)


@dataclass(frozen=True)
class Principal:
    """Who is calling: ``shops`` None means every shop (admin); ``name`` is for logs."""

    shops: frozenset[str] | None
    name: str

    @property
    def is_admin(self) -> bool:
        return self.shops is None

    def may_read(self, shop: str) -> bool:
        return self.shops is None or shop in self.shops

    def own_shops(self) -> str:
        """The key's shops, for messages (only ever shown to the key's holder)."""
        return ", ".join(sorted(self.shops or ()))


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status_code=401, detail=message, headers=BEARER_CHALLENGE)


def _key_bytes(secret: Any) -> bytes | None:
    value = secret.get_secret_value() if hasattr(secret, "get_secret_value") else secret
    if not isinstance(value, str) or not value:
        return None
    return value.encode("utf-8")


def key_table(state: ServerState) -> list[tuple[bytes, Principal]]:
    """Every accepted key with the principal it names (empty keys are never accepted)."""
    table: list[tuple[bytes, Principal]] = []
    admin = _key_bytes(state.config.admin_key)
    if admin is not None:
        table.append((admin, Principal(None, "admin")))
    local = _key_bytes(state.local_token)
    if local is not None:
        table.append((local, Principal(None, "local")))
    for shop in state.config.shops:
        key = _key_bytes(shop.api_key)
        if key is not None:
            table.append((key, Principal(frozenset({shop.shop_id}), f"shop:{shop.shop_id}")))
    return table


def _merge(found: Sequence[Principal]) -> Principal | None:
    """The principal of a key; a key configured more than once gets the union of rights."""
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    if any(p.shops is None for p in found):
        return next(p for p in found if p.shops is None)
    shops = frozenset().union(*(p.shops or frozenset() for p in found))
    return Principal(shops, "shops:" + ",".join(sorted(shops)))


def authenticate(state: ServerState, authorization: str | None) -> Principal:
    """The principal of an ``Authorization`` header value; raises 401."""
    if not authorization:
        raise _unauthorized("missing Authorization header: send 'Authorization: Bearer KEY'")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("malformed Authorization header: expected 'Bearer KEY'")
    # Starlette decodes header bytes as latin-1: encode back to the bytes that were sent.
    try:
        given = token.encode("latin-1")
    except UnicodeEncodeError:
        given = token.encode("utf-8", "replace")
    found: list[Principal] = []
    for key, principal in key_table(state):
        if hmac.compare_digest(key, given):  # every key is compared: no early exit
            found.append(principal)
    merged = _merge(found)
    if merged is None:
        log.info("refused a request with an unknown API key")
        raise _unauthorized("unknown API key")
    return merged


def get_state(request: Request) -> ServerState:
    """The server state the app was created with."""
    state = request.app.state.socialscope
    assert isinstance(state, ServerState)
    return state


def require_principal(
    request: Request,
    state: Annotated[ServerState, Depends(get_state)],
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
) -> Principal:
    """The calling principal (dependency of every /api route); 401 without a valid key."""
    principal = authenticate(state, request.headers.get("authorization"))
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]


def forbidden(principal: Principal) -> HTTPException:
    if principal.shops and len(principal.shops) == 1:
        return HTTPException(403, f"this key may only read shop {principal.own_shops()}")
    return HTTPException(403, f"this key may only read shops {principal.own_shops()}")


def scope_shop(principal: Principal, requested: str | None) -> str | None:
    """The shop a request reads: a shop key's own shop when none is asked; 403 for another.

    Admin: the requested shop as given (None: the metric layer's own rule applies).
    """
    if principal.shops is None:
        return requested
    if requested is None:
        if len(principal.shops) == 1:
            return next(iter(principal.shops))
        raise HTTPException(
            400, f"this key reads several shops ({principal.own_shops()}): pass shop"
        )
    if requested not in principal.shops:
        raise forbidden(principal)
    return requested


def check_filters(principal: Principal, where: Mapping[str, Iterable[str]]) -> None:
    """403 when a ``shop_id`` filter names a shop outside the key's shops."""
    if principal.shops is None:
        return
    for name, values in where.items():
        if name.strip().lower() != SHOP_COLUMN:
            continue
        if any(v not in principal.shops for v in values):
            raise forbidden(principal)


def row_shop(value: Any) -> str | None:
    """A row's ``shop_id`` as the importer will read it (None: missing, quarantined).

    The importer reads every JSON value as text, trims spaces at both ends and treats
    an empty string as missing.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        text = value.strip(" ") if value.startswith(" ") or value.endswith(" ") else value
        return text or None
    return "\x00not a shop id"  # floats, lists, objects: never a configured shop


def check_rows(principal: Principal, rows: Iterable[Mapping[str, Any]]) -> None:
    """403 for the whole body when any row's shop_id is another shop than the key's.

    A row without shop_id is allowed through: the importer quarantines it (required
    column), so it stores nothing. Column names are matched case-insensitively, as
    DuckDB resolves them.
    """
    if principal.shops is None:
        return
    for row in rows:
        for key, value in row.items():
            if key.strip().lower() != SHOP_COLUMN:
                continue
            shop = row_shop(value)
            if shop is not None and shop not in principal.shops:
                raise HTTPException(
                    403,
                    f"this key may only write shop {principal.own_shops()}; nothing was imported",
                )
