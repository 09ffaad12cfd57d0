"""The barometer as use cases: EX and CX inputs for a period, and what /api/v1/link/* reports.

These functions compute exactly what adapters/api/link.py answers for the same period (the
dashboard's browser test compares the two), so a page and the API never disagree. EX points come
from pulse.analytics (k threshold and complementary suppression applied there); a bucket is
eligible when shown, with participation ≥ 30 % when known, and with n_cx ≥ k_cx.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from scipy import stats

from pulse.analytics import service as analytics
from pulse.core.buckets import parse_key, zone
from pulse.core.model import Bucket, Team
from pulse.cx.model import CxAggregate, CxAggregateKind
from pulse.cx.ports import CxRepository
from pulse.linkage import barometer
from pulse.linkage.barometer import Aligned, ExPoint
from pulse.linkage.stats import Correlation, Decomposition, LagScan, correlate, decompose, lag_scan
from pulse.linkage.symmetry import LabelBucket, SymmetryRow, happy_label, symmetry
from pulse.ports import Store

MIN_PARTICIPATION = 0.30  # ANALYTICS.md §3.3-A (PROPOSAL)


class LinkStore(Store, CxRepository, Protocol):
    """Pulse answers (EX) and customer ratings (CX)."""


@dataclass
class Inputs:
    teams: list[Team]
    cx: dict[str, dict[str, CxAggregate]]
    ex: dict[str, dict[str, ExPoint]]
    tz: str
    k_scores: int
    k_cx: int
    unmapped: int


def default_window(today: date, bucket: Bucket) -> tuple[date, date]:
    """The API's default period: the last 26 weeks, or 12 months, up to today."""
    span = timedelta(weeks=26) if bucket is Bucket.WEEK else timedelta(days=365)
    return today - span, today


def ex_points(store: Store, tenant_id: str, team_id: str, bucket: Bucket, first: date,
              last: date, tz: str, k_scores: int) -> dict[str, ExPoint]:
    """The team's EX series; eligible when shown and participation ≥ 30 % (when known)."""
    out = {}
    for b in analytics.team_series(store, tenant_id, team_id, bucket, first, last,
                                   k=k_scores, tz=tz):
        shown = b.value is not None and not b.suppressed
        enough = b.participation is None or b.participation >= MIN_PARTICIPATION
        n = b.n if b.n is not None else "withheld"
        out[b.bucket] = ExPoint(b.value if shown else None, n, shown and enough)
    return out


def inputs(store: LinkStore, tenant_id: str, tz: str, team_id: str | None, bucket: Bucket,
           kind: CxAggregateKind, first: date, last: date, *, k_scores: int, k_cx: int
           ) -> Inputs:
    """Teams in scope (all, or one) and their CX and EX series over [first, last]."""
    teams = store.list_teams(tenant_id)
    if team_id is not None:
        teams = [t for t in teams if t.id == team_id]
    tzinfo = zone(tz)
    start = datetime.combine(first, time.min, tzinfo)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo)
    ids = [t.id for t in teams]
    cx = barometer.cx_series(store.cx_scores(tenant_id, start, end, ids, str(kind.metric)),
                             tz, bucket, kind, k_cx)
    ex = {t.id: ex_points(store, tenant_id, t.id, bucket, first, last, tz, k_scores)
          for t in teams}
    unmapped = store.cx_resolution_counts(tenant_id).get("unmapped", 0)
    return Inputs(teams, cx, ex, tz, k_scores, k_cx, unmapped)


def aligned(data: Inputs) -> dict[str, list[Aligned]]:
    """Each team's EX and CX rows over consecutive buckets."""
    return {t.id: barometer.align(data.ex.get(t.id, {}), data.cx.get(t.id, {}))
            for t in data.teams}


@dataclass(frozen=True)
class TeamLink:
    """/link/correlation?scope=team:{id}: the correlation, the lag scan and the reading code."""

    correlation: Correlation
    scan: LagScan
    reading: str  # too_few_buckets | moves_with | no_evidence


def team_link(rows: Sequence[Aligned], max_lag: int = 4, detrend: str = "none") -> TeamLink:
    """Pearson/Spearman over the eligible buckets and r by lag; Invalid on bad parameters."""
    xs, ys = barometer.eligible_values(rows)
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None and y is not None]
    c = correlate([p[0] for p in pairs], [p[1] for p in pairs], detrend=detrend)
    scan = lag_scan(xs, ys, max_lag=max_lag)
    code = ("too_few_buckets" if not c.display else
            "moves_with" if c.significant else "no_evidence")
    return TeamLink(c, scan, code)


def org_link(rows: dict[str, list[Aligned]]) -> Decomposition:
    """/link/correlation?scope=org: total, between-team and pooled within-team r."""
    return decompose(barometer.panel(rows))


def critical_r(n: int, alpha: float) -> float | None:
    """|r| above which a lag is significant at the Bonferroni-corrected α, for n pairs."""
    if n < 4:
        return None
    t = float(stats.t.ppf(1 - alpha / 2, n - 2))
    return float(t / (n - 2 + t * t) ** 0.5)


@dataclass(frozen=True)
class SymmetryTeam:
    row: SymmetryRow
    label: bool | None
    label_reason: str


@dataclass(frozen=True)
class SymmetryView:
    """/link/symmetry?bucket=…: each eligible team's quadrant, z-scores and the label."""

    bucket: str
    mode: str  # cross_team | baseline
    teams: list[SymmetryTeam]
    inputs: Inputs


def symmetry_window(bucket_key: str) -> tuple[Bucket, date, date]:
    """(kind, first day, last day) the symmetry of one bucket reads: it and the trailing ones."""
    kind, first_day, after = parse_key(bucket_key)
    trailing = timedelta(weeks=12) if kind is Bucket.WEEK else timedelta(days=183)
    return kind, first_day - trailing, after - timedelta(days=1)


def symmetry_view(store: LinkStore, tenant_id: str, tz: str, bucket_key: str,
                  kind: CxAggregateKind, *, k_scores: int, k_cx: int, mode: str | None = None,
                  ex_threshold: float = 7.0, cx_threshold: float = 85.0) -> SymmetryView:
    """Quadrant, z-scores, gap, S and the persistence label per team for one bucket."""
    bucket, first, last = symmetry_window(bucket_key)
    data = inputs(store, tenant_id, tz, None, bucket, kind, first, last, k_scores=k_scores,
                  k_cx=k_cx)
    rows = {t: [r for r in rs if r.bucket <= bucket_key] for t, rs in aligned(data).items()}
    current = {t: rs[-1] for t, rs in rows.items()
               if rs and rs[-1].bucket == bucket_key and rs[-1].eligible}
    chosen = mode or ("cross_team" if len(current) >= 5 else "baseline")
    base = None
    if chosen == "baseline":
        hist = [r for rs in rows.values() for r in rs if r.eligible]
        base = ([float(r.ex or 0) for r in hist], [float(r.cx or 0) for r in hist])
    out = []
    for row in symmetry([(t, float(r.ex or 0), float(r.cx or 0)) for t, r in current.items()],
                        baseline=base, ex_thr=ex_threshold, cx_thr=cx_threshold):
        history = [LabelBucket(r.ex, r.cx, r.n_ex if isinstance(r.n_ex, int) else 0, r.n_cx)
                   for r in rows[row.team_id]]
        label = happy_label(history, k_ex=k_scores, k_cx=k_cx, ex_thr=ex_threshold,
                            cx_thr=cx_threshold)
        out.append(SymmetryTeam(row, label.label, label.reason))
    return SymmetryView(bucket_key, chosen, out, data)
