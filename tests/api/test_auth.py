"""Bearer keys and tenant isolation: a shop key reads and writes its own shop only."""

from __future__ import annotations

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from socialscope.api.security import Principal, check_filters, check_rows, scope_shop
from socialscope.server.state import ServerState
from tests.api.conftest import (
    ADMIN,
    KEY_A,
    LOCAL_TOKEN,
    SHOP_A,
    SHOP_B,
    A,
    B,
    bearer,
    error_of,
)

METRICS = "conversations,three_minute_good_conversations,inbound_messages"
ROUTES = ("/api/v1/metrics", "/api/v1/query?metrics=conversations", "/api/v1/conversations")


@pytest.mark.parametrize("path", ROUTES)
def test_no_key_is_401_with_challenge(http: TestClient, path: str) -> None:
    r = http.get(path)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert "Authorization" in error_of(r)


@pytest.mark.parametrize(
    "header",
    [
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        KEY_A,  # no scheme
        "Token " + KEY_A,
    ],
)
def test_malformed_header_is_401(http: TestClient, header: str) -> None:
    r = http.get("/api/v1/metrics", headers={"Authorization": header})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert "malformed" in error_of(r) or "missing" in error_of(r)


@pytest.mark.parametrize(
    "key", ["wrong", KEY_A + "x", KEY_A[:-1], KEY_A.upper(), "é-key", "\u2603", KEY_A + "\u00ff"]
)
def test_unknown_key_is_401(http: TestClient, key: str) -> None:
    header = ("Bearer " + key).encode("utf-8")  # non-ASCII keys go as raw UTF-8 bytes
    r = http.get("/api/v1/metrics", headers={"Authorization": header})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert error_of(r) == "unknown API key"


def test_every_configured_key_is_accepted(http: TestClient) -> None:
    for headers in (ADMIN, A, B, bearer(LOCAL_TOKEN)):
        assert http.get("/api/v1/metrics", headers=headers).status_code == 200
    # the scheme is case-insensitive
    r = http.get("/api/v1/metrics", headers={"Authorization": "bearer " + KEY_A})
    assert r.status_code == 200


def _query(http: TestClient, headers: dict[str, str], **params: object) -> list[dict[str, object]]:
    r = http.get("/api/v1/query", params={"metrics": METRICS, **params}, headers=headers)
    assert r.status_code == 200, r.text
    rows: list[dict[str, object]] = r.json()
    return rows


def test_shop_key_reads_its_own_shop_by_default(http: TestClient) -> None:
    own = _query(http, A, by="date")
    admin = _query(http, ADMIN, shop=SHOP_A, by="date")
    assert own == admin
    assert sum(int(r["conversations"] or 0) for r in own) > 0  # type: ignore[call-overload]
    other = _query(http, ADMIN, shop=SHOP_B, by="date")
    assert other != admin
    # naming its own shop is fine too, in shop= and in where
    assert _query(http, A, shop=SHOP_A, by="date") == own
    assert _query(http, A, where=f"shop_id={SHOP_A}", by="date") == own
    assert _query(http, B, by="date") == other
    # by shop_id, a shop key still sees only its shop
    rows = _query(http, A, by="shop_id")
    assert {r["shop_id"] for r in rows} == {SHOP_A}


@pytest.mark.parametrize("path", ["/api/v1/query", "/api/v1/conversations", "/api/v1/orders"])
def test_shop_key_asking_another_shop_is_403(http: TestClient, path: str) -> None:
    params = {"metrics": METRICS} if path.endswith("query") else {}
    r = http.get(path, params={**params, "shop": SHOP_B}, headers=A)
    assert r.status_code == 403
    message = error_of(r)
    assert message == f"this key may only read shop {SHOP_A}"
    assert SHOP_B not in message
    # a shop that does not exist gets the very same answer: nothing is confirmed
    r2 = http.get(path, params={**params, "shop": "no_such_shop"}, headers=A)
    assert r2.status_code == 403 and error_of(r2) == message


