"""The dashboard's routes: sign-in, static files, and every registered page as HTML, as
JSON (the same path + ``.json``) and as CSV/XLSX exports of each of its tables and charts.

Who may see what: the API's Bearer header or the session cookie names a principal; a
shop's key sees its shop only (another shop in the URL is a 403 page, never its data).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from socialscope.api.errors import error_response
from socialscope.api.security import Principal, authenticate
from socialscope.server.state import ServerState
from socialscope.web import i18n
from socialscope.web.blocks import PageContext
from socialscope.web.export import EXPORTERS, export_rows
from socialscope.web.filters import COMPARES, PRESETS, FilterError, parse_filters
from socialscope.web.pages import PAGES, Page, load_pages
from socialscope.web.session import (
    CSRF_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    SessionStore,
    is_https,
    safe_next,
    same_origin,
    same_token,
)

STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def plotly_js() -> Path:
    """plotly.min.js from the installed plotly package (served locally: works offline)."""
    import plotly  # type: ignore[import-untyped]

    return Path(os.path.dirname(plotly.__file__)) / "package_data" / "plotly.min.js"


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(data, default=json_default, ensure_ascii=False)


def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("socialscope.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tojson_safe"] = lambda v: Markup(
        to_json(v).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    return env


def web_router(state: ServerState) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    sessions = SessionStore()
    env = templates()
    pages = load_pages()

    # -- helpers ---------------------------------------------------------------------------
    def principal_of(request: Request) -> Principal | None:
        header = request.headers.get("authorization")
        if header:
            try:
                return authenticate(state, header)
            except HTTPException:
                return None
        session = sessions.get(request.cookies.get(SESSION_COOKIE))
        return session.principal if session else None

    def lang_of(request: Request) -> str:
        return i18n.choose(
            request.query_params.get("lang"),
            request.cookies.get(LANG_COOKIE),
            request.headers.get("accept-language"),
        )

    def finish(request: Request, response: Response, lang: str | None = None) -> Response:
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        asked = request.query_params.get("lang")
        if lang and asked in i18n.LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
        return response

    def render(request: Request, name: str, status: int = 200, **data: Any) -> Response:
        lang = data.setdefault("lang", lang_of(request))
        data.setdefault("t", lambda key, **kw: i18n.t(lang, key, **kw))
        data.setdefault("languages", i18n.LANGUAGES)
        data.setdefault("request_path", request.url.path)
        data.setdefault(
            "hidden_pairs",
            [(k, v) for k, v in request.query_params.multi_items() if k != "lang"],
        )
        html = env.get_template(name).render(**data)
        return finish(request, HTMLResponse(html, status_code=status), lang)

    def shops_for(principal: Principal, ctx_shops: Mapping[str, Any]) -> list[str]:
        known = sorted(ctx_shops)
        if principal.shops is None:
            return known
        return [s for s in known if s in principal.shops] or sorted(principal.shops)

    def context(request: Request, page: Page, principal: Principal) -> PageContext:
        client = state.client()
        shops = client.shops()
        allowed = shops_for(principal, shops)
        query: dict[str, Any] = {}
        for key in request.query_params:
            values = request.query_params.getlist(key)
            query[key] = values if len(values) > 1 else values[0]
        asked = query.get("shop")
        if isinstance(asked, str) and asked and asked not in allowed:
            raise HTTPException(403, i18n.t(lang_of(request), "forbidden"))
        try:
            filters = parse_filters(query, shops, allowed, extra_keys=page.extra_keys)
        except FilterError as exc:
            raise HTTPException(400, str(exc)) from None
        currency = shops.get(filters.shop, {}).get("currency")
        return PageContext(client, filters, lang_of(request), currency, allowed)

    def page_data(ctx: PageContext, page: Page) -> dict[str, Any]:
        body = page.builder(ctx)
        return {
            "page": page.path.strip("/"),
            "title": ctx.t(page.title_key),
            "lang": ctx.lang,
            "filters": ctx.filters.to_dict(),
            "currency": ctx.currency,
            "shops": list(ctx.shops),
            **body,
        }

    # -- sign in / out ---------------------------------------------------------------------
    @router.get("/login")
    def login_form(request: Request, next: str | None = None, error: str | None = None) -> Response:
        token = request.cookies.get(CSRF_COOKIE) or os.urandom(18).hex()
        response = render(request, "login.html", csrf=token, next=safe_next(next), error=error)
        response.set_cookie(
            CSRF_COOKIE, token, httponly=True, samesite="strict", secure=is_https(request)
        )
        return response

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        token, key = str(form.get("csrf", "")), str(form.get("api_key", "")).strip()
        target = safe_next(str(form.get("next", "")) or None)
        if not same_origin(request) or not same_token(token, request.cookies.get(CSRF_COOKIE)):
            return render(
                request, "error.html", status=403, message=i18n.t(lang_of(request), "forbidden")
            )
        try:
            principal = authenticate(state, f"Bearer {key}")
        except HTTPException:
            query = urlencode({"next": target, "error": "1"})
            return finish(request, RedirectResponse(f"/login?{query}", status_code=303))
        sid, _ = sessions.create(principal)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            sid,
            httponly=True,
            samesite="strict",
            secure=is_https(request),
            max_age=int(sessions.ttl_s),
        )
        response.delete_cookie(CSRF_COOKIE)
        return finish(request, response)

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        form = await request.form()
        sid = request.cookies.get(SESSION_COOKIE)
        session = sessions.get(sid)
        if (
            session is not None
            and same_origin(request)
            and same_token(str(form.get("csrf", "")), session.csrf)
        ):
            sessions.drop(sid)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return finish(request, response)

    # -- static ----------------------------------------------------------------------------
    @router.get("/static/plotly.min.js")
    def plotly_file() -> Response:
        return FileResponse(
            plotly_js(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @router.get("/static/{name}")
    def static(name: str) -> Response:
        path = (STATIC / name).resolve()
        if path.parent != STATIC.resolve() or not path.is_file():
            raise HTTPException(404, "not found")
        kind = {"js": "text/javascript", "css": "text/css", "svg": "image/svg+xml"}
        return FileResponse(path, media_type=kind.get(path.suffix[1:], "application/octet-stream"))

    @router.get("/favicon.ico")
    def favicon() -> Response:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @router.get("/")
    def home(request: Request) -> Response:
        query = request.url.query
        return RedirectResponse("/overview" + (f"?{query}" if query else ""), status_code=307)

    # -- pages -----------------------------------------------------------------------------
    def add_page(page: Page) -> None:
        @router.get(page.path, name=f"page:{page.path}")
        def html(request: Request) -> Response:
            principal = principal_of(request)
            if principal is None:
                target = quote(
                    str(request.url.path) + ("?" + request.url.query if request.url.query else "")
                )
                return RedirectResponse(f"/login?next={target}", status_code=303)
            try:
                ctx = context(request, page, principal)
            except HTTPException as exc:
                return render(
                    request, "error.html", status=exc.status_code, message=str(exc.detail)
                )
            data = page_data(ctx, page)
            session = sessions.get(request.cookies.get(SESSION_COOKIE))
            return render(
                request,
                page.template,
                lang=ctx.lang,
                data=data,
                ctx=ctx,
                pages=PAGES,
                presets=PRESETS,
                compares=COMPARES,
                channels=i18n.channel_choices(ctx.lang),
                csrf=session.csrf if session else "",
                i18n=i18n,
            )

        @router.get(page.path + ".json", name=f"json:{page.path}")
        def twin(request: Request) -> Response:
            principal = principal_of(request)
            if principal is None:
                return error_response(401, "sign in or send Authorization: Bearer KEY")
            try:
                ctx = context(request, page, principal)
            except HTTPException as exc:
                return error_response(exc.status_code, str(exc.detail))
            return finish(
                request,
                Response(to_json(page_data(ctx, page)), media_type="application/json"),
            )

        @router.get(page.path + "/export/{block_id}.{fmt}", name=f"export:{page.path}")
        def export(request: Request, block_id: str, fmt: str) -> Response:
            principal = principal_of(request)
            if principal is None:
                return error_response(401, "sign in or send Authorization: Bearer KEY")
            if fmt not in EXPORTERS:
                return error_response(404, f"unknown export format {fmt!r}; use csv or xlsx")
            try:
                ctx = context(request, page, principal)
            except HTTPException as exc:
                return error_response(exc.status_code, str(exc.detail))
            data = page_data(ctx, page)
            block = _find_block(data, block_id)
            if block is None:
                return error_response(404, f"no table or chart {block_id!r} on this page")
            body, media = export_rows(fmt, block["columns"], block["rows"], ctx.lang)
            f = ctx.filters
            name = f"{page.path.strip('/')}-{block_id}-{f.date_from}-{f.date_to}.{fmt}"
            return finish(
                request,
                Response(
                    body,
                    media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'},
                ),
            )

    for page in pages.values():
        add_page(page)

    # -- the digest of what is on screen (socialscope report) ------------------------------
    @router.get("/digest.{fmt}", name="digest")
    def digest(request: Request, fmt: str) -> Response:
        """The shop's digest for the dashboard's period, in the dashboard's language."""
        from socialscope.reports.deliver import CONTENT_TYPES
        from socialscope.reports.digest import build_report, report_period
        from socialscope.reports.render import RenderError

        principal = principal_of(request)
        if principal is None:
            return error_response(401, "sign in or send Authorization: Bearer KEY")
        if fmt not in CONTENT_TYPES:
            return error_response(404, f"unknown digest format {fmt!r}; use html or pdf")
        client = state.client()
        allowed = shops_for(principal, client.shops())
        shop = request.query_params.get("shop") or (allowed[0] if allowed else "")
        if shop not in allowed:
            return error_response(403, i18n.t(lang_of(request), "forbidden"))
        try:
            days = [
                date.fromisoformat(v) if v else None
                for v in (request.query_params.get("from"), request.query_params.get("to"))
            ]
            period = report_period(client, shop, None if days[0] else "last-week", days[0], days[1])
            doc, _ = build_report(client, shop, period, fmt, lang_of(request))
        except ValueError as exc:
            return error_response(400, str(exc))
        except RenderError as exc:
            return error_response(500, str(exc))
        disposition = "inline" if fmt == "html" else "attachment"
        return finish(
            request,
            Response(
                doc.body,
                media_type=CONTENT_TYPES[fmt],
                headers={"Content-Disposition": f'{disposition}; filename="{doc.filename}"'},
            ),
        )

    return router


def _find_block(data: Mapping[str, Any], block_id: str) -> dict[str, Any] | None:
    blocks = list(data.get("blocks", []))
    for tab in data.get("tabs", []):
        blocks.extend(tab.get("blocks", []))
    for block in blocks:
        if block.get("id") == block_id and "columns" in block:
            columns = [c["id"] if isinstance(c, dict) else c for c in block["columns"]]
            return {"columns": columns, "rows": block["rows"]}
    return None
