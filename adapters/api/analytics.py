"""/api/v1/teams: teams, and per-team pulse, pillars, eNPS and kudos series (JSON or CSV).

Every series reads published cells (pulse.analytics.service): closed buckets only, one indexed
query per request; the current bucket shows participation counts only."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.responses import Response

from adapters.api import schemas
from adapters.api.auth import AnalyticsReader, RuntimeDep
from adapters.api.deps import strict_query
from bot.runtime import Runtime
from pulse.analytics import service as analytics
from pulse.core import buckets
from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Bucket

router = APIRouter(prefix="/api/v1", tags=["analytics"],
                   dependencies=[Depends(strict_query)])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": schemas.ErrorOut, "description": "Missing or invalid API key."},
    403: {"model": schemas.ErrorOut, "description": "The key lacks the analytics:read scope."},
    404: {"model": schemas.ErrorOut, "description": "No such team in the key's tenant."},
    422: {"model": schemas.ErrorOut, "description": "Malformed bucket, date or period."},
}
# The series routes also answer format=csv: say so, or clients and /docs expect JSON only.
SERIES = {**ERRORS, 200: {"description": "The series as JSON, or as CSV with format=csv.",
                          "content": {"text/csv": {"schema": {"type": "string"}}}}}
MIN_YEAR, MAX_YEAR = 1970, 2999

BucketQ = Annotated[Bucket, Query(description="week (ISO week, Monday start) or month.")]
FromQ = Annotated[date | None, Query(
    alias="from", description="First day, YYYY-MM-DD (default: 12 buckets before `to`).")]
ToQ = Annotated[date | None, Query(description="Last day, YYYY-MM-DD (default: today).")]
FormatQ = Annotated[Literal["json", "csv"], Query(description="json, or csv for spreadsheets.")]
T = TypeVar("T")


def _unprocessable(field: str, message: str) -> HTTPException:
    """A 422 shaped like FastAPI's own validation errors, naming the query field."""
    return HTTPException(422, detail=[
        {"loc": ["query", field], "msg": message, "type": "value_error"}])


def _not_found(exc: NotFound) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"{exc} not found")


def _period(
    runtime: Runtime, tenant_id: str, bucket: Bucket, from_: date | None, to: date | None
) -> tuple[str, date, date]:
    """(timezone, first day, last day) with the defaults applied; 422 for a bad period."""
    for field, day in (("from", from_), ("to", to)):
        if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
            raise _unprocessable(field, f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    try:
        tz = analytics.tenant_timezone(runtime.store, tenant_id, runtime.timezone)
        today = buckets.local_day(runtime.clock.now(), tz)
        start, end = analytics.resolve_dates(bucket, from_, to, today)
    except NotFound as exc:
        raise _not_found(exc) from exc
    except Invalid as exc:
        raise _unprocessable("from", str(exc)) from exc
    return tz, start, end


def _series(
    runtime: Runtime, tenant_id: str, team_id: str, bucket: Bucket,
    from_: date | None, to: date | None, compute: Callable[..., list[T]],
) -> tuple[dict[str, Any], list[T]]:
    tz, start, end = _period(runtime, tenant_id, bucket, from_, to)
    try:
        points = compute(runtime.store, tenant_id, team_id, bucket, start, end, tz=tz,
                         now=runtime.clock.now())
    except NotFound as exc:
        raise _not_found(exc) from exc
    except Invalid as exc:
        raise _unprocessable("from", str(exc)) from exc
    meta = {"team_id": team_id, "bucket": str(bucket), "from": start, "to": end, "timezone": tz,
            "k": runtime.k_scores}
    return meta, points


def _csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], name: str) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@router.get("/teams", response_model=list[schemas.TeamOut], responses=ERRORS)
def list_teams(principal: AnalyticsReader, runtime: RuntimeDep) -> list[schemas.TeamOut]:
    """Teams of the key's tenant, with their parent and direct sub-teams."""
    teams = runtime.store.list_teams(principal.tenant_id)
    return [schemas.TeamOut(id=t.id, name=t.name, parent_id=t.parent_id,
                            children=[c.id for c in teams if c.parent_id == t.id]) for t in teams]