@pytest.mark.parametrize("path", ["/api/v1/query", "/api/v1/conversations", "/api/v1/orders"])
@pytest.mark.parametrize(
    "where", [f"shop_id={SHOP_B}", f"shop_id={SHOP_A},{SHOP_B}", "shop_id=", "shop_id=ghost"]
)
def test_shop_key_filtering_another_shop_is_403(http: TestClient, path: str, where: str) -> None:
    params = {"metrics": METRICS, "by": "shop_id"} if path.endswith("query") else {}
    r = http.get(path, params={**params, "where": where}, headers=A)
    assert r.status_code == 403
    assert SHOP_B not in error_of(r)


def test_admin_reads_every_shop(http: TestClient) -> None:
    rows = _query(http, ADMIN, by="shop_id")
    assert {r["shop_id"] for r in rows} >= {SHOP_A, SHOP_B, "warsaw_shop"}
    both = _query(http, ADMIN, where=f"shop_id={SHOP_A},{SHOP_B}", by="shop_id")
    assert {r["shop_id"] for r in both} == {SHOP_A, SHOP_B}
    r = http.get("/api/v1/conversations", params={"shop": SHOP_B}, headers=ADMIN)
    assert r.status_code == 200 and r.json()
    assert {row["shop_id"] for row in r.json()} == {SHOP_B}
    # the local token is an admin key too
    assert _query(http, bearer(LOCAL_TOKEN), by="shop_id") == rows


def test_drilldowns_are_scoped(http: TestClient) -> None:
    own = http.get("/api/v1/conversations", headers=A).json()
    assert own and {r["shop_id"] for r in own} == {SHOP_A}
    admin = http.get("/api/v1/conversations", params={"shop": SHOP_A}, headers=ADMIN).json()
    assert own == admin
    orders = http.get("/api/v1/orders", headers=B).json()
    assert all(r["shop_id"] == SHOP_B for r in orders)


def test_admin_without_shop_on_a_multi_shop_store_is_400(http: TestClient) -> None:
    r = http.get("/api/v1/query", params={"metrics": METRICS}, headers=ADMIN)
    assert r.status_code == 400
    assert "several shops" in error_of(r)


def test_shop_key_whose_shop_has_no_data_does_not_learn_other_shops(
    state: ServerState, http: TestClient
) -> None:
    """A configured shop that is not in the store yet: the message names only that shop
    (the metric layer's own message lists every shop of the store)."""
    from socialscope.config import parse_config

    state.config = parse_config(
        {"shops": [{"shop_id": "fresh_shop", "api_key": "fresh-SECRET-key-0123"}]}
    )
    r = http.get(
        "/api/v1/query",
        params={"metrics": METRICS},
        headers=bearer("fresh-SECRET-key-0123"),
    )
    assert r.status_code == 400
    message = error_of(r)
    assert "fresh_shop" in message
    assert SHOP_A not in message and SHOP_B not in message and "conv_shop" not in message


def test_ingest_rows_of_another_shop_is_403_and_stores_nothing(http: TestClient) -> None:
    before = http.get("/api/v1/conversations", params={"shop": SHOP_B}, headers=ADMIN).json()
    rows = [
        _message(SHOP_A, "api-own-1"),
        _message(SHOP_B, "api-intruder-1"),
    ]
    r = http.post("/api/v1/ingest/messages", json=rows, headers=A)
    assert r.status_code == 403
    assert SHOP_B not in error_of(r)
    # nothing of the request was stored, not even the row of its own shop
    for shop, event in ((SHOP_A, "api-own-1"), (SHOP_B, "api-intruder-1")):
        convs = http.get(
            "/api/v1/conversations",
            params={"shop": shop, "where": f"conversation_id=conv-{event}"},
            headers=ADMIN,
        ).json()
        assert convs == []
    after = http.get("/api/v1/conversations", params={"shop": SHOP_B}, headers=ADMIN).json()
    assert after == before


