"""A database outage answers 503 with Retry-After on every route, instead of a 500.

Nothing is lost by answering so: the request's transaction did not commit, and Slack, Teams,
Zendesk and API clients all retry a 503. The pool's pre-ping reconnects once the database is
back, so no restart is needed.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator

import psycopg
from sqlalchemy import exc as sa
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.http.limits import send_json

log = logging.getLogger("miroir.http")

# SQLite reports a broken query with the same OperationalError as a busy or missing file: those
# are bugs, not outages, and keep their 500.
_SQLITE_BUGS = ("no such ", "syntax error", "near ", "table ", "has no column")


def database_unavailable(exc: BaseException) -> bool:
    """True when `exc` (or what caused it) says the database cannot be reached right now."""
    for error in _chain(exc):
        if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, sa.TimeoutError):  # no pooled connection came free in time
            return True
        if isinstance(error, sa.OperationalError | sa.InterfaceError):
            return not _sqlite_bug(error.orig)
        if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
            return True
        if isinstance(error, sqlite3.OperationalError):
            return not _sqlite_bug(error)
    return False


def _sqlite_bug(error: BaseException | None) -> bool:
    return isinstance(error, sqlite3.Error) and str(error).lower().startswith(_SQLITE_BUGS)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what it was raised from, and the members of an exception group."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        error = todo.pop()
        if id(error) in seen or len(seen) > 20:
            continue
        seen.add(id(error))
        yield error
        if isinstance(error, BaseExceptionGroup):
            todo.extend(error.exceptions)
        todo.extend(e for e in (error.__cause__, error.__context__) if e is not None)


class OutageMiddleware:
    """Pure ASGI middleware: 503 + Retry-After for database outages; a plain 500 otherwise.

    The 500 is sent here (then the error re-raised for the server's log) so that it too passes
    through the security headers, which sit outside this middleware.
    """

    def __init__(self, app: ASGIApp, retry_after: int) -> None:
        self.app = app
        self.retry_after = retry_after
        self._logged_at = -1e9
        self._unlogged = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            if database_unavailable(exc):
                self._log(scope, exc)
                await send_json(send, 503, {
                    "error": "database_unavailable",
                    "detail": f"The database does not answer; retry in {self.retry_after} s.",
                }, [(b"retry-after", str(self.retry_after).encode())])
                return
            await send({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"21")]})
            await send({"type": "http.response.body", "body": b"Internal Server Error"})
            raise


    def _log(self, scope: Scope, exc: BaseException) -> None:
        """One line per 10 s at most: an outage under traffic should not flood the log."""
        now = time.monotonic()
        if now - self._logged_at < 10:
            self._unlogged += 1
            return
        more = f" (and {self._unlogged} more 503s since the last line)" if self._unlogged else ""
        log.warning("database unavailable (%s %s): %s; answered 503%s", scope["method"],
                    scope["path"], _first_line(exc), more)
        self._logged_at, self._unlogged = now, 0


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__
