"""Helpers shared by the CX and linkage routes: runtime access, windows, series loading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from fastapi import HTTPException, Request

from adapters.api.schemas import ErrorOut
from bot.runtime import Runtime
from pulse.analytics import service as analytics
from pulse.core.buckets import zone
from pulse.core.model import Bucket, Team
from pulse.cx.model import CxAggregate, CxAggregateKind
from pulse.cx.ports import CxStore
from pulse.linkage import barometer
from pulse.linkage.barometer import ExPoint

MAX_SPAN = timedelta(days=366 * 5)


def _err(text: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": text}


# Documented error answers: {"detail": …} (plus "error", a machine-readable code, on ingest).
READ_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _err("Unreadable request body."), 401: _err("Missing or invalid API key."),
    403: _err("The key lacks the scope."),
    404: _err("No such team or tenant."), 422: _err("Malformed parameter or period.")}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS, 409: _err("Idempotency-Key reused with another body, or in progress."),
    413: _err("More than 5,000 records."),
    422: _err("Refused file or body: unknown profile, missing columns, ambiguous dates…")}
MIN_PARTICIPATION = 0.30  # ANALYTICS.md §3.3-A (PROPOSAL)


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


def runtime(request: Request) -> Runtime:
    """The app's runtime container."""
    return cast(Runtime, request.app.state.runtime)


def cx_store(request: Request) -> CxStore:
    """The store, seen through the CX port."""
    return cast(CxStore, runtime(request).store)


def feeds(request: Request) -> Any:
    """adapters.csat.service, wired by app.py (adapters never import each other)."""
    found = runtime(request).cx_feeds
    if found is None:
        raise HTTPException(503, "CX ingest is not wired in this deployment")
    return found


def tenant_tz(request: Request, tenant_id: str) -> str:
    tenant = runtime(request).store.get_tenant(tenant_id)
    if tenant is None:
        raise HTTPException(404, "unknown tenant")
    return tenant.timezone


def window(request: Request, start: date | None, end: date | None, bucket: Bucket
           ) -> tuple[date, date]:
    """[from, to] as local dates; defaults to the last 26 weeks or 12 months."""
    today = runtime(request).clock.now().date()
    last = end or today
    first = start or (last - (timedelta(weeks=26) if bucket is Bucket.WEEK else
                              timedelta(days=365)))
    if last < first:
        raise HTTPException(422, "'to' is before 'from'")
    if last - first > MAX_SPAN:
        raise HTTPException(422, "at most 5 years at once")
    return first, last


@dataclass
class Inputs:
    teams: list[Team]
    cx: dict[str, dict[str, CxAggregate]]
    ex: dict[str, dict[str, ExPoint]]
    tz: str
    k_scores: int
    k_cx: int
    unmapped: int


def barometer_inputs(request: Request, tenant_id: str, team_id: str | None, bucket: Bucket,
                     kind: CxAggregateKind, first: date, last: date, with_ex: bool = True
                     ) -> Inputs:
    """Teams in scope and their CX (and EX) series over [first, last] in the tenant timezone."""
    rt = runtime(request)
    store = cx_store(request)
    tz = tenant_tz(request, tenant_id)
    teams = store.list_teams(tenant_id)
    if team_id is not None:
        teams = [t for t in teams if t.id == team_id]
        if not teams:
            raise HTTPException(404, f"unknown team {team_id!r}")
    tzinfo = zone(tz)
    start = datetime.combine(first, time.min, tzinfo)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo)
    ids = [t.id for t in teams]
    k_cx = int(request.app.state.settings.cx_k_ratings)
    cx = barometer.cx_series(store.cx_scores(tenant_id, start, end, ids, str(kind.metric)),
                             tz, bucket, kind, k_cx)
    ex = {t.id: ex_points(rt, tenant_id, t.id, bucket, first, last, tz) for t in teams} if (
        with_ex) else {}
    unmapped = store.cx_resolution_counts(tenant_id).get("unmapped", 0)
    return Inputs(teams, cx, ex, tz, rt.k_scores, k_cx, unmapped)


def ex_points(rt: Runtime, tenant_id: str, team_id: str, bucket: Bucket, first: date,
              last: date, tz: str) -> dict[str, ExPoint]:
    """The team's EX series from pulse.analytics (k threshold and complementary suppression
    applied there); a bucket is eligible when shown and participation ≥ 30 % (when known)."""
    out = {}
    for b in analytics.team_series(rt.store, tenant_id, team_id, bucket, first, last,
                                   k=rt.k_scores, tz=tz):
        shown = b.value is not None and not b.suppressed
        enough = b.participation is None or b.participation >= MIN_PARTICIPATION
        n = b.n if b.n is not None else "withheld"
        out[b.bucket] = ExPoint(b.value if shown else None, n, shown and enough)
    return out
