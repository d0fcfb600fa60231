"""Small inline SVG charts for the digest.

WeasyPrint renders SVG but runs no JavaScript, so the dashboard's Plotly charts cannot be
printed; a digest needs only a day-by-day line, drawn here as plain SVG markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

WIDTH = 520
HEIGHT = 120
PAD_X = 8
PAD_Y = 12


def _number(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        return float(value)
    raise TypeError(f"not a number: {value!r}")


def sparkline(
    values: Sequence[object],
    labels: Sequence[str],
    *,
    title: str,
    color: str = "#2563eb",
) -> str:
    """A line over the period's days with its first and last day and the peak marked.

    Missing values break the line instead of being drawn as zero."""
    points = [_number(v) for v in values]
    known = [p for p in points if p is not None]
    top = max(known) if known else 0.0
    top = top if top > 0 else 1.0
    n = len(points)
    step = (WIDTH - 2 * PAD_X) / max(n - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = PAD_X + i * step if n > 1 else WIDTH / 2
        y = HEIGHT - PAD_Y - (v / top) * (HEIGHT - 2 * PAD_Y)
        return round(x, 1), round(y, 1)

    runs: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(points):
        if v is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(xy(i, v))
    paths = []
    for run in runs:
        if len(run) == 1:
            x, y = run[0]
            paths.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{color}"/>')
        elif run:
            d = " ".join(f"{x},{y}" for x, y in run)
            paths.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2"/>')
    peak = ""
    if known and max(known) > 0:
        i = points.index(max(known))
        x, y = xy(i, max(known))
        peak = f'<circle cx="{x}" cy="{y}" r="3" fill="{color}"/>'
    first = escape(labels[0]) if labels else ""
    last = escape(labels[-1]) if labels else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 16}" '
        f'width="100%" role="img" aria-label="{escape(title)}">'
        f'<line x1="{PAD_X}" y1="{HEIGHT - PAD_Y}" x2="{WIDTH - PAD_X}" y2="{HEIGHT - PAD_Y}" '
        'stroke="#d1d5db" stroke-width="1"/>'
        f"{''.join(paths)}{peak}"
        f'<text x="{PAD_X}" y="{HEIGHT + 12}" font-size="10" fill="#6b7280">{first}</text>'
        f'<text x="{WIDTH - PAD_X}" y="{HEIGHT + 12}" font-size="10" fill="#6b7280" '
        f'text-anchor="end">{last}</text></svg>'
    )
