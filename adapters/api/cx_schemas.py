"""Response models of the CX routes (ingest, CSAT aggregates) and the EX↔CX linkage routes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class RejectedRow(BaseModel):
    row: int = Field(description="Data row (CSV, 1 = first data row) or record index (JSON).")
    code: str = Field(description="off_scale, bad_date, missing_value, invalid_record…")
    error: str


class IngestReport(BaseModel):
    """What one ingest request did; keys absent from an answer are absent here too."""

    dry_run: bool
    received: int
    inserted: int
    updated: int
    duplicates: int
    stale: int
    rejected_count: int
    rejected: list[RejectedRow] = Field(description="The first 200 rejected rows.")
    rejected_by_reason: dict[str, int]
    rejected_listed: int
    unmapped: int = Field(description="Stored without a team: counted, never dropped.")
    unmapped_by_reason: dict[str, int]
    teams_created: list[str]
    notes: dict[str, Any]
    batch_id: str | None = Field(default=None, description="null for a dry run.")
    replayed: bool | None = Field(default=None,
                                  description="Present (true) when the report is replayed.")
    file_sha256: str | None = Field(default=None, description="Uploads only.")


class Linked(BaseModel):
    status: str


class CxStatus(BaseModel):
    by_resolution: dict[str, int]
    unmapped: int
    total: int


class CsatPoint(BaseModel):
    bucket: str
    value: float | None
    ci95: tuple[float, float] | None
    n_ratings: int
    eligible: bool


class CsatTeam(BaseModel):
    team_id: str
    team_name: str
    series: list[CsatPoint]


class CsatSeries(BaseModel):
    metric: str
    bucket: str
    teams: list[CsatTeam]
    unmapped: int
    methodology: dict[str, Any]


class AlignedRow(BaseModel):
    bucket: str
    ex: float | None = Field(description="Pulse mean 0–10; null when not shown.")
    n_ex: int | str = Field(description='Respondents, "<k" below the threshold, or "withheld".')
    eligible_ex: bool
    cx: float | None
    cx_ci95: tuple[float, float] | None
    n_cx: int
    eligible_cx: bool


class TeamRows(BaseModel):
    team_id: str
    rows: list[AlignedRow]


class LinkSeries(BaseModel):
    teams: list[TeamRows]
    methodology: dict[str, Any]


class Estimate(BaseModel):
    r: float | None
    p: float | None
    n: int
    df: int | None = None
    t: float | None = None
    display: bool = True
    flags: list[str] = Field(default_factory=list)


class OrgCorrelation(BaseModel):
    scope: str = Field(description="org")
    total: Estimate
    between: Estimate
    pooled_within: Estimate
    n_obs: int
    n_teams: int
    notes: dict[str, str]
    methodology: dict[str, Any]


class Pearson(BaseModel):
    r: float | None
    ci95: tuple[float, float] | None
    p: float | None


class Spearman(BaseModel):
    rho: float | None
    ci95: tuple[float, float] | None
    p: float | None


class Reading(BaseModel):
    code: str = Field(description="no_evidence, moves_with or too_few_buckets.")
    fr: str
    en: str


class LagOut(BaseModel):
    k: int = Field(description="r_k = corr(EX_t, CX_t+k); k > 0: EX leads.")
    n: int
    r: float | None
    p: float | None
    ci95: tuple[float, float] | None
    significant: bool = Field(description="After Bonferroni.")


class LagScanOut(BaseModel):
    alpha_bonferroni: float
    best_lag: int | None
    direction: str = Field(description="ex_leads, cx_leads, concurrent or none.")
    confirmed_by_diff: bool | None
    flags: list[str]
    lags: list[LagOut]


class TeamCorrelation(BaseModel):
    scope: str = Field(description="team:{id}")
    team_id: str
    n: int
    n_eff: float | None
    pearson: Pearson
    spearman: Spearman
    display: bool
    significant: bool
    strength: str | None
    flags: list[str]
    reading: Reading
    lag_scan: LagScanOut
    methodology: dict[str, Any]


class MixedModel(BaseModel):
    beta_within: float
    se_within: float
    p_within: float
    beta_between: float
    se_between: float
    p_between: float
    intercept: float
    tau2: float
    sigma2: float
    n_teams: int
    n_obs: int
    converged: bool


class ModelOut(BaseModel):
    model: MixedModel | None = Field(description="null when the data cannot support it.")
    reason: str | None
    methodology: dict[str, Any]


class SymmetryTeam(BaseModel):
    team_id: str
    ex: float
    cx: float
    z_ex: float | None
    z_cx: float | None
    gap: float | None
    symmetry_score: float | None
    quadrant: str
    label: bool | None = Field(description='"Équipe heureuse, Clients heureux"; null: too '
                                           "few eligible buckets.")
    label_reason: str


class SymmetryOut(BaseModel):
    bucket: str
    mode: str = Field(description="cross_team or baseline.")
    teams: list[SymmetryTeam]
    methodology: dict[str, Any]
