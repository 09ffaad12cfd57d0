"""Pydantic response models of the analytics API (what /docs shows)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

Count = int | str | None
N_DOC = ("Distinct respondents: an integer when at least k answered, the string \"<k\" (e.g. "
         "\"<5\") below the threshold, null when withheld (complementary rule, auditor, open "
         "bucket). Months: respondent-weeks summed over the published weeks.")


class TeamOut(BaseModel):
    id: str
    name: str
    parent_id: str | None = Field(None, description="The parent team, if any.")
    children: list[str] = Field(default_factory=list, description="Direct sub-teams.")


class TeamDetail(TeamOut):
    members: int = Field(description="Current members of the team and its sub-teams.")
    descendants: list[str] = Field(description="All sub-teams whose answers the team includes.")


class SeriesMeta(BaseModel):
    team_id: str
    bucket: str = Field(description="week (ISO week, Monday start) or month.")
    from_: date = Field(alias="from", description="First day asked for (tenant's timezone).")
    to: date = Field(description="Last day asked for (tenant's timezone).")
    timezone: str = Field(description="IANA timezone the buckets are cut in.")
    k: int = Field(description="Minimum distinct respondents for a value to be shown.")

    model_config = {"populate_by_name": True}


class Point(BaseModel):
    bucket: str = Field(description='Bucket key: "2026-W01" or "2026-03".')
    start: datetime = Field(description="Bucket start, UTC (inclusive).")
    end: datetime = Field(description="Bucket end, UTC (exclusive).")
    open: bool = Field(False, description="True for the current bucket: participation counts "
                       "only, never a value.")
    answered: int | None = Field(None, description="Open bucket: people who answered so far.")
    invited: int | None = Field(None, description="Open bucket: people invited so far.")


class PulsePoint(Point):
    value: float | None = Field(description="Person-first mean on 0–10; null when hidden.")
    n: Count = Field(description=N_DOC)
    participation: float | None = Field(
        description="Respondents / invited people (0–1); null when hidden.")
    suppressed: bool = Field(description="True when the value is hidden to protect anonymity.")
    reason: str | None = Field(
        description="no_responses, below_threshold, complementary_suppression, audit (withheld "
        "by the differencing auditor), no_published_week (months), open (the current bucket) "
        "or not_published (closed, in its grace period).")
    favourable_pct: float | None = Field(None, description="% of 1–5 answers at 4–5.")
    neutral_pct: float | None = Field(None, description="% of 1–5 answers at 3.")
    unfavourable_pct: float | None = Field(None, description="% of 1–5 answers at 1–2.")
    mean_100: float | None = Field(None, description="Deprecated: no longer published (null).")
    weeks_used: int | None = Field(None, description="Months: published weeks the value uses.")


class PulseSeries(SeriesMeta):
    points: list[PulsePoint]


class PillarCell(BaseModel):
    value: float | None = Field(description="Person-first mean on 0–10; null when hidden.")
    n: Count = Field(description=N_DOC)
    suppressed: bool
    reason: str | None


class PillarPoint(Point):
    pillars: dict[str, PillarCell]


class PillarSeries(SeriesMeta):
    points: list[PillarPoint]


class EnpsPoint(Point):
    value: float | None = Field(description="eNPS on −100..100; null when hidden.")
    se: float | None = Field(description="Multinomial standard error, in points.")
    n: Count = Field(description=N_DOC)
    suppressed: bool
    reason: str | None
    promoters_pct: float | None = None
    passives_pct: float | None = None
    detractors_pct: float | None = None


class EnpsSeries(SeriesMeta):
    points: list[EnpsPoint]


class KudosPoint(Point):
    received: int | None = Field(
        description="Public kudos received (one per kudos and recipient); null when withheld.")
    recipients: Count = Field(description="Distinct recipients, shown like n (k applies).")
    values: dict[str, int] = Field(description="Per-tag counts: no longer published (empty).")
    suppressed: bool = False
    reason: str | None = None


class KudosSeries(SeriesMeta):
    points: list[KudosPoint]


class ErrorOut(BaseModel):
    detail: str | list[dict[str, object]]


class Health(BaseModel):
    status: str = Field(description="ok, or unavailable when the database does not answer.")
    reason: str | None = Field(default=None,
                               description="The driver error's type when unavailable.")

