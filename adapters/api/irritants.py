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
from pulse.core.errors import Invalid, NotFound
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


class Trends(BaseModel):
    bucket: str
    team: str | None
    k_comments: int
    periods: list[TrendPeriod]


def _public(irritant: Irritant, period: str) -> IrritantOut:
    return IrritantOut(id=irritant.id, team_id=irritant.team_id, category=irritant.category,
                       status=irritant.status, text=irritant.text, language=irritant.language,
                       owner_team_id=irritant.owner_team_id, owner_note=irritant.owner_note,
                       period=period)


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
    """Irritants grouped by team; a group with fewer than k distinct reporters is withheld."""
    tenant_id = principal.tenant_id
    tz = _tz(runtime, tenant_id)
    start, end = _period(period, tz)
    filters = IrritantFilter(team, category, status, start, end)
    reporters = runtime.store.count_reporters(tenant_id, filters)
    by_team: dict[str | None, list[Irritant]] = defaultdict(list)
    for irritant in runtime.store.list_irritants(tenant_id, filters):
        by_team[irritant.team_id].append(irritant)
    bucket = "week" if period and "-W" in period else "month"
    groups: list[IrritantGroup] = []
    for team_id in sorted(by_team, key=lambda t: t or ""):
        items = by_team[team_id]
        if reporters.get(team_id, 0) < runtime.k_comments:
            groups.append(IrritantGroup(
                team_id=team_id, count=None, hidden=True,
                reason=f"fewer than {runtime.k_comments} distinct reporters", irritants=[]))
            continue
        shown = [_public(i, period or _label(i.created_at, tz, bucket)) for i in items]
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


@router.get("/trends", response_model=Trends, responses=READ_ERRORS)
def trends(
    principal: AnalyticsReader,
    runtime: RuntimeDep,
    team: str | None = None,
    bucket: Annotated[str, Query(pattern="^(week|month)$")] = "month",
    start: date | None = None,
    end: date | None = None,
) -> Trends:
    """Irritant counts per category and period; periods with too few reporters read null."""
    tenant_id = principal.tenant_id
    tz = _tz(runtime, tenant_id)

    for d in (start, end):
        if d is not None and not MIN_YEAR <= d.year <= MAX_YEAR:
            raise HTTPException(422, f"dates must be within {MIN_YEAR}..{MAX_YEAR}")

    def at(d: date | None) -> datetime | None:
        return None if d is None else datetime(d.year, d.month, d.day, tzinfo=tz).astimezone(UTC)

    items = runtime.store.list_irritants(tenant_id, IrritantFilter(team, None, None, at(start),
                                                                   at(end)))
    labels = sorted({_label(i.created_at, tz, bucket) for i in items})
    out = []
    for label in labels:
        p_start, p_end = _period(label, tz)
        scope = IrritantFilter(team, None, None, p_start, p_end)
        enough = sum(runtime.store.count_reporters(tenant_id, scope).values()) >= runtime.k_comments
        counts: dict[str, int] = defaultdict(int)
        for i in items:
            if _label(i.created_at, tz, bucket) == label:
                counts[str(i.category)] += 1
        out.append(TrendPeriod(period=label, hidden=not enough,
                               counts=dict(sorted(counts.items())) if enough else None))
    return Trends(bucket=bucket, team=team, k_comments=runtime.k_comments, periods=out)
