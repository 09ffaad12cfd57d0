"""The `Annotated` dependencies the /api/v1 routers share: each handler declares what it needs
(runtime, settings, a port, the raw body) and never touches the request itself."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import Depends, HTTPException, Request

from adapters.api.auth import RuntimeDep
from bot.runtime import CxFeeds
from pulse.cx.ports import CxStore
from settings import Settings


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def strict_query(request: Request) -> None:
    """422 on query parameters the route does not know (a typo must not be silently ignored)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    unknown = set(request.query_params) - _query_names(dependant)
    if unknown:
        raise HTTPException(422, f"unknown query parameter(s): {sorted(unknown)}")


def settings_of(request: Request) -> Settings:
    """The settings the composition root put on the app."""
    settings: Settings = request.app.state.settings
    return settings


def cx_store(runtime: RuntimeDep) -> CxStore:
    """The store, seen through the CX port (adapters/db.SqlStore implements it)."""
    return cast(CxStore, runtime.store)


def cx_feeds(runtime: RuntimeDep) -> CxFeeds:
    """adapters.csat.service, wired by app.py (adapters never import each other); else 503."""
    if runtime.cx_feeds is None:
        raise HTTPException(503, "CX ingest is not wired in this deployment")
    return runtime.cx_feeds


async def raw_body(request: Request) -> bytes:
    """The body as sent: ingest parses it itself, to answer 413 and its own 422 codes."""
    return await request.body()


SettingsDep = Annotated[Settings, Depends(settings_of)]
CxStoreDep = Annotated[CxStore, Depends(cx_store)]
FeedsDep = Annotated[CxFeeds, Depends(cx_feeds)]
RawBody = Annotated[bytes, Depends(raw_body)]
