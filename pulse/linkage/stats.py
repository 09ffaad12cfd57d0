"""EX↔CX linkage statistics (ANALYTICS.md §3.3 B–D): correlations, lag scan, between/within.

Only team × bucket series go in here, never per-adviser data. scipy does the distributions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from pulse.core.errors import Invalid

FORMULAS_VERSION = "miroir-link-1"
MIN_COMPUTE = 6  # below: r is not computed
MIN_SHOW = 8  # below: computed but not displayed
MIN_INTERPRET = 12  # below: displayed with the insufficient_n flag
MIN_TEAMS_BETWEEN = 10  # between-team r is shown only from 10 teams
ALPHA = 0.05


@dataclass(frozen=True)
class Correlation:
    n: int
    n_eff: float | None
    pearson_r: float | None
    pearson_p: float | None
    pearson_ci95: tuple[float, float] | None
    spearman_rho: float | None
    spearman_p: float | None
    spearman_ci95: tuple[float, float] | None
    display: bool
    significant: bool
    strength: str | None  # weak / moderate / strong, only when the CI excludes 0
    flags: tuple[str, ...] = ()


def _fisher_ci(r: float, n: int, se: float) -> tuple[float, float]:
    z = math.atanh(max(min(r, 1 - 1e-15), -1 + 1e-15))
    zc = float(stats.norm.ppf(0.975))
    return math.tanh(z - zc * se), math.tanh(z + zc * se)


def _lag1(values: np.ndarray) -> float:
    if len(values) < 3 or np.std(values[:-1]) == 0 or np.std(values[1:]) == 0:
        return 0.0
    return float(np.corrcoef(values[:-1], values[1:])[0, 1])


def effective_n(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Bartlett-type n_eff = n(1 − φxφy)/(1 + φxφy) from lag-1 autocorrelations."""
    a, b = np.asarray(x, float), np.asarray(y, float)
    prod = _lag1(a) * _lag1(b)
    return len(a) * (1 - prod) / (1 + prod)


def _strength(r: float) -> str | None:
    size = abs(r)
    for bound, word in ((0.5, "strong"), (0.3, "moderate"), (0.1, "weak")):
        if size >= bound:
            return word
    return None


def correlate(x: Sequence[float], y: Sequence[float], detrend: str = "none") -> Correlation:
    """Pearson and Spearman with Fisher-z 95 % CIs, p, n and the §3.3-B flags."""
    if len(x) != len(y):
        raise Invalid("EX and CX series have different lengths")
    if detrend not in ("none", "diff"):
        raise Invalid("detrend must be none or diff")
    a, b = np.asarray(x, float), np.asarray(y, float)
    if detrend == "diff":
        a, b = np.diff(a), np.diff(b)
    n = len(a)
    flags: list[str] = []
    if n < MIN_INTERPRET:
        flags.append("insufficient_n")
    if n < MIN_COMPUTE or np.std(a) == 0 or np.std(b) == 0:
        if n >= MIN_COMPUTE:
            flags.append("constant_series")
        return Correlation(n, None, None, None, None, None, None, None, False, False, None,
                           tuple(flags))
    pr = stats.pearsonr(a, b)
    r, p = float(pr.statistic), float(pr.pvalue)
    ci = pr.confidence_interval(0.95)
    sr = stats.spearmanr(a, b)
    rho, rho_p = float(sr.statistic), float(sr.pvalue)
    # Bonett–Wright SE for Spearman's rho (ANALYTICS.md §3.3-B).
    rho_ci = _fisher_ci(rho, n, math.sqrt((1 + rho * rho / 2) / (n - 3)))
    if (r > 0) != (rho > 0) or (p < ALPHA) != (rho_p < ALPHA):
        flags.append("method_disagreement")
    n_eff = effective_n(a, b)
    if n_eff < 0.8 * n:
        flags.append("autocorrelated")
    significant = p < ALPHA
    excludes_zero = ci.low > 0 or ci.high < 0
    return Correlation(n, n_eff, r, p, (float(ci.low), float(ci.high)), rho, rho_p, rho_ci,
                       n >= MIN_SHOW, significant, _strength(r) if excludes_zero else None,
                       tuple(flags))


