"""Plain view models the pages draw: numbers already decided (shown or hidden, and why).

Templates and charts read only these; where the numbers come from is data.py's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One published number, or why there is none (reason: below_threshold, complement…)."""

    value: float | None
    n: int | str | None = None
    reason: str | None = None  # None when shown

    @property
    def shown(self) -> bool:
        return self.value is not None and self.reason is None


@dataclass(frozen=True)
class TeamRef:
    id: str
    name: str
    depth: int = 0  # 0 for the top of the reader's tree
    parent_id: str | None = None


@dataclass(frozen=True)
class HeatRow:
    team: TeamRef
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Heatmap:
    """Teams × columns (weeks or pillars): rows in tree order."""

    columns: tuple[str, ...]  # bucket keys or pillar codes
    rows: tuple[HeatRow, ...]
    scale: str  # "ten" (0–10) or "pct" (0–1)


@dataclass(frozen=True)
class Overview:
    weeks: tuple[str, ...]
    pulse: Heatmap
    participation: Heatmap
    pillars: Heatmap
    pillars_month: str
    tree: tuple[TeamRef, ...]


@dataclass(frozen=True)
class TrendPoint:
    bucket: str
    value: float | None
    low: float | None  # 95 % confidence band, shown with the value only
    high: float | None
    n: int | str | None
    reason: str | None
    participation: float | None


@dataclass(frozen=True)
class EnpsPoint:
    bucket: str
    value: float | None
    se: float | None
    n: int | str | None
    reason: str | None


@dataclass(frozen=True)
class KudosPoint:
    bucket: str
    received: int  # withheld weeks are left out of the chart
    recipients: int | str | None  # as published: a count, "<k", or None


@dataclass(frozen=True)
class CategoryCount:
    category: str
    count: int


@dataclass(frozen=True)
class TeamPage:
    team: TeamRef
    children: tuple[TeamRef, ...]
    trend: tuple[TrendPoint, ...]
    pillars: Heatmap  # pillars × months, one row per month, transposed in the template
    enps: tuple[EnpsPoint, ...]
    kudos: tuple[KudosPoint, ...]
    kudos_values: tuple[tuple[str, int], ...]
    irritants: tuple[CategoryCount, ...]
    irritants_hidden: bool  # fewer than k_comments distinct reporters
    k_scores: int
    k_comments: int


@dataclass(frozen=True)
class LagBar:
    k: int
    n: int
    r: float | None
    low: float | None
    high: float | None
    p: float | None
    significant: bool
    critical: float | None  # |r| at the Bonferroni α for this n (the line on the chart)


@dataclass(frozen=True)
class QuadrantPoint:
    team: TeamRef
    ex: float
    cx: float
    z_ex: float | None
    z_cx: float | None
    gap: float | None
    symmetry: float | None
    quadrant: str
    label: bool | None
    label_reason: str


@dataclass(frozen=True)
class TeamLink:
    """One team's correlation with its customers, and which side leads."""

    n: int
    pearson_r: float | None
    pearson_ci: tuple[float, float] | None
    pearson_p: float | None
    spearman_rho: float | None
    display: bool
    significant: bool
    strength: str | None
    flags: tuple[str, ...]
    reading: str  # too_few_buckets | moves_with | no_evidence
    lags: tuple[LagBar, ...]
    alpha_bonferroni: float
    best_lag: int | None
    direction: str  # ex_leads | cx_leads | concurrent | none


@dataclass(frozen=True)
class Barometer:
    bucket: str  # week or month
    first: str  # ISO dates of the period
    last: str
    team: TeamRef | None  # the team of the correlation and the lag scan
    teams: tuple[TeamRef, ...]  # teams with CX data, for the picker
    link: TeamLink | None
    org_total: float | None
    org_between: float | None
    org_within: float | None
    org_n_obs: int
    org_n_teams: int
    org_between_shown: bool
    symmetry_bucket: str | None
    symmetry_mode: str | None
    quadrant: tuple[QuadrantPoint, ...]
    ex_threshold: float
    cx_threshold: float
    methodology: dict[str, object] = field(default_factory=dict)
    buckets: tuple[str, ...] = ()  # buckets of the period, for the symmetry picker


@dataclass(frozen=True)
class IrritantCard:
    id: str
    category: str
    status: str
    text: str
    team: TeamRef | None
    owner: TeamRef | None
    owner_note: str | None
    period: str
    next_statuses: tuple[str, ...]  # what the lifecycle allows from here


@dataclass(frozen=True)
class Board:
    columns: tuple[tuple[str, tuple[IrritantCard, ...]], ...]  # status → cards
    hidden_teams: tuple[TeamRef, ...]  # fewer than k_comments distinct reporters
    k_comments: int


@dataclass(frozen=True)
class MyAnswer:
    day: str
    question: str
    value: int
    top: int
