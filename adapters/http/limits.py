"""Request-body limits enforced while the body streams in, before any route reads or parses it.

Routes read their body before checking a key, a signature or a token (bolt verifies Slack's
signature over the raw body, FastAPI parses forms before dependencies run), so the limit has to
sit in front of them: a declared Content-Length over the limit is refused without reading a
byte, and a chunked body is counted as it arrives and cut off at the limit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class BodyLimits:
    """A default limit for every route, and larger ones for the few routes that need them."""

    default: int
    by_path: Mapping[str, int] = field(default_factory=dict)

    def for_path(self, path: str) -> int:
        """The limit for one request path (exact match, else the default)."""
        return self.by_path.get(path, self.default)


class BodyTooLarge(Exception):
    """Raised from `receive` once a streamed body passes its limit; the middleware answers 413."""


class BodyLimitMiddleware:
    """Pure ASGI middleware: 413 for a body over its route's limit, with nothing buffered."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, root = scope["path"], scope.get("root_path", "")
        if root and path.startswith(root):  # uvicorn --root-path puts the prefix in `path`
            path = path[len(root):]
        limit = self.limits.for_path(path)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await too_large(send, limit)
            return
        received = 0
        exceeded = started = False

        async def counted() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge(f"request body over {limit} bytes")
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # whatever the route made of the cut-off body, the answer is our 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not exceeded:
                raise
            # BodyTooLarge, or whatever a route turned it into: answered below either way.
        if exceeded and not started:
            await too_large(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length before we are called
    return None


async def too_large(send: Send, limit: int) -> None:
    """A 413 with a JSON body saying what the limit is."""
    await send_json(send, 413, {
        "error": "payload_too_large",
        "detail": f"The request body is larger than the {limit} bytes this route accepts.",
        "limit_bytes": limit,
    })


async def send_json(send: Send, status: int, body: dict[str, Any],
                    headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Send a whole JSON response through a raw ASGI `send`."""
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
        *(headers or [])]})
    await send({"type": "http.response.body", "body": data})