@dataclass(frozen=True)
class Lag:
    k: int
    n: int
    r: float | None
    p: float | None
    ci95: tuple[float, float] | None
    significant: bool  # after Bonferroni


@dataclass(frozen=True)
class LagScan:
    lags: tuple[Lag, ...]
    alpha_bonferroni: float
    best_lag: int | None
    direction: str  # ex_leads | cx_leads | concurrent | none
    confirmed_by_diff: bool | None
    flags: tuple[str, ...] = ()


def _pairs(x: Sequence[float | None], y: Sequence[float | None], k: int) -> tuple[list[float],
                                                                                  list[float]]:
    """(x_t, y_{t+k}) over positions where both exist; k > 0 means x (EX) leads."""
    a: list[float] = []
    b: list[float] = []
    for t in range(len(x)):
        u = t + k
        if 0 <= u < len(y):
            xv, yv = x[t], y[u]
            if xv is not None and yv is not None:
                a.append(float(xv))
                b.append(float(yv))
    return a, b


def _lag(x: Sequence[float | None], y: Sequence[float | None], k: int, alpha: float) -> Lag:
    a, b = _pairs(x, y, k)
    if len(a) < 4 or np.std(a) == 0 or np.std(b) == 0:
        return Lag(k, len(a), None, None, None, False)
    res = stats.pearsonr(a, b)
    ci = res.confidence_interval(0.95)
    p = float(res.pvalue)
    return Lag(k, len(a), float(res.statistic), p, (float(ci.low), float(ci.high)), p < alpha)


def lag_scan(
    x: Sequence[float | None], y: Sequence[float | None], max_lag: int = 4
) -> LagScan:
    """r_k = corr(EX_t, CX_{t+k}) for k in −K..K over consecutive buckets (None = gap)."""
    if len(x) != len(y):
        raise Invalid("EX and CX series have different lengths")
    if not 0 <= max_lag <= 12:
        raise Invalid("max_lag must be between 0 and 12")
    alpha = ALPHA / (2 * max_lag + 1)
    lags = tuple(_lag(x, y, k, alpha) for k in range(-max_lag, max_lag + 1))
    by_k = {lag.k: lag for lag in lags}
    candidates = [lag for lag in lags if lag.significant and lag.r is not None and lag.r > 0]
    flags: list[str] = []
    if any(lag.n < MIN_INTERPRET for lag in lags):
        flags.append("insufficient_n")
    if not candidates:
        return LagScan(lags, alpha, None, "none", None, tuple(flags))
    best = min(candidates, key=lambda lag: lag.p if lag.p is not None else 1.0)
    mirror = by_k.get(-best.k)
    beats_mirror = mirror is None or mirror.r is None or (best.r or 0) > mirror.r
    # Rule 3: the first-differenced series must show the same lagged link.
    dx = [None if a is None or b is None else b - a for a, b in itertools.pairwise(x)]
    dy = [None if a is None or b is None else b - a for a, b in itertools.pairwise(y)]
    diff = _lag(dx, dy, best.k, alpha)
    confirmed = bool(diff.significant and diff.r is not None and diff.r > 0)
    if best.k == 0:
        direction = "concurrent"
    elif beats_mirror and confirmed:
        direction = "ex_leads" if best.k > 0 else "cx_leads"
    else:
        direction = "none"
        flags.append("lead_not_confirmed")
    return LagScan(lags, alpha, best.k, direction, confirmed, tuple(flags))


@dataclass(frozen=True)
class Estimate:
    r: float | None
    p: float | None
    n: int
    df: int | None = None
    t: float | None = None
    display: bool = True
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decomposition:
    total: Estimate
    between: Estimate
    pooled_within: Estimate
    n_obs: int
    n_teams: int
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PanelRow:
    team_id: str
    bucket: str
    ex: float
    cx: float


