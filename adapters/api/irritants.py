"""Irritants API: anonymity-checked listing, lifecycle changes, trends per category."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from adapters.api.auth import Admin, AnalyticsReader, RuntimeDep
from adapters.api.deps import strict_query
from bot.irritants import notify_reporter
from bot.runtime import Runtime
from pulse.analytics import irritant_trends as trend_cells
from pulse.core import buckets
from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Bucket
from pulse.irritants import release
from pulse.irritants.model import Irritant, IrritantCategory, IrritantFilter, IrritantStatus
from pulse.irritants.service import change_irritant

router = APIRouter(prefix="/api/v1/irritants", tags=["irritants"],
                   dependencies=[Depends(strict_query)])
MIN_YEAR, MAX_YEAR = 1970, 2999


class Problem(BaseModel):
    detail: str | list[dict[str, object]]


READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Missing or invalid API key."},
    403: {"model": Problem, "description": "The key lacks the analytics:read scope."},
    422: {"model": Problem, "description": "Malformed period, bucket or date."},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    403: {"model": Problem, "description": "The key lacks the admin scope."},
    404: {"model": Problem, "description": "No such irritant (or owner team) in this tenant."},
    409: {"model": Problem, "description": "A status change the lifecycle does not allow."},
    400: {"model": Problem, "description": "A body that is not JSON."},
    422: {"model": Problem, "description": "Unknown status or category, or an unknown field."},
}
TREND_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    404: {"model": Problem, "description": "No such team in this tenant."},
    422: {"model": Problem, "description": "start/end given, or a malformed bucket or key."},
}
_shuffle = random.SystemRandom().shuffle


def _period(label: str | None, tz: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    """'2026-03' (month) or '2026-W10' (ISO week) → [start, end) in UTC; None → unbounded."""
    if not label:
        return None, None
    try:
        if "-W" in label:
            year, week = label.split("-W")
            first = date.fromisocalendar(int(year), int(week), 1)
            last = first + timedelta(days=7)
        else:
            year, month = label.split("-")
            first = date(int(year), int(month), 1)
            last = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    except ValueError as exc:
        raise HTTPException(422, "period must look like 2026-03 or 2026-W10") from exc
    if not MIN_YEAR <= first.year <= MAX_YEAR:
        raise HTTPException(422, f"period year must be within {MIN_YEAR}..{MAX_YEAR}")

    def at(d: date) -> datetime:
        return datetime(d.year, d.month, d.day, tzinfo=tz).astimezone(UTC)

    return at(first), at(last)


def _label(at: datetime, tz: ZoneInfo, bucket: str) -> str:
    local = at.astimezone(tz)
    if bucket == "week":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{local.year}-{local.month:02d}"


def _tz(runtime: Runtime, tenant_id: str) -> ZoneInfo:
    tenant = runtime.store.get_tenant(tenant_id)
    return ZoneInfo(tenant.timezone if tenant else runtime.timezone)


class IrritantOut(BaseModel):
    """What a manager may see: anonymised text, no reporter, the date only as a period."""

    id: str
    team_id: str | None
    category: IrritantCategory
    status: IrritantStatus
    text: str = Field(description="Anonymised: no e-mails, phone numbers, @mentions or names.")
    language: str
    owner_team_id: str | None
    owner_note: str | None
    period: str = Field(description="The month (or ISO week) it was raised in, never a date.")
    named_by: str | None = Field(default=None, description="The reporter's name, only when "
                                 "they chose to send it named (absent otherwise).")


class IrritantGroup(BaseModel):
    team_id: str | None
    count: int | None = Field(description="null when the group is withheld.")
    hidden: bool
    reason: str | None = Field(default=None,
                               description="Why the group is withheld (absent if shown).")
    irritants: list[IrritantOut]


class IrritantList(BaseModel):
    period: str | None
    k_comments: int = Field(description="Distinct reporters a group needs to be shown.")
    groups: list[IrritantGroup]


class TrendPeriod(BaseModel):
    period: str
    hidden: bool
    counts: dict[str, int] | None = Field(description="Per category; null when hidden.")
    reason: str | None = Field(default=None, description="Why hidden: below_k, complement, "
                               "no_published_week or open (the bucket has not closed).")
    weeks_used: int | None = Field(default=None, description="Months: the shown weeks summed.")


class Trends(BaseModel):
    bucket: str
    team: str | None
    k_comments: int
    periods: list[TrendPeriod]


def _public(irritant: Irritant, period: str, runtime: Runtime | None = None,
            named: bool = False) -> IrritantOut:
    out = IrritantOut(id=irritant.id, team_id=irritant.team_id, category=irritant.category,
                      status=irritant.status, text=irritant.text, language=irritant.language,
                      owner_team_id=irritant.owner_team_id, owner_note=irritant.owner_note,
                      period=period)
    if named and runtime is not None:  # the reporter chose to send it with their name
        person = runtime.store.get_person(runtime.store.reporter_of(irritant.id) or "")
        out.named_by = person.display_name if person else None
    return out


@router.get("", response_model=IrritantList, response_model_exclude_unset=True,
            responses=READ_ERRORS)
def list_irritants(
    principal: AnalyticsReader,
    runtime: RuntimeDep,
    team: str | None = None,
    category: IrritantCategory | None = None,
    status: IrritantStatus | None = None,
    period: Annotated[str | None, Query(description="2026-03 or 2026-W10")] = None,
) -> IrritantList:
    """Irritants grouped by team, released in batches once their week has closed (named ones at
    once); a group with fewer than k distinct reporters is withheld."""
    tenant_id = principal.tenant_id
    tz = _tz(runtime, tenant_id)
    start, end = _period(period, tz)
    now = runtime.clock.now()
    named = runtime.irritant_release.named(tenant_id) if runtime.irritant_release else set()
    with runtime.store.batch():
        parents = {t.id: t.parent_id for t in runtime.store.list_teams(tenant_id)}
        items = runtime.store.list_irritants(tenant_id, IrritantFilter(team, category, status,
                                                                       start, end))
        # Visibility is decided on every report of the weeks concerned, whatever the filters,
        # so a filter never changes which texts the k and complementary rules let through.
        weeks = {buckets.bucket_key(i.created_at, Bucket.WEEK, tz.key) for i in items}
        scope = [buckets.bounds(w, tz.key) for w in weeks]
        everyone = runtime.store.list_irritants(tenant_id, IrritantFilter(
            None, None, None, min((b[0] for b in scope), default=None),
            max((b[1] for b in scope), default=None))) if scope else []
        # Anonymous texts come out by closed week, only where their team's own cell is shown
        # (pulse.irritants.release and .trends); named texts at once.
        shown_ids = trend_cells.released_ids(runtime.store, everyone, parents, tz.key,
                                         runtime.k_comments, now) | named
    by_team: dict[str | None, list[Irritant]] = defaultdict(list)
    for irritant in release.visible(items, now, tz.key, named):  # the open week: not a trace
        by_team[irritant.team_id].append(irritant)
    bucket = "week" if period and "-W" in period else "month"
    groups: list[IrritantGroup] = []
    for team_id in sorted(by_team, key=lambda t: t or ""):
        kept = [i for i in by_team[team_id] if i.id in shown_ids]
        if not kept:
            groups.append(IrritantGroup(
                team_id=team_id, count=None, hidden=True,
                reason=f"fewer than {runtime.k_comments} distinct reporters, a week not yet "
                       "closed, or withheld to protect a smaller group", irritants=[]))
            continue
        shown = [_public(i, period or _label(i.created_at, tz, bucket), runtime, i.id in named)
                 for i in kept]
        _shuffle(shown)  # no order that hints at who wrote what, or when
        groups.append(IrritantGroup(team_id=team_id, count=len(shown), hidden=False,
                                    irritants=shown))
    return IrritantList(period=period, k_comments=runtime.k_comments, groups=groups)


class IrritantChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: IrritantStatus | None = None
    owner_note: str | None = Field(default=None, max_length=1000)
    category: IrritantCategory | None = None
    owner_team_id: str | None = None


@router.patch("/{irritant_id}", response_model=IrritantOut, responses=WRITE_ERRORS)
async def patch_irritant(
    irritant_id: str,
    change: IrritantChange,
    principal: Admin,
    runtime: RuntimeDep,
) -> IrritantOut:
    """Move an irritant along its lifecycle, add the owner's note, or correct its category."""
    tenant_id = principal.tenant_id
    try:
        updated, resolved = change_irritant(
            runtime.store, runtime.clock, tenant_id, irritant_id, status=change.status,
            owner_note=change.owner_note, category=change.category,
            owner_team_id=change.owner_team_id)
    except NotFound as exc:
        raise HTTPException(404, f"{exc} not found") from exc
    except Invalid as exc:
        raise HTTPException(409, str(exc)) from exc
    if resolved:
        await notify_reporter(runtime, updated)
    tz = _tz(runtime, tenant_id)
    return _public(updated, _label(updated.created_at, tz, "month"))


