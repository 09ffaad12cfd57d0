"""Server-rendered SVG charts (no script, no CDN): trend with band, bars, quadrant, lag scan.

Each chart is an <svg role="img"> with a <title> and a <desc> for screen readers, labelled
axes, and every number also in a table beside it (templates), so nothing is told by colour or
position alone. Geometry is computed here; wording comes in already translated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from adapters.dashboard import views as v

W, H = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 76, 16, 16, 56
ToPixel = Callable[[float], float]
Format = Callable[[float], str]


@dataclass(frozen=True)
class Axes:
    """What a chart says about itself: title, description, axis names."""

    title: str
    desc: str
    x: str
    y: str


def _open(axes: Axes, ident: str, height: int = H) -> list[str]:
    return [f'<svg class="chart-svg" viewBox="0 0 {W} {height}" role="img" '
            f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{ident}-t">{escape(axes.title)}</title>',
            f'<desc id="{ident}-d">{escape(axes.desc)}</desc>']


def _axis_names(axes: Axes, height: int = H) -> list[str]:
    mid_y = TOP + (height - TOP - BOTTOM) / 2
    return [f'<text class="axis-name" x="{LEFT + (W - LEFT - RIGHT) / 2:.0f}" '
            f'y="{height - 6}" text-anchor="middle">{escape(axes.x)}</text>',
            f'<text class="axis-name" x="18" y="{mid_y:.0f}" text-anchor="middle" '
            f'transform="rotate(-90 18 {mid_y:.0f})">{escape(axes.y)}</text>']


def _scale(lo: float, hi: float, a: float, b: float) -> ToPixel:
    span = (hi - lo) or 1.0
    return lambda value: a + (value - lo) * (b - a) / span


def _y_grid(ticks: Sequence[float], fmt: Format, y: ToPixel) -> list[str]:
    out = []
    for tick in ticks:
        py = y(tick)
        out.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{py:.1f}" '
                   f'y2="{py:.1f}"/>')
        out.append(f'<text class="tick" x="{LEFT - 6}" y="{py + 4:.1f}" '
                   f'text-anchor="end">{escape(fmt(tick))}</text>')
    return out


def _x_labels(labels: Sequence[str], x: ToPixel, height: int = H) -> list[str]:
    step = max(1, -(-len(labels) // 8))  # at most ~8 labels, so they never overlap
    return [f'<text class="tick" x="{x(i):.1f}" y="{height - BOTTOM + 18}" '
            f'text-anchor="middle">{escape(label)}</text>'
            for i, label in enumerate(labels) if i % step == 0 or i == len(labels) - 1]


def short_bucket(key: str) -> str:
    """'2026-W09' → 'W09', '2026-03' → '03/26': short enough for an axis."""
    if "-W" in key:
        return "W" + key.split("-W")[1]
    year, month = key.split("-")
    return f"{month}/{year[2:]}"


def trend(points: Sequence[v.TrendPoint], axes: Axes, hidden_label: str) -> Markup:
    """The pulse per bucket on 0–10 with its 95 % band; hidden buckets leave a marked gap."""
    n = len(points)
    x = _scale(0, max(n - 1, 1), LEFT + 12, W - RIGHT - 12)
    y = _scale(0, 10, H - BOTTOM, TOP)
    out = _open(axes, "trend")
    out += _y_grid((0, 2.5, 5, 7.5, 10), lambda t: f"{t:g}", y)
    segments: list[list[int]] = [[]]
    for i, p in enumerate(points):
        if p.value is None:
            segments.append([])
        else:
            segments[-1].append(i)
    for seg in (s for s in segments if s):
        banded = [i for i in seg if points[i].low is not None]
        if len(banded) >= 2:
            upper = " ".join(f"{x(i):.1f},{y(points[i].high or 0):.1f}" for i in banded)
            lower = " ".join(f"{x(i):.1f},{y(points[i].low or 0):.1f}" for i in reversed(banded))
            out.append(f'<polygon class="band" points="{upper} {lower}"/>')
        if len(seg) >= 2:
            line = " ".join(f"{x(i):.1f},{y(points[i].value or 0):.1f}" for i in seg)
            out.append(f'<polyline class="line" points="{line}"/>')
    for i, p in enumerate(points):
        if p.value is None:
            out.append(f'<rect class="gap" x="{x(i) - 6:.1f}" y="{TOP}" width="12" '
                       f'height="{H - BOTTOM - TOP}"><title>{escape(p.bucket)}: '
                       f'{escape(hidden_label)}</title></rect>')
        else:
            out.append(f'<circle class="dot" cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="4">'
                       f'<title>{escape(p.bucket)}: {p.value:.1f}</title></circle>')
    out += _x_labels([short_bucket(p.bucket) for p in points], x)
    out += _axis_names(axes)
    out.append("</svg>")
    return Markup("".join(out))


def bars(labels: Sequence[str], values: Sequence[float | None], axes: Axes, top: float,
         fmt: Format, ident: str, integers: bool = False) -> Markup:
    """Vertical bars from 0 to `top`; a None value draws a hatched stub (hidden)."""
    n = len(labels)
    band = (W - LEFT - RIGHT) / max(n, 1)
    if integers:  # counts: a top divisible by 4 keeps every grid line on a whole number
        top = 4 * max(1, -(-int(top) // 4))
    y = _scale(0, top, H - BOTTOM, TOP)
    out = _open(axes, ident)
    out += _y_grid([top * f for f in (0, 0.25, 0.5, 0.75, 1)], fmt, y)
    for i, value in enumerate(values):
        left = LEFT + i * band + band * 0.18
        width = band * 0.64
        if value is None:
            out.append(f'<rect class="bar-hidden" x="{left:.1f}" y="{H - BOTTOM - 8}" '
                       f'width="{width:.1f}" height="8"/>')
            continue
        py = y(min(value, top))
        out.append(f'<rect class="bar" x="{left:.1f}" y="{py:.1f}" width="{width:.1f}" '
                   f'height="{H - BOTTOM - py:.1f}"><title>{escape(labels[i])}: '
                   f'{escape(fmt(value))}</title></rect>')
    x_centre = _scale(0, max(n - 1, 1), LEFT + band / 2, W - RIGHT - band / 2)
    out += _x_labels([short_bucket(label) if label[:2].isdigit() else label
                      for label in labels], x_centre)
    out += _axis_names(axes)
    out.append("</svg>")
    return Markup("".join(out))


def quadrant(points: Sequence[v.QuadrantPoint], axes: Axes, ex_thr: float, cx_thr: float,
             corner_labels: tuple[str, str, str, str]) -> Markup:
    """EX (0–10) across, CX (% satisfied) up; dashed thresholds split the four quadrants."""
    height = 360
    low_cx = min([50.0, *(p.cx - 5 for p in points)])
    x = _scale(0, 10, LEFT, W - RIGHT)
    y = _scale(low_cx, 100, height - BOTTOM, TOP)
    out = _open(axes, "quadrant", height)
    ticks = [t for t in (40, 50, 60, 70, 80, 90, 100) if t >= low_cx]
    out += _y_grid(ticks, lambda t: f"{t:g}", y)  # the axis name says "%"
    for tick in (0, 2, 4, 6, 8, 10):
        out.append(f'<text class="tick" x="{x(tick):.1f}" y="{height - BOTTOM + 18}" '
                   f'text-anchor="middle">{tick}</text>')
    out.append(f'<line class="threshold" x1="{x(ex_thr):.1f}" x2="{x(ex_thr):.1f}" '
               f'y1="{TOP}" y2="{height - BOTTOM}"/>')
    out.append(f'<line class="threshold" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(cx_thr):.1f}" '
               f'y2="{y(cx_thr):.1f}"/>')
    happy, team_risk, cust_risk, double = corner_labels
    for text, cx, cy, anchor in ((happy, W - RIGHT - 6, TOP + 14, "end"),
                                 (team_risk, LEFT + 6, TOP + 14, "start"),
                                 (cust_risk, W - RIGHT - 6, height - BOTTOM - 8, "end"),
                                 (double, LEFT + 6, height - BOTTOM - 8, "start")):
        out.append(f'<text class="corner" x="{cx}" y="{cy}" text-anchor="{anchor}">'
                   f'{escape(text)}</text>')
    for p in points:
        px, py = x(p.ex), y(p.cx)
        # ~11 units a character at the phone's larger type: flip the label before it spills
        anchor = "end" if px + 11 * len(p.team.name) > W - RIGHT else "start"
        dx = -8 if anchor == "end" else 8
        out.append(f'<g class="point"><circle cx="{px:.1f}" cy="{py:.1f}" r="6"/>'
                   f'<text x="{px + dx:.1f}" y="{py - 8:.1f}" text-anchor="{anchor}">'
                   f'{escape(p.team.name)}</text></g>')
    out += _axis_names(axes, height)
    out.append("</svg>")
    return Markup("".join(out))


def lags(bars_: Sequence[v.LagBar], axes: Axes, threshold_label: str) -> Markup:
    """r by lag with 95 % intervals; the dashed steps are ±r at the Bonferroni-corrected α."""
    n = len(bars_)
    x = _scale(0, max(n - 1, 1), LEFT + 24, W - RIGHT - 24)
    y = _scale(-1, 1, H - BOTTOM, TOP)
    half = (W - LEFT - RIGHT) / max(n, 1) / 2 * 0.8
    out = _open(axes, "lags")
    out += _y_grid((-1, -0.5, 0, 0.5, 1), lambda t: f"{t:g}", y)
    for i, bar in enumerate(bars_):
        cx = x(i)
        if bar.critical is not None:
            for sign in (1, -1):
                out.append(f'<line class="bonferroni" x1="{cx - half:.1f}" '
                           f'x2="{cx + half:.1f}" y1="{y(sign * bar.critical):.1f}" '
                           f'y2="{y(sign * bar.critical):.1f}"><title>'
                           f'{escape(threshold_label)}: ±{bar.critical:.2f}</title></line>')
        if bar.r is None:
            continue
        if bar.low is not None and bar.high is not None:
            out.append(f'<line class="whisker" x1="{cx:.1f}" x2="{cx:.1f}" '
                       f'y1="{y(bar.low):.1f}" y2="{y(bar.high):.1f}"/>')
        kind = "dot strong" if bar.significant else "dot"
        out.append(f'<circle class="{kind}" cx="{cx:.1f}" cy="{y(bar.r):.1f}" r="5">'
                   f'<title>k = {bar.k}: r = {bar.r:.2f}</title></circle>')
    out += _x_labels([f"{b.k:+d}" if b.k else "0" for b in bars_], x)
    out += _axis_names(axes)
    out.append("</svg>")
    return Markup("".join(out))