@pytest.mark.parametrize(
    "row_shop",
    [
        {"shop_id": f"  {SHOP_B} "},  # trimmed by the importer: still shop B
        {"SHOP_ID": SHOP_B},  # DuckDB resolves column names case-insensitively
        {"shop_id": SHOP_A, "Shop_Id": SHOP_B},
        {"shop_id": 12},
        {"shop_id": ["x"]},
    ],
)
def test_ingest_shop_id_variants_of_another_shop_are_403(
    http: TestClient, row_shop: dict[str, object]
) -> None:
    row = {k: v for k, v in _message(SHOP_A, "variant-1").items() if k != "shop_id"}
    r = http.post("/api/v1/ingest/messages", json=[{**row, **row_shop}], headers=A)
    assert r.status_code == 403


def test_ingest_repeated_key_is_checked_as_stored(http: TestClient) -> None:
    """A repeated JSON key: the last value is both the one checked and the one stored."""
    row = _message(SHOP_A, "dup-key-1")
    body = (
        '[{"shop_id": "'
        + SHOP_B
        + '", '
        + ", ".join(f'"{k}": "{v}"' for k, v in row.items())
        + "}]"
    )  # shop_id B first, then A (from `row`): the object is shop A's
    r = http.post(
        "/api/v1/ingest/messages",
        content=body,
        headers={**A, "Content-Type": "application/json"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["tables"]["messages"]["stored"] == 1
    convs = http.get(
        "/api/v1/conversations",
        params={"shop": SHOP_B, "where": "conversation_id=conv-dup-key-1"},
        headers=ADMIN,
    ).json()
    assert convs == []


def test_admin_may_ingest_any_shop(http: TestClient) -> None:
    rows = [_message(SHOP_A, "adm-1"), _message(SHOP_B, "adm-2")]
    r = http.post("/api/v1/ingest/messages", json=rows, headers=ADMIN)
    assert r.status_code == 200, r.text
    assert r.json()["tables"]["messages"]["stored"] == 2


def _message(shop: str, event: str) -> dict[str, str]:
    return {
        "shop_id": shop,
        "event_id": event,
        "channel": "line",
        "conversation_id": f"conv-{event}",
        "customer_id": "U-api",
        "ts": "2026-05-04T10:00:00+08:00",
        "sender": "customer",
        "kind": "message",
        "text": "hello",
    }


# -- the helpers on their own ------------------------------------------------------------
def test_scope_helpers() -> None:
    admin = Principal(None, "admin")
    shop = Principal(frozenset({"a"}), "shop:a")
    two = Principal(frozenset({"a", "b"}), "shops:a,b")
    assert scope_shop(admin, None) is None
    assert scope_shop(admin, "z") == "z"
    assert scope_shop(shop, None) == "a"
    assert scope_shop(shop, "a") == "a"
    with pytest.raises(HTTPException) as exc:
        scope_shop(shop, "b")
    assert exc.value.status_code == 403 and exc.value.detail == "this key may only read shop a"
    with pytest.raises(HTTPException) as exc:
        scope_shop(two, None)
    assert exc.value.status_code == 400
    assert scope_shop(two, "b") == "b"
    check_filters(shop, {"shop_id": ["a"], "channel": ["line"]})
    check_filters(admin, {"shop_id": ["z"]})
    with pytest.raises(HTTPException):
        check_filters(shop, {"shop_id": ["a", "b"]})
    check_rows(shop, [{"shop_id": "a"}, {"shop_id": " a "}, {"shop_id": None}, {"x": 1}])
    check_rows(admin, [{"shop_id": "z"}])
    with pytest.raises(HTTPException):
        check_rows(shop, [{"shop_id": "a"}, {"shop_id": "b"}])


def test_key_configured_twice_gets_the_union(state: ServerState) -> None:
    from socialscope.api.security import authenticate
    from socialscope.config import parse_config

    state.config = parse_config(
        {
            "shops": [
                {"shop_id": "x", "api_key": "same-SECRET-key"},
                {"shop_id": "y", "api_key": "same-SECRET-key"},
            ]
        }
    )
    p = authenticate(state, "Bearer same-SECRET-key")
    assert p.shops == frozenset({"x", "y"})
    assert authenticate(state, f"Bearer {LOCAL_TOKEN}").shops is None
    with pytest.raises(HTTPException) as exc:
        authenticate(state, "Bearer " + KEY_A)  # no longer configured
    assert exc.value.status_code == 401
