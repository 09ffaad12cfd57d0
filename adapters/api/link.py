"""EX↔CX linkage: /api/v1/link/series, correlation, model, symmetry (ANALYTICS.md §6)."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from adapters.api.auth import Principal, require_scope
from adapters.api.cx_common import (
    READ_ERRORS,
    Inputs,
    barometer_inputs,
    strict_query,
    window,
)
from pulse.core.buckets import parse_key
from pulse.core.errors import Invalid
from pulse.core.model import Bucket
from pulse.cx.model import CxAggregateKind
from pulse.linkage import barometer
from pulse.linkage.mixed import mixed_model
from pulse.linkage.stats import correlate, decompose, lag_scan, methodology
from pulse.linkage.symmetry import LabelBucket, happy_label, symmetry

router = APIRouter(prefix="/api/v1/link", tags=["link"],
                   dependencies=[Depends(strict_query)])
READ = require_scope("analytics:read")
_LAGS = re.compile(r"^(-?\d+)\.\.(-?\d+)$")

READINGS = {
    "no_evidence": ("Pas de preuve que le pulse et la satisfaction client évoluent ensemble.",
                    "No evidence that the pulse and customer satisfaction move together."),
    "moves_with": ("Le pulse de l'équipe évolue avec la satisfaction client (corrélation, pas "
                   "causalité).", "The team's pulse moves with customer satisfaction "
                   "(correlation, not causation)."),
    "too_few_buckets": ("Pas assez de périodes éligibles pour afficher un résultat.",
                        "Not enough eligible periods to show a result."),
}


def _reading(code: str) -> dict[str, str]:
    fr, en = READINGS[code]
    return {"code": code, "fr": fr, "en": en}


def _inputs(request: Request, who: Principal, team_id: str | None, bucket: Bucket,
            cx_metric: CxAggregateKind, start: date | None, end: date | None) -> Inputs:
    try:
        return barometer_inputs(request, who.tenant_id, team_id, bucket, cx_metric,
                                *window(request, start, end, bucket))
    except Invalid as exc:
        raise HTTPException(422, str(exc)) from None


def _aligned(inputs: Inputs) -> dict[str, list[barometer.Aligned]]:
    return {t.id: barometer.align(inputs.ex.get(t.id, {}), inputs.cx.get(t.id, {}))
            for t in inputs.teams}


def _method(inputs: Inputs, bucket: Bucket, cx_metric: CxAggregateKind, **extra: Any
            ) -> dict[str, Any]:
    return methodology(str(bucket), inputs.tz, inputs.k_scores, inputs.k_cx,
                       cx_metric=str(cx_metric), ex_metric="pulse_mean",
                       unmapped_cx_ratings=inputs.unmapped, **extra)


@router.get("/series", responses=READ_ERRORS)
def series(request: Request, team_id: str | None = None, bucket: Bucket = Bucket.WEEK,
           ex_metric: str = "pulse_mean", cx_metric: CxAggregateKind = CxAggregateKind.CSAT_PCT,
           start: date | None = Query(None, alias="from"),
           end: date | None = Query(None, alias="to"),
           who: Principal = Depends(READ)) -> dict[str, Any]:
    """Aligned EX/CX rows per team with eligible_ex / eligible_cx flags."""
    if ex_metric != "pulse_mean":
        raise HTTPException(422, "ex_metric: only pulse_mean is linked for now")
    inputs = _inputs(request, who, team_id, bucket, cx_metric, start, end)
    return {"teams": [{"team_id": team, "rows": [asdict(r) for r in rows]}
                      for team, rows in _aligned(inputs).items()],
            "methodology": _method(inputs, bucket, cx_metric)}


def _max_lag(lags: str) -> int:
    m = _LAGS.match(lags.strip())
    if not m:
        raise HTTPException(422, "lags must look like -4..4")
    return max(abs(int(m[1])), abs(int(m[2])))


@router.get("/correlation", responses=READ_ERRORS)
def correlation(request: Request, scope: str = "org", bucket: Bucket = Bucket.WEEK,
                cx_metric: CxAggregateKind = CxAggregateKind.CSAT_PCT, lags: str = "-4..4",
                detrend: str = "none", start: date | None = Query(None, alias="from"),
                end: date | None = Query(None, alias="to"),
                who: Principal = Depends(READ)) -> dict[str, Any]:
    """scope=team:{id}: Pearson/Spearman + lag scan; scope=org: total / between / within."""
    if scope != "org" and not scope.startswith("team:"):
        raise HTTPException(422, "scope must be org or team:{id}")
    max_lag = _max_lag(lags)
    team_id = scope.removeprefix("team:") if scope != "org" else None
    inputs = _inputs(request, who, team_id, bucket, cx_metric, start, end)
    aligned = _aligned(inputs)
    method = _method(inputs, bucket, cx_metric, detrend=detrend)
    if team_id is None:
        d = decompose(barometer.panel(aligned))
        return {"scope": "org", "total": asdict(d.total), "between": asdict(d.between),
                "pooled_within": asdict(d.pooled_within), "n_obs": d.n_obs,
                "n_teams": d.n_teams, "notes": d.notes, "methodology": method}
    rows = aligned[team_id]
    xs, ys = barometer.eligible_values(rows)
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None and y is not None]
    try:
        c = correlate([p[0] for p in pairs], [p[1] for p in pairs], detrend=detrend)
        scan = lag_scan(xs, ys, max_lag=max_lag)
    except Invalid as exc:
        raise HTTPException(422, str(exc)) from None
    code = ("too_few_buckets" if not c.display else
            "moves_with" if c.significant else "no_evidence")
    return {
        "scope": scope, "team_id": team_id, "n": c.n, "n_eff": c.n_eff,
        "pearson": {"r": c.pearson_r, "ci95": c.pearson_ci95, "p": c.pearson_p},
        "spearman": {"rho": c.spearman_rho, "ci95": c.spearman_ci95, "p": c.spearman_p},
        "display": c.display, "significant": c.significant, "strength": c.strength,
        "flags": list(c.flags), "reading": _reading(code),
        "lag_scan": {"alpha_bonferroni": scan.alpha_bonferroni, "best_lag": scan.best_lag,
                     "direction": scan.direction, "confirmed_by_diff": scan.confirmed_by_diff,
                     "flags": list(scan.flags), "lags": [asdict(lag) for lag in scan.lags]},
        "methodology": method,
    }


@router.get("/model", responses=READ_ERRORS)
def model(request: Request, scope: str = "org", bucket: Bucket = Bucket.WEEK,
          cx_metric: CxAggregateKind = CxAggregateKind.CSAT_PCT,
          start: date | None = Query(None, alias="from"),
          end: date | None = Query(None, alias="to"),
          who: Principal = Depends(READ)) -> dict[str, Any]:
    """Random-intercept model, or null with the reason (needs ≥ 5 teams × ≥ 6 buckets)."""
    if scope != "org":
        raise HTTPException(422, "the model is fitted at scope=org only")
    inputs = _inputs(request, who, None, bucket, cx_metric, start, end)
    result, reason = mixed_model(barometer.panel(_aligned(inputs)))
    return {"model": asdict(result) if result else None, "reason": reason,
            "methodology": _method(inputs, bucket, cx_metric)}


@router.get("/symmetry", responses=READ_ERRORS)
def symmetry_view(request: Request, bucket: str, mode: str | None = None,
                  cx_metric: CxAggregateKind = CxAggregateKind.CSAT_PCT,
                  ex_threshold: float = 7.0, cx_threshold: float = 85.0,
                  who: Principal = Depends(READ)) -> dict[str, Any]:
    """Per team in one bucket: z_EX, z_CX, gap, S, quadrant and the persistence label."""
    try:
        kind, first_day, after = parse_key(bucket)
    except Invalid as exc:
        raise HTTPException(422, str(exc)) from None
    if mode not in (None, "cross_team", "baseline"):
        raise HTTPException(422, "mode must be cross_team or baseline")
    trailing = timedelta(weeks=12) if kind is Bucket.WEEK else timedelta(days=183)
    last_day = after - timedelta(days=1)
    inputs = _inputs(request, who, None, kind, cx_metric, first_day - trailing, last_day)
    aligned = {t: [r for r in rows if r.bucket <= bucket] for t, rows in _aligned(inputs).items()}
    current = {t: rows[-1] for t, rows in aligned.items()
               if rows and rows[-1].bucket == bucket and rows[-1].eligible}
    chosen = mode or ("cross_team" if len(current) >= 5 else "baseline")
    base = None
    if chosen == "baseline":
        hist = [r for rows in aligned.values() for r in rows if r.eligible]
        base = ([float(r.ex or 0) for r in hist], [float(r.cx or 0) for r in hist])
    rows = symmetry([(t, float(r.ex or 0), float(r.cx or 0)) for t, r in current.items()],
                    baseline=base, ex_thr=ex_threshold, cx_thr=cx_threshold)
    out = []
    for row in rows:
        history = [LabelBucket(r.ex, r.cx, r.n_ex if isinstance(r.n_ex, int) else 0, r.n_cx)
                   for r in aligned[row.team_id]]
        label = happy_label(history, k_ex=inputs.k_scores, k_cx=inputs.k_cx,
                            ex_thr=ex_threshold, cx_thr=cx_threshold)
        out.append({**asdict(row), "label": label.label, "label_reason": label.reason})
    return {"bucket": bucket, "mode": chosen, "teams": out,
            "methodology": _method(inputs, kind, cx_metric, ex_threshold=ex_threshold,
                                   cx_threshold=cx_threshold, symmetry_mode=chosen)}
