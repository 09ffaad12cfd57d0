"""The HTTP edge in front of every route: body limits, security headers, outage answers, docs.

Only app.py imports this package. Order, from the outside in: security headers (so every
answer carries them, 413 and 503 included), body limits (before any route reads a byte), then
the outage mapping closest to the routes.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from adapters.http.docs import docs_router
from adapters.http.headers import SecurityHeadersMiddleware
from adapters.http.limits import BodyLimitMiddleware, BodyLimits
from adapters.http.outage import OutageMiddleware
from adapters.http.validation import validation_error

__all__ = ["BodyLimits", "body_limits", "install"]


def install(app: FastAPI, *, limits: BodyLimits, https: bool, retry_after: int,
            docs: bool) -> None:
    """Put the edge middleware on `app`, bound its 422 answers, and serve /docs if asked."""
    app.add_exception_handler(RequestValidationError, validation_error)
    if docs and app.openapi_url:
        app.include_router(docs_router(app.title, app.openapi_url))
    # add_middleware puts each new one outside the previous ones.
    app.add_middleware(OutageMiddleware, retry_after=retry_after)
    app.add_middleware(BodyLimitMiddleware, limits=limits)
    app.add_middleware(SecurityHeadersMiddleware, https=https)


# The one route whose body is a file: Starlette spools it to disk, so a large limit costs no
# memory. Chat webhooks, JSON APIs, the web chat and unknown paths get the small default.
UPLOAD_PATHS = ("/api/v1/cx/ratings:upload",)


def body_limits(default: int, upload: int) -> BodyLimits:
    """The small limit everywhere, the large one on the CSV upload route."""
    return BodyLimits(default, dict.fromkeys(UPLOAD_PATHS, upload))
