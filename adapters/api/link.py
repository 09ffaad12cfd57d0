"""EX↔CX linkage: /api/v1/link/series, correlation, model, symmetry (ANALYTICS.md §6)."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from adapters.api.auth import AnalyticsReader, RuntimeDep
from adapters.api.cx_common import READ_ERRORS, barometer
from adapters.api.cx_schemas import (
    LinkSeries,
    ModelOut,
    OrgCorrelation,
    SymmetryOut,
    TeamCorrelation,
)
from adapters.api.deps import SettingsDep, strict_query
from pulse.core.errors import Invalid
from pulse.core.model import Bucket
from pulse.cx.model import CxAggregateKind
from pulse.linkage import service as linkage
from pulse.linkage.stats import MIN_INTERPRET, methodology

router = APIRouter(prefix="/api/v1/link", tags=["link"],
                   dependencies=[Depends(strict_query)])
_LAGS = re.compile(r"^(-?\d+)\.\.(-?\d+)$")
FromQ = Annotated[date | None, Query(alias="from")]
ToQ = Annotated[date | None, Query(alias="to")]

READINGS = {
    "no_evidence": ("Pas de preuve que le pulse et la satisfaction client évoluent ensemble.",
                    "No evidence that the pulse and customer satisfaction move together."),
    "moves_with": ("Le pulse de l'équipe évolue avec la satisfaction client (corrélation, pas "
                   "causalité).", "The team's pulse moves with customer satisfaction "
                   "(correlation, not causation)."),
    "pulse_precedes": ("Le pulse de l'équipe tend à précéder la satisfaction client : ses "
                       "variations viennent avant celles des clients (corrélation décalée, pas "
                       "causalité).", "The team's pulse tends to precede customer satisfaction: "
                       "its changes come before the customers' (a lagged correlation, not "
                       "causation)."),
    "cx_precedes": ("La satisfaction client tend à précéder le pulse de l'équipe (corrélation "
                    "décalée, pas causalité).", "Customer satisfaction tends to precede the "
                    "team's pulse (a lagged correlation, not causation)."),
    "too_few_buckets": ("Pas assez de périodes éligibles pour afficher un résultat.",
                        "Not enough eligible periods to show a result."),
}
TENTATIVE = ("Lecture provisoire : moins de {n} périodes éligibles, le minimum documenté pour "
             "interpréter ; à confirmer avec plus de données. ",
             "Tentative reading: fewer than {n} eligible periods, the documented minimum for "
             "interpreting; to be confirmed with more data. ")


def _reading(code: str) -> dict[str, str]:
    base = code.removeprefix("tentative_")
    fr, en = READINGS[base]
    if base != code:  # below the documented minimum: said to be tentative, in words
        fr = TENTATIVE[0].format(n=MIN_INTERPRET) + fr
        en = TENTATIVE[1].format(n=MIN_INTERPRET) + en
    return {"code": code, "fr": fr, "en": en}


def _method(inputs: linkage.Inputs, bucket: Bucket, cx_metric: CxAggregateKind, **extra: Any
            ) -> dict[str, Any]:
    return methodology(str(bucket), inputs.tz, inputs.k_scores, inputs.k_cx,
                       cx_metric=str(cx_metric), ex_metric="pulse_mean",
                       unmapped_cx_ratings=inputs.unmapped, **extra)


@router.get("/series", response_model=LinkSeries, responses=READ_ERRORS)
def series(who: AnalyticsReader, runtime: RuntimeDep, settings: SettingsDep,
           team_id: str | None = None, bucket: Bucket = Bucket.WEEK,
           ex_metric: str = "pulse_mean", cx_metric: CxAggregateKind = CxAggregateKind.CSAT_PCT,
           start: FromQ = None, end: ToQ = None) -> LinkSeries:
    """Aligned EX/CX rows per team with eligible_ex / eligible_cx flags."""
    if ex_metric != "pulse_mean":
        raise HTTPException(422, "ex_metric: only pulse_mean is linked for now")
    inputs = barometer(runtime, settings, who.tenant_id, team_id, bucket, cx_metric, start, end)
    return LinkSeries.model_validate({
        "teams": [{"team_id": team, "rows": [asdict(r) for r in rows]}
                  for team, rows in linkage.aligned(inputs).items()],
        "methodology": _method(inputs, bucket, cx_metric)})


def _max_lag(lags: str) -> int:
    m = _LAGS.match(lags.strip())
    if not m:
        raise HTTPException(422, "lags must look like -4..4")
    return max(abs(int(m[1])), abs(int(m[2])))


@router.get("/correlation", response_model=OrgCorrelation | TeamCorrelation,
            responses=READ_ERRORS)
def correlation(who: AnalyticsReader, runtime: RuntimeDep, settings: SettingsDep,
                scope: str = "org", bucket: Bucket = Bucket.WEEK,
                cx_metric: CxAggregateKind = CxAggregateKind.CSAT_PCT, lags: str = "-4..4",
                detrend: str = "none", start: FromQ = None, end: ToQ = None,
                ) -> OrgCorrelation | TeamCorrelation:
    """scope=team:{id}: Pearson/Spearman + lag scan; scope=org: total / between / within."""
    if scope != "org" and not scope.startswith("team:"):
        raise HTTPException(422, "scope must be org or team:{id}")
    max_lag = _max_lag(lags)
    team_id = scope.removeprefix("team:") if scope != "org" else None
    inputs = barometer(runtime, settings, who.tenant_id, team_id, bucket, cx_metric, start, end)
    method = _method(inputs, bucket, cx_metric, detrend=detrend)
    if team_id is None:
        d = linkage.org_link(inputs)
        return OrgCorrelation.model_validate({
            "scope": "org", "total": asdict(d.total), "between": asdict(d.between),
            "pooled_within": asdict(d.pooled_within), "n_obs": d.n_obs, "n_teams": d.n_teams,
            "notes": d.notes, "methodology": method})
    try:
        link = linkage.team_link(linkage.aligned(inputs)[team_id], detrend, max_lag)
    except Invalid as exc:
        raise HTTPException(422, str(exc)) from None
    c, scan = link.correlation, link.lag_scan
    return TeamCorrelation.model_validate({
        "scope": scope, "team_id": team_id, "n": c.n, "n_eff": c.n_eff,
        "pearson": {"r": c.pearson_r, "ci95": c.pearson_ci95, "p": c.pearson_p},
        "spearman": {"rho": c.spearman_rho, "ci95": c.spearman_ci95, "p": c.spearman_p},
        "display": c.display, "significant": c.significant, "strength": c.strength,
        "flags": list(c.flags), "reading": _reading(link.reading),
        "lag_scan": {"alpha_bonferroni": scan.alpha_bonferroni, "best_lag": scan.best_lag,
                     "direction": scan.direction, "confirmed_by_diff": scan.confirmed_by_diff,
                     "flags": list(scan.flags), "lags": [asdict(lag) for lag in scan.lags]},
        "methodology": method})


@router.get("/model", response_model=ModelOut, responses=READ_ERRORS)
def model(who: AnalyticsReader, runtime: RuntimeDep, settings: SettingsDep,
          scope: str = "org", bucket: Bucket = Bucket.WEEK,
          cx_metric: CxAggregateKind = CxAggregateKind.CSAT_PCT,
          start: FromQ = None, end: ToQ = None) -> ModelOut:
    """Random-intercept model, or null with the reason (needs ≥ 5 teams × ≥ 6 buckets)."""
    if scope != "org":
        raise HTTPException(422, "the model is fitted at scope=org only")
    inputs = barometer(runtime, settings, who.tenant_id, None, bucket, cx_metric, start, end)
    result, reason = linkage.org_model(inputs)
    return ModelOut.model_validate({"model": asdict(result) if result else None,
                                    "reason": reason,
                                    "methodology": _method(inputs, bucket, cx_metric)})


@router.get("/symmetry", response_model=SymmetryOut, responses=READ_ERRORS)
def symmetry_view(who: AnalyticsReader, runtime: RuntimeDep, settings: SettingsDep,
                  bucket: str, mode: str | None = None,
                  cx_metric: CxAggregateKind = CxAggregateKind.CSAT_PCT,
                  ex_threshold: float = 7.0, cx_threshold: float = 85.0) -> SymmetryOut:
    """Per team in one bucket: z_EX, z_CX, gap, S, quadrant and the persistence label."""
    try:
        kind, first, last = linkage.symmetry_window(bucket)
    except Invalid as exc:
        raise HTTPException(422, str(exc)) from None
    if mode not in (None, "cross_team", "baseline"):
        raise HTTPException(422, "mode must be cross_team or baseline")
    inputs = barometer(runtime, settings, who.tenant_id, None, kind, cx_metric, first, last)
    chosen, rows = linkage.symmetry_view(inputs, bucket, mode, ex_threshold, cx_threshold)
    return SymmetryOut.model_validate({
        "bucket": bucket, "mode": chosen,
        "teams": [{**asdict(row), "label": label.label, "label_reason": label.reason}
                  for row, label in rows],
        "methodology": _method(inputs, kind, cx_metric, ex_threshold=ex_threshold,
                               cx_threshold=cx_threshold, symmetry_mode=chosen)})
