"""Random-intercept model CX ~ EX_within + EX_between (ANALYTICS.md §3.3-E), via statsmodels."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import statsmodels.formula.api as smf

from pulse.linkage.stats import PanelRow

MIN_TEAMS = 5
MIN_BUCKETS = 6


@dataclass(frozen=True)
class MixedResult:
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


@dataclass(frozen=True)
class FixedEffects:
    slope: float
    se: float
    p: float


def _frame(rows: Sequence[PanelRow]) -> pd.DataFrame:
    df = pd.DataFrame([{"team": r.team_id, "bucket": r.bucket, "ex": r.ex, "cx": r.cx}
                       for r in rows])
    df["ex_between"] = df.groupby("team")["ex"].transform("mean")
    df["ex_within"] = df["ex"] - df["ex_between"]
    return df


def eligible_panel(rows: Sequence[PanelRow]) -> tuple[list[PanelRow], str | None]:
    """Rows of teams with ≥ 6 buckets, or a reason when fewer than 5 such teams remain."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.team_id] = counts.get(row.team_id, 0) + 1
    keep = {t for t, c in counts.items() if c >= MIN_BUCKETS}
    if len(keep) < MIN_TEAMS:
        return [], (f"needs at least {MIN_TEAMS} teams with {MIN_BUCKETS} eligible buckets; "
                    f"found {len(keep)}")
    return [r for r in rows if r.team_id in keep], None


def mixed_model(rows: Sequence[PanelRow]) -> tuple[MixedResult | None, str | None]:
    """REML fit of cx ~ ex_within + ex_between with a random team intercept, or (None, reason)."""
    kept, reason = eligible_panel(rows)
    if reason:
        return None, reason
    df = _frame(kept)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = smf.mixedlm("cx ~ ex_within + ex_between", data=df, groups=df["team"]).fit(
                reml=True)
        except (ValueError, ArithmeticError, RuntimeError) as exc:
            return None, f"model did not fit: {exc}"
    converged = bool(getattr(fit, "converged", True)) and not any(
        "converge" in str(w.message).lower() for w in caught)
    return MixedResult(
        beta_within=float(fit.fe_params["ex_within"]), se_within=float(fit.bse["ex_within"]),
        p_within=float(fit.pvalues["ex_within"]),
        beta_between=float(fit.fe_params["ex_between"]), se_between=float(fit.bse["ex_between"]),
        p_between=float(fit.pvalues["ex_between"]), intercept=float(fit.fe_params["Intercept"]),
        tau2=float(fit.cov_re.iloc[0, 0]), sigma2=float(fit.scale),
        n_teams=int(df["team"].nunique()), n_obs=len(df), converged=converged,
    ), None


def fixed_effects_slope(rows: Sequence[PanelRow]) -> FixedEffects:
    """OLS cx ~ ex + C(team): the within-team slope, for cross-checking βW."""
    df = _frame(rows)
    fit = smf.ols("cx ~ ex + C(team)", data=df).fit()
    return FixedEffects(float(fit.params["ex"]), float(fit.bse["ex"]), float(fit.pvalues["ex"]))
