"""Jinja2 pages: one environment, the reader's words, and a response with safe headers."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from adapters.dashboard import charts
from adapters.dashboard.session import Viewer, remember_locale
from adapters.dashboard.text import Words

TEMPLATES = Path(__file__).parent / "templates"
# Everything is served by us: no CDN, no inline script; styles only from our own sheet
# (plus inline style attributes, used for heatmap colours).
CSP = ("default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["charts"] = charts
    env.globals["heat_style"] = heat_style
    return env


def heat_style(value: float | None, scale: str) -> str:
    """Background of a heatmap cell: red → amber → green on 0–10, white → blue for shares."""
    if value is None:
        return ""
    if scale == "pct":
        light = 96 - 40 * max(0.0, min(1.0, value))
        return f"background:hsl(218 70% {light:.0f}%)"
    hue = 130 * max(0.0, min(1.0, (value - 3) / 6))
    return f"background:hsl({hue:.0f} 65% 80%)"


def page(request: Request, template: str, words: Words, viewer: Viewer | None = None,
         status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the reader's language; `_` and `w` are the reader's words."""
    html = environment().get_template(template).render(
        _=words, w=words, viewer=viewer, request=request, lang=words.locale,
        path=request.url.path, **context)
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"  # sign-in tokens never leak onwards
    response.headers["Cache-Control"] = "no-store"
    remember_locale(request, response)
    return response
