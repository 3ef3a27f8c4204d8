"""Small server-rendered SVG charts: no JavaScript, no network. Each page shows the same figures
in a table beside the chart, so the chart is decoration for sighted users (aria-hidden is not
used: the SVG has a title and description for screen readers that reach it)."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 48, 40, 16
BAR_COLOUR = "#1d70b8"  # GOV.UK blue
LINE_COLOUR = "#00703c"  # GOV.UK green
TEXT = 'font-family="Arial, sans-serif" font-size="12" fill="#0b0c0c"'


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None


def _frame(chart_id: str, title: str, description: str, body: str) -> SafeString:
    return mark_safe(
        f'<svg class="ehc-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>{body}</svg>'
    )


def bar_chart(chart_id: str, title: str, bars: list[Bar], *, unit: str = "") -> SafeString:
    """Vertical bars with a value label on each; None values are drawn as gaps."""
    top = max((b.value or 0 for b in bars), default=0) or 1
    plot_w = WIDTH - MARGIN_LEFT - 8
    plot_h = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_w / max(len(bars), 1)
    parts = [
        f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP + plot_h}" x2="{WIDTH - 8}" '
        f'y2="{MARGIN_TOP + plot_h}" stroke="#505a5f"/>'
    ]
    for i, bar in enumerate(bars):
        x = MARGIN_LEFT + i * slot + slot * 0.15
        value = bar.value or 0
        h = plot_h * value / top
        y = MARGIN_TOP + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{BAR_COLOUR}"/>'
        )
        shown = "" if bar.value is None else f"{bar.value:g}{unit}"
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f"{TEXT}>{escape(shown)}</text>"
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" '
            f'text-anchor="middle" {TEXT}>{escape(bar.label)}</text>'
        )
    description = "; ".join(
        f"{b.label}: {'no data' if b.value is None else f'{b.value:g}{unit}'}" for b in bars
    )
    return _frame(chart_id, title, description, "".join(parts))


def line_chart(chart_id: str, title: str, points: list[Bar], *, unit: str = "%") -> SafeString:
    """A line over 0-100 with a dot per point; gaps where a month had nothing to count."""
    plot_w = WIDTH - MARGIN_LEFT - 8
    plot_h = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    step = plot_w / max(len(points) - 1, 1)
    parts = []
    for tick in (0, 50, 100):
        y = MARGIN_TOP + plot_h * (1 - tick / 100)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" '
            f'stroke="#b1b4b6" stroke-dasharray="4 4"/>'
        )
        parts.append(
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" {TEXT}>'
            f"{tick}{unit}</text>"
        )
    coords = []
    for i, point in enumerate(points):
        x = MARGIN_LEFT + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle" '
            f"{TEXT}>{escape(point.label)}</text>"
        )
        if point.value is None:
            coords.append(None)
            continue
        y = MARGIN_TOP + plot_h * (1 - point.value / 100)
        coords.append((x, y))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{LINE_COLOUR}"/>')
    for a, b in zip(coords, coords[1:], strict=False):
        if a and b:
            parts.append(
                f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
                f'stroke="{LINE_COLOUR}" stroke-width="3"/>'
            )
    description = "; ".join(
        f"{p.label}: {'none issued' if p.value is None else f'{p.value:g}{unit}'}" for p in points
    )
    return _frame(chart_id, title, description, "".join(parts))