@router.get("/teams/{team_id}", response_model=schemas.TeamDetail, responses=ERRORS)
def get_team(team_id: str, principal: AnalyticsReader, runtime: RuntimeDep) -> schemas.TeamDetail:
    """One team, its sub-teams and its current head count (sub-teams included)."""
    store = runtime.store
    try:
        team = analytics.get_team(store, principal.tenant_id, team_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    teams = store.list_teams(principal.tenant_id)
    within = analytics.subtree(teams, team.id)
    tz = runtime.timezone
    tenant = store.get_tenant(principal.tenant_id)
    today = buckets.local_day(runtime.clock.now(), tenant.timezone if tenant else tz)
    members = {m.person_id for m in store.memberships(principal.tenant_id)
               if m.team_id in within and m.covers(today)}
    return schemas.TeamDetail(
        id=team.id, name=team.name, parent_id=team.parent_id,
        children=[c.id for c in teams if c.parent_id == team.id], members=len(members),
        descendants=sorted(within - {team.id}))


@router.get("/teams/{team_id}/pulse", response_model=schemas.PulseSeries, responses=SERIES)
def pulse_series(
    team_id: str, principal: AnalyticsReader, runtime: RuntimeDep, bucket: BucketQ = Bucket.WEEK,
    from_: FromQ = None, to: ToQ = None, format: FormatQ = "json",
) -> schemas.PulseSeries | Response:
    """The team's published pulse per closed bucket (sub-teams included): person-first mean
    0–10, n, participation and 1–5 item shares. Cells under k respondents show n = "<k" and no
    value; the current bucket shows only how many answered of how many invited."""
    meta, points = _series(runtime, principal.tenant_id, team_id, bucket, from_, to,
                           lambda *a, **kw: analytics.team_series(*a, k=runtime.k_scores, **kw))
    rows = [asdict(p) for p in points]
    if format == "csv":
        return _csv(rows, list(schemas.PulsePoint.model_fields), f"pulse-{team_id}")
    return schemas.PulseSeries(**meta, points=[schemas.PulsePoint(**r) for r in rows])


@router.get("/teams/{team_id}/pillars", response_model=schemas.PillarSeries, responses=SERIES)
def pillar_series(
    team_id: str, principal: AnalyticsReader, runtime: RuntimeDep, bucket: BucketQ = Bucket.WEEK,
    from_: FromQ = None, to: ToQ = None, format: FormatQ = "json",
) -> schemas.PillarSeries | Response:
    """Each pillar's person-first score on 0–10 per bucket, each with its own threshold."""
    meta, points = _series(runtime, principal.tenant_id, team_id, bucket, from_, to,
                           lambda *a, **kw: analytics.pillar_series(*a, k=runtime.k_scores, **kw))
    out = [schemas.PillarPoint(
        bucket=p.bucket, start=p.start, end=p.end, open=p.open, answered=p.answered,
        invited=p.invited,
        pillars={str(k): schemas.PillarCell(**asdict(c)) for k, c in p.pillars.items()})
        for p in points]
    if format == "csv":
        rows = [{"bucket": p.bucket, "start": p.start, "end": p.end, "pillar": name,
                 **cell.model_dump()} for p in out for name, cell in p.pillars.items()]
        columns = ["bucket", "start", "end", "pillar", *schemas.PillarCell.model_fields]
        return _csv(rows, columns, f"pillars-{team_id}")
    return schemas.PillarSeries(**meta, points=out)


@router.get("/teams/{team_id}/enps", response_model=schemas.EnpsSeries, responses=SERIES)
def enps_series(
    team_id: str, principal: AnalyticsReader, runtime: RuntimeDep, bucket: BucketQ = Bucket.WEEK,
    from_: FromQ = None, to: ToQ = None, format: FormatQ = "json",
) -> schemas.EnpsSeries | Response:
    """eNPS (−100..100) per bucket from each person's latest eNPS answer, with its SE. Small
    teams give very noisy eNPS (SE ≈ 26 points with 10 answers)."""
    meta, points = _series(runtime, principal.tenant_id, team_id, bucket, from_, to,
                           lambda *a, **kw: analytics.enps_series(*a, k=runtime.k_scores, **kw))
    rows = [asdict(p) for p in points]
    if format == "csv":
        return _csv(rows, list(schemas.EnpsPoint.model_fields), f"enps-{team_id}")
    return schemas.EnpsSeries(**meta, points=[schemas.EnpsPoint(**r) for r in rows])


@router.get("/teams/{team_id}/kudos", response_model=schemas.KudosSeries, responses=SERIES)
def kudos_series(
    team_id: str, principal: AnalyticsReader, runtime: RuntimeDep, bucket: BucketQ = Bucket.WEEK,
    from_: FromQ = None, to: ToQ = None, format: FormatQ = "json",
) -> schemas.KudosSeries | Response:
    """Kudos received by the team's members per bucket: counts only, nobody is named."""
    meta, points = _series(runtime, principal.tenant_id, team_id, bucket, from_, to,
                           analytics.kudos_series)
    rows = [asdict(p) for p in points]
    if format == "csv":
        flat = [{**r, "values": " ".join(f"{k}={v}" for k, v in sorted(r["values"].items()))}
                for r in rows]
        return _csv(flat, list(schemas.KudosPoint.model_fields), f"kudos-{team_id}")
    return schemas.KudosSeries(**meta, points=[schemas.KudosPoint(**r) for r in rows])