@router.get("/trends", response_model=Trends, responses=TREND_ERRORS)
def trends(
    principal: AnalyticsReader,
    runtime: RuntimeDep,
    team: str | None = None,
    bucket: Annotated[str, Query(pattern="^(week|month)$")] = "month",
    first: Annotated[str | None, Query(description="First bucket key: 2026-W01 or 2026-01")
                     ] = None,
    last: Annotated[str | None, Query(description="Last bucket key: 2026-W10 or 2026-03")
                    ] = None,
    start: Annotated[str | None, Query(include_in_schema=False)] = None,
    end: Annotated[str | None, Query(include_in_schema=False)] = None,
) -> Trends:
    """Irritant counts per category on closed ISO weeks or months (the tenant's), k distinct
    reporters per cell and complementary suppression over the team tree."""
    if start is not None or end is not None:
        raise HTTPException(422, "start and end are not accepted: trends use fixed buckets; "
                                 "pass first and last bucket keys such as 2026-W10 or 2026-03")
    tenant_id = principal.tenant_id
    tz = _tz(runtime, tenant_id).key
    kind = Bucket(bucket)
    now = runtime.clock.now()
    with runtime.store.batch():
        parents = {t.id: t.parent_id for t in runtime.store.list_teams(tenant_id)}
        if team is not None and team not in parents:
            raise HTTPException(404, f"unknown team {team!r}")
        try:
            keys = trend_cells.closed_keys(kind, first, last, now, tz)
        except Invalid as exc:
            raise HTTPException(422, str(exc)) from None
        if not keys:
            return Trends(bucket=bucket, team=team, k_comments=runtime.k_comments, periods=[])
        span_start = _period(keys[0], _tz(runtime, tenant_id))[0]
        span_end = _period(keys[-1], _tz(runtime, tenant_id))[1]
        if kind is Bucket.MONTH and span_start and span_end:  # ISO weeks may overhang a month
            span_start, span_end = span_start - timedelta(days=7), span_end + timedelta(days=7)
        reports = [trend_cells.Report(reporter, i.team_id, i.category, i.created_at)
                   for i in runtime.store.list_irritants(
                       tenant_id, IrritantFilter(None, None, None, span_start, span_end))
                   if (reporter := runtime.store.reporter_of(i.id)) is not None]
    cells = trend_cells.trend(reports, parents, team, kind, keys, tz, runtime.k_comments, now)
    return Trends(bucket=bucket, team=team, k_comments=runtime.k_comments, periods=[
        TrendPeriod(period=c.period, hidden=c.hidden, counts=c.counts, reason=c.reason,
                    weeks_used=c.weeks_used) for c in cells])
