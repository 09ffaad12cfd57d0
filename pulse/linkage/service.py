"""Barometer use cases: EX and CX side by side per team and bucket, how they move together, and
the symmetry view (ANALYTICS.md §6). The API routes only translate requests and answers.

Privacy: the EX side comes from published cells (pulse.analytics.service.pulse_by_team: closed
weeks, k, complement and auditor applied at publication); nothing here reads one adviser's answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from pulse.analytics import service as analytics
from pulse.core.buckets import parse_key, zone
from pulse.core.errors import Invalid, NotFound
from pulse.core.model import Bucket, Team
from pulse.cx.model import CxAggregate, CxAggregateKind
from pulse.linkage import barometer
from pulse.linkage.barometer import Aligned, ExPoint
from pulse.linkage.mixed import MixedResult, mixed_model
from pulse.linkage.ports import BarometerStore
from pulse.linkage.stats import (
    MIN_INTERPRET,
    Correlation,
    Decomposition,
    LagScan,
    correlate,
    decompose,
    lag_scan,
)
from pulse.linkage.symmetry import Label, LabelBucket, SymmetryRow, happy_label, symmetry

MAX_SPAN = timedelta(days=366 * 5)
MIN_PARTICIPATION = 0.30  # ANALYTICS.md §3.3-A (PROPOSAL)
CROSS_TEAM_MIN = 5  # teams eligible in the bucket before z-scores are taken across teams


@dataclass
class Inputs:
    """Teams in scope and their CX (and EX) series, with what the methodology block cites."""

    teams: list[Team]
    cx: dict[str, dict[str, CxAggregate]]
    ex: dict[str, dict[str, ExPoint]]
    tz: str
    k_scores: int
    k_cx: int
    unmapped: int


def window(today: date, start: date | None, end: date | None, bucket: Bucket
           ) -> tuple[date, date]:
    """[from, to] as local dates; defaults to the last 26 weeks or 12 months; at most 5 years."""
    last = end or today
    first = start or (last - (timedelta(weeks=26) if bucket is Bucket.WEEK else
                              timedelta(days=365)))
    if last < first:
        raise Invalid("'to' is before 'from'")
    if last - first > MAX_SPAN:
        raise Invalid("at most 5 years at once")
    return first, last


def barometer_inputs(store: BarometerStore, tenant_id: str, team_id: str | None,
                     bucket: Bucket, kind: CxAggregateKind, first: date, last: date, *,
                     k_scores: int, k_cx: int, with_ex: bool = True) -> Inputs:
    """Teams in scope and their CX (and EX) series over [first, last] in the tenant timezone."""
    tenant = store.get_tenant(tenant_id)
    if tenant is None:
        raise NotFound("unknown tenant")
    tz = tenant.timezone
    teams = store.list_teams(tenant_id)
    if team_id is not None:
        teams = [t for t in teams if t.id == team_id]
        if not teams:
            raise NotFound(f"unknown team {team_id!r}")
    tzinfo = zone(tz)
    start = datetime.combine(first, time.min, tzinfo)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo)
    ids = [t.id for t in teams]
    cx = barometer.cx_series(store.cx_scores(tenant_id, start, end, ids, str(kind.metric)),
                             tz, bucket, kind, k_cx)
    ex = ex_series(store, tenant_id, ids, bucket, first, last, tz) if with_ex else {}
    unmapped = store.cx_resolution_counts(tenant_id).get("unmapped", 0)
    return Inputs(teams, cx, ex, tz, k_scores, k_cx, unmapped)


def ex_series(store: BarometerStore, tenant_id: str, team_ids: list[str], bucket: Bucket,
              first: date, last: date, tz: str) -> dict[str, dict[str, ExPoint]]:
    """The teams' EX series from published cells (one query for all of them); a bucket is
    eligible when published, shown and participation ≥ 30 % (when known)."""
    out: dict[str, dict[str, ExPoint]] = {}
    series = analytics.pulse_by_team(store, tenant_id, team_ids, bucket, first, last, tz=tz)
    for team, points in series.items():
        out[team] = {}
        for b in points:
            shown = b.value is not None and not b.suppressed
            enough = b.participation is None or b.participation >= MIN_PARTICIPATION
            n = b.n if b.n is not None else "withheld"
            out[team][b.bucket] = ExPoint(b.value if shown else None, n, shown and enough)
    return out


def aligned(inputs: Inputs) -> dict[str, list[Aligned]]:
    """Per team, EX and CX rows bucket by bucket with their eligibility flags."""
    return {t.id: barometer.align(inputs.ex.get(t.id, {}), inputs.cx.get(t.id, {}))
            for t in inputs.teams}


@dataclass(frozen=True)
class TeamLink:
    """One team's correlation, its lag scan and the reading to show."""

    correlation: Correlation
    lag_scan: LagScan
    reading: str  # too_few_buckets, or [tentative_] + moves_with|no_evidence|*_precedes


