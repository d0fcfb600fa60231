"""`socialscope query` and `socialscope metrics list|show`."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from socialscope.cli.main import app, open_client, server_owner
from socialscope.cli.render import Format, emit
from socialscope.metrics.facts import COMMON_DIMENSIONS
from socialscope.metrics.query import QueryError
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import MetricSpec, Ratio

metrics_app = typer.Typer(help="The metric registry: what can be asked and how it is defined.")
app.add_typer(metrics_app, name="metrics")


def parse_pairs(items: list[str], what: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"{what} must look like NAME=VALUE, got {item!r}")
        out.setdefault(name.strip(), []).extend(v.strip() for v in value.split(","))
    return out


@app.command()
def query(
    ctx: typer.Context,
    metrics: Annotated[str, typer.Argument(help="METRIC[,METRIC...] (see `metrics list`).")],
    by: Annotated[
        str | None, typer.Option("--by", help="DIM[,DIM...]; date/hour/week/month are shop-local.")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="First local date, YYYY-MM-DD.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last local date (inclusive).")
    ] = None,
    shop: Annotated[
        str | None, typer.Option("--shop", help="Shop id (needed when the store holds several).")
    ] = None,
    where: Annotated[
        list[str] | None, typer.Option("--where", help="DIM=VALUE[,VALUE]; repeatable.")
    ] = None,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            help="previous | yoy | yesterday (today vs yesterday, cumulative by local "
            "hour; --to names today, default the shop's current date)",
        ),
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="NAME=VALUE; repeatable.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    sparse: Annotated[
        bool,
        typer.Option("--sparse", help="Leave out empty time buckets (default: every bucket)."),
    ] = False,
) -> None:
    """Metric values by dimensions over a local date range, optionally compared."""
    server = server_owner(ctx)
    if server is not None:
        _remote_query(
            server, metrics, by, date_from, date_to, shop, where, compare, param, sparse, fmt
        )
        return
    try:
        params: dict[str, Any] = {
            k: ",".join(v) for k, v in parse_pairs(param or [], "--param").items()
        }
        with open_client(ctx, read_only=False) as client:
            result = client.query(
                metrics,
                by=by,
                date_from=date_from,
                date_to=date_to,
                shop=shop,
                where=parse_pairs(where or [], "--where"),
                compare=compare,
                params=params,
                dense=not sparse,
            )
    except QueryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    title = None
    if fmt is Format.TABLE:
        title = f"{result.date_from} – {result.date_to}"
        if result.previous_from:
            title += f" vs {result.previous_from} – {result.previous_to}"
    emit(result.rows, result.columns, fmt, title=title)


def _remote_query(
    server: Any,
    metrics: str,
    by: str | None,
    date_from: str | None,
    date_to: str | None,
    shop: str | None,
    where: list[str] | None,
    compare: str | None,
    param: list[str] | None,
    sparse: bool,
    fmt: Format,
) -> None:
    """The same query through the server that owns the store (same JSON rows)."""
    from socialscope.server import remote

    params: dict[str, Any] = {"metrics": metrics, "sparse": sparse}
    for name, value in (("by", by), ("from", date_from), ("to", date_to), ("shop", shop)):
        if value is not None:
            params[name] = value
    if compare:
        params["compare"] = compare
    params["where"] = list(where or [])
    params["param"] = list(param or [])
    rows = remote.query(server, params)
    if fmt is Format.JSON:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    emit(rows, list(rows[0]) if rows else [], fmt)


def spec_record(spec: MetricSpec) -> dict[str, Any]:
    """A metric spec as plain data (CLI json, HTTP, docs)."""
    record: dict[str, Any] = {
        "id": spec.id,
        "label": spec.label,
        "unit": spec.unit.value,
        "dimensions": list(REGISTRY.all_dimensions(spec)),
        "section": spec.section,
        "description": spec.description,
        "better": spec.better.value,
        "chart": spec.chart.value,
        "kind": type(spec.agg).__name__.lower(),
        "params": [{"name": p.name, "default": p.default, "doc": p.doc} for p in spec.params],
    }
    if isinstance(spec.agg, Ratio):
        record["numerator"], record["denominator"] = spec.agg.numerator, spec.agg.denominator
    else:
        record["fact"] = spec.fact
    return record


@metrics_app.command("list")
def metrics_list(
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
) -> None:
    """Every registered metric."""
    records = [spec_record(s) for s in REGISTRY]
    if fmt is Format.TABLE:
        rows = [
            {
                **r,
                "section": r["section"].split(".")[0],
                "dimensions": ", ".join(d for d in r["dimensions"] if d not in COMMON_DIMENSIONS),
            }
            for r in records
        ]
        emit(rows, ["id", "label", "unit", "section", "dimensions"], fmt)
    else:
        columns = list(dict.fromkeys(k for r in records for k in r))
        emit(records, columns, fmt)


@metrics_app.command("show")
def metrics_show(metric_id: Annotated[str, typer.Argument(help="A metric id.")]) -> None:
    """One metric's definition, dimensions and unit."""
    if metric_id not in REGISTRY:
        typer.echo(
            f"error: unknown metric {metric_id!r}; valid metrics: {', '.join(REGISTRY.ids())}",
            err=True,
        )
        raise typer.Exit(2)
    r = spec_record(REGISTRY.get(metric_id))
    lines = [
        f"{r['id']} — {r['label']}",
        "",
        r["description"],
        "",
        f"unit:        {r['unit']}",
        f"section:     METRICS.md {r['section']}",
        f"dimensions:  {', '.join(r['dimensions'])}",
        f"better:      {r['better']}",
        f"kind:        {r['kind']}"
        + (
            f" ({r['numerator']} / {r['denominator']})"
            if "numerator" in r
            else f" over {r['fact']}"
        ),
    ]
    for p in r["params"]:
        lines.append(f"param:       {p['name']} (default {p['default']}): {p['doc']}")
    sys.stdout.write("\n".join(lines) + "\n")
