"""Dashboard sign-in: an API key typed once, then a session cookie.

Sessions live in server memory (a restart signs everyone out): a random id in an
``HttpOnly``, ``SameSite=Strict`` cookie (``Secure`` over HTTPS) maps to the principal the
key named. The key itself is never stored. Forms are CSRF-safe: the sign-in form uses a
double-submit token (cookie + hidden field), signed-in forms the session's own token, and
both also require a same-origin ``Origin``/``Referer`` when the browser sends one.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fastapi import Request

from socialscope.api.security import Principal

SESSION_COOKIE = "ss_session"
CSRF_COOKIE = "ss_csrf"
LANG_COOKIE = "ss_lang"
SESSION_TTL_S = 12 * 3600


@dataclass
class Session:
    principal: Principal
    csrf: str
    expires: float


@dataclass
class SessionStore:
    """Sessions by id; expired ones are dropped when met."""

    ttl_s: float = SESSION_TTL_S
    _sessions: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, principal: Principal) -> tuple[str, Session]:
        sid = secrets.token_urlsafe(32)
        session = Session(principal, secrets.token_urlsafe(24), time.time() + self.ttl_s)
        with self._lock:
            self._sessions[sid] = session
        return sid, session

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            session = self._sessions.get(sid)
            if session is None:
                return None
            if session.expires < time.time():
                del self._sessions[sid]
                return None
            return session

    def drop(self, sid: str | None) -> None:
        if sid:
            with self._lock:
                self._sessions.pop(sid, None)


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


def same_origin(request: Request) -> bool:
    """True unless the browser says the form came from another origin."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin is None
    parts = urlsplit(origin)
    return parts.netloc == request.headers.get("host", request.url.netloc)


def safe_next(target: str | None) -> str:
    """A local path to go back to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/overview"
    return target


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"
