"""POSTs to user-configured URLs (alert and report webhooks) without leaking the URL.

httpx.Client logs every request's full URL at INFO, credentials and query tokens
included; these helpers send through a transport directly. Userinfo in the URL becomes
Basic auth; redirects are not followed (a 3xx is a failed attempt).
"""

from __future__ import annotations

import base64
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx


def post(
    transport: httpx.BaseTransport,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout_s: float,
) -> int:
    """Send one POST and return its status code (network errors raise httpx.HTTPError)."""
    parts = urlsplit(url)
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        headers = {**headers, "Authorization": "Basic " + base64.b64encode(pair).decode()}
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    clean = urlunsplit((parts.scheme, host, parts.path or "/", parts.query, ""))
    t = timeout_s
    request = httpx.Request(
        "POST",
        clean,
        content=body,
        headers=headers,
        extensions={"timeout": {"connect": t, "read": t, "write": t, "pool": t}},
    )
    response = transport.handle_request(request)
    try:
        response.read()
    finally:
        response.close()
    return response.status_code


def shown(url: str) -> str:
    """The URL as it may appear in logs and errors: no credentials, query or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