def team_link(rows: list[Aligned], detrend: str, max_lag: int) -> TeamLink:
    """Pearson/Spearman over the team's eligible buckets, and the lag scan; Invalid on bad
    parameters."""
    xs, ys = barometer.eligible_values(rows)
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None and y is not None]
    c = correlate([p[0] for p in pairs], [p[1] for p in pairs], detrend=detrend)
    scan = lag_scan(xs, ys, max_lag=max_lag)
    return TeamLink(c, scan, reading_of(c, scan))


def reading_of(c: Correlation, scan: LagScan) -> str:
    """The reading's code: what the numbers allow one to say, in words (ANALYTICS.md §3.3-B).

    Below MIN_SHOW buckets nothing is said; below MIN_INTERPRET (the documented minimum for
    interpreting) every reading is prefixed "tentative_"; a confirmed lead says which side
    tends to precede the other, never that it causes it.
    """
    if not c.display:
        return "too_few_buckets"
    if scan.direction == "ex_leads":
        code = "pulse_precedes"
    elif scan.direction == "cx_leads":
        code = "cx_precedes"
    else:
        code = "moves_with" if c.significant else "no_evidence"
    lag_thin = code.endswith("precedes") and "insufficient_n" in scan.flags
    return f"tentative_{code}" if c.n < MIN_INTERPRET or lag_thin else code


def org_link(inputs: Inputs) -> Decomposition:
    """Total, between-team and pooled within-team correlation over every team."""
    return decompose(barometer.panel(aligned(inputs)))


def org_model(inputs: Inputs) -> tuple[MixedResult | None, str | None]:
    """The random-intercept model, or None with the reason (needs ≥ 5 teams × ≥ 6 buckets)."""
    return mixed_model(barometer.panel(aligned(inputs)))


def symmetry_window(bucket_key: str) -> tuple[Bucket, date, date]:
    """(kind, first day, last day): the bucket and the trailing history its label needs."""
    kind, first_day, after = parse_key(bucket_key)
    trailing = timedelta(weeks=12) if kind is Bucket.WEEK else timedelta(days=183)
    return kind, first_day - trailing, after - timedelta(days=1)


def symmetry_view(inputs: Inputs, bucket_key: str, mode: str | None, ex_threshold: float,
                  cx_threshold: float) -> tuple[str, list[tuple[SymmetryRow, Label]]]:
    """The mode used (cross_team with ≥ 5 eligible teams, else baseline, unless asked) and,
    per team eligible in the bucket, its symmetry row and persistence label."""
    rows_of = {t: [r for r in rows if r.bucket <= bucket_key]
               for t, rows in aligned(inputs).items()}
    current = {t: rows[-1] for t, rows in rows_of.items()
               if rows and rows[-1].bucket == bucket_key and rows[-1].eligible}
    chosen = mode or ("cross_team" if len(current) >= CROSS_TEAM_MIN else "baseline")
    base = None
    if chosen == "baseline":
        hist = [r for rows in rows_of.values() for r in rows if r.eligible]
        base = ([float(r.ex or 0) for r in hist], [float(r.cx or 0) for r in hist])
    table = symmetry([(t, float(r.ex or 0), float(r.cx or 0)) for t, r in current.items()],
                     baseline=base, ex_thr=ex_threshold, cx_thr=cx_threshold)
    out = []
    for row in table:
        history = [LabelBucket(r.ex, r.cx, r.n_ex if isinstance(r.n_ex, int) else 0, r.n_cx)
                   for r in rows_of[row.team_id]]
        out.append((row, happy_label(history, k_ex=inputs.k_scores, k_cx=inputs.k_cx,
                                     ex_thr=ex_threshold, cx_thr=cx_threshold)))
    return chosen, out