def _team_means(rows: Sequence[PanelRow]) -> dict[str, tuple[float, float]]:
    groups: dict[str, list[PanelRow]] = {}
    for row in rows:
        groups.setdefault(row.team_id, []).append(row)
    return {t: (float(np.mean([r.ex for r in g])), float(np.mean([r.cx for r in g])))
            for t, g in groups.items()}


def decompose(rows: Sequence[PanelRow]) -> Decomposition:
    """Total (naïve), between-team and pooled within-team r; within uses df = N − J − 1."""
    means = _team_means(rows)
    n_obs, n_teams = len(rows), len(means)
    total = Estimate(None, None, n_obs, flags=("insufficient_n",))
    if n_obs >= 3:
        res = stats.pearsonr([r.ex for r in rows], [r.cx for r in rows])
        total = Estimate(float(res.statistic), float(res.pvalue), n_obs, n_obs - 2,
                         flags=("mixes_between_and_within",))
    between = Estimate(None, None, n_teams, display=False, flags=("too_few_teams",))
    if n_teams >= 3:
        exs, cxs = zip(*means.values(), strict=True)
        res = stats.pearsonr(exs, cxs)
        show = n_teams >= MIN_TEAMS_BETWEEN
        between = Estimate(float(res.statistic), float(res.pvalue), n_teams, n_teams - 2,
                           display=show, flags=() if show else ("too_few_teams",))
    df = n_obs - n_teams - 1
    within = Estimate(None, None, n_obs, df, flags=("insufficient_n",))
    ex_w = [r.ex - means[r.team_id][0] for r in rows]
    cx_w = [r.cx - means[r.team_id][1] for r in rows]
    if df >= 1 and np.std(ex_w) > 0 and np.std(cx_w) > 0:
        r_w = float(np.corrcoef(ex_w, cx_w)[0, 1])
        t_w = r_w * math.sqrt(df / max(1 - r_w * r_w, 1e-300))
        p_w = float(2 * stats.t.sf(abs(t_w), df))
        within = Estimate(r_w, p_w, n_obs, df, t_w)
    notes = {"total": "mixes between- and within-team variation; read with care",
             "between": "team means; says nothing about change within a team (Robinson 1950)",
             "pooled_within": "each team centred on its own mean; df = N − J − 1"}
    return Decomposition(total, between, within, n_obs, n_teams, notes)


def methodology(bucket: str, timezone: str, k_scores: int, k_cx: int, **extra: object
                ) -> dict[str, object]:
    """What a CX lead needs to reproduce the numbers: thresholds, timezone, formulas."""
    block: dict[str, object] = {
        "formulas_version": FORMULAS_VERSION,
        "bucket": bucket,
        "bucket_timezone": timezone,
        "bucket_rule": "ISO week (Monday start) or calendar month, in the tenant timezone",
        "granularity": "team × bucket only; never per adviser",
        "thresholds": {
            "k_scores": k_scores, "k_cx": k_cx, "min_n_compute": MIN_COMPUTE,
            "min_n_show": MIN_SHOW, "min_n_interpret": MIN_INTERPRET,
            "min_teams_between": MIN_TEAMS_BETWEEN, "alpha": ALPHA,
        },
        "ex_metric": "pulse mean 0–10, person-first, eligible if n_ex ≥ k_scores",
        "cx_eligibility": "eligible if n_cx ≥ k_cx",
        "correlation": "Pearson (Fisher-z CI), Spearman (Bonett–Wright CI), scipy.stats",
        "lags": "r_k = corr(EX_t, CX_t+k), k > 0: EX leads; Bonferroni α/(2K+1)",
        "within": "pooled within-team r, t test with df = N − J − 1",
        "model": "statsmodels MixedLM REML cx ~ ex_within + ex_between, random team intercept",
        "wording": "moves with / tends to precede; never causes",
    }
    block.update(extra)
    return block


def critical_r(n: int, alpha: float) -> float | None:
    """|r| above which a lag is significant at the Bonferroni-corrected α, for n pairs."""
    if n < 4:
        return None
    t = float(stats.t.ppf(1 - alpha / 2, n - 2))
    return float(t / (n - 2 + t * t) ** 0.5)
