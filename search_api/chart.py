"""A figure's history drawn as a small inline SVG line chart: no script, every text escaped, values as text.

The chart is a picture of what the page also lists as text; its <title> and <desc> say the same
for screen readers, so the drawing itself is never the only place a value is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from indexer.reading.dates import format_date
from search_api.history import HistoryPoint

# A fixed drawing area, scaled by the browser to the width available (viewBox, no fixed size).
WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 28, 48
# Points stand this far in from the ends of the x axis, so a date written under the first or last fits.
INSET = 56


def unit(kind: str) -> str:
    """What the figures are measured in, for the axis label: "per cent", "£" or the noun counted."""
    if kind == "%":
        return "per cent"
    if kind == "£":
        return "pounds (£)"
    return f"{kind}s"


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def describe(points: Sequence[HistoryPoint]) -> str:
    """The values in date order as one sentence: "4.15% on 20 May 2019; 3.2% on 17 November 2022."."""
    return "; ".join(f"{p.shown} on {format_date(p.date or '')}" for p in points) + "."


def svg_chart(points: Sequence[HistoryPoint], title: str, chart_id: str) -> str:
    """An SVG line chart of dated points (oldest first), x by meeting date and y from zero, labelled as text."""
    dated = [p for p in points if p.date]
    days = [dt.date.fromisoformat(p.date or "").toordinal() for p in dated]
    first, last = (min(days), max(days)) if days else (0, 0)
    top = max((p.value for p in dated), default=0.0) * 1.15 or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: int) -> float:
        # One point (or one date) stands in the middle; more spread by time between meetings.
        span = plot_w - 2 * INSET
        return LEFT + (plot_w / 2 if last == first else INSET + (day - first) / (last - first) * span)

    def y(value: float) -> float:
        return TOP + plot_h - value / top * plot_h

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    kind = dated[0].kind if dated else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="history-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'style="width: 100%; max-width: 36rem; height: auto" '
        f'role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(describe(dated))}</desc>',
        # Axes: y from zero (so a fall is not exaggerated), x along the meeting dates.
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="currentColor"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        'stroke="currentColor"/>',
        f'<text class="axis-label" x="{LEFT - 8}" y="{TOP + plot_h}" text-anchor="end" font-size="12" '
        'fill="currentColor">0</text>',
        f'<text class="axis-label" x="{LEFT - 8}" y="{TOP + 4}" text-anchor="end" font-size="12" '
        f'fill="currentColor">{escape(_number(top))}</text>',
        f'<text class="axis-label" x="14" y="{TOP + plot_h / 2:.1f}" font-size="12" fill="currentColor" '
        f'text-anchor="middle" transform="rotate(-90 14 {TOP + plot_h / 2:.1f})">{escape(unit(kind))}</text>',
        f'<text class="axis-label" x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 6}" font-size="12" '
        'fill="currentColor" text-anchor="middle">meeting date</text>',
    ]
    coords = [(x(d), y(p.value)) for d, p in zip(days, dated, strict=True)]
    if len(coords) > 1:
        line = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        parts.append(f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="2"/>')
    for (cx, cy), p in zip(coords, dated, strict=True):
        parts += [
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="currentColor"/>',
            f'<text class="value" x="{cx:.1f}" y="{cy - 9:.1f}" font-size="13" text-anchor="middle" '
            f'fill="currentColor">{escape(p.shown)}</text>',
            f'<text class="date" x="{cx:.1f}" y="{TOP + plot_h + 18}" font-size="12" text-anchor="middle" '
            f'fill="currentColor">{escape(format_date(p.date or ""))}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)
