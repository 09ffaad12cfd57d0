"""Symmetry index, quadrant and the "Équipe heureuse, Clients heureux" label (INVENTION, ours).

ANALYTICS.md §3.4. Inputs are eligible team × bucket values only.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pulse.core.errors import Invalid

EX_THRESHOLD = 7.0  # pulse mean 0–10
CX_THRESHOLD = 85.0  # CSAT % top-2-box
MAX_GAP = 3.0
HAPPY = "EQUIPE_HEUREUSE_CLIENTS_HEUREUX"


def quadrant(ex: float, cx: float, ex_thr: float = EX_THRESHOLD, cx_thr: float = CX_THRESHOLD
             ) -> str:
    """The quadrant code for one team-bucket with absolute thresholds."""
    if ex >= ex_thr:
        return HAPPY if cx >= cx_thr else "EQUIPE_OK_CLIENTS_A_RISQUE"
    return "CLIENTS_OK_EQUIPE_A_RISQUE" if cx >= cx_thr else "DOUBLE_ALERTE"


@dataclass(frozen=True)
class SymmetryRow:
    team_id: str
    ex: float
    cx: float
    z_ex: float | None
    z_cx: float | None
    gap: float | None
    symmetry_score: float | None
    quadrant: str


def symmetry_score(gap: float) -> float:
    """S = 100·(1 − min(|G|, 3)/3): 100 = perfectly mirrored."""
    return 100 * (1 - min(abs(gap), MAX_GAP) / MAX_GAP)


def symmetry(
    rows: Sequence[tuple[str, float, float]],
    baseline: tuple[Sequence[float], Sequence[float]] | None = None,
    ex_thr: float = EX_THRESHOLD,
    cx_thr: float = CX_THRESHOLD,
) -> list[SymmetryRow]:
    """z-scores, gap G = z_EX − z_CX and S per (team, EX, CX).

    cross_team (baseline None): μ, σ (ddof = 1) across these teams; null below 3 teams.
    baseline: μ, σ from the given trailing EX and CX values of the tenant.
    """
    ex_ref = [r[1] for r in rows] if baseline is None else list(baseline[0])
    cx_ref = [r[2] for r in rows] if baseline is None else list(baseline[1])
    usable = len(ex_ref) >= 3 and len(cx_ref) >= 3
    mu_ex = sd_ex = mu_cx = sd_cx = 0.0
    if usable:
        mu_ex, sd_ex = statistics.fmean(ex_ref), statistics.stdev(ex_ref)
        mu_cx, sd_cx = statistics.fmean(cx_ref), statistics.stdev(cx_ref)
        usable = sd_ex > 0 and sd_cx > 0
    out = []
    for team_id, ex, cx in rows:
        if usable:
            z_ex, z_cx = (ex - mu_ex) / sd_ex, (cx - mu_cx) / sd_cx
            gap: float | None = z_ex - z_cx
            out.append(SymmetryRow(team_id, ex, cx, z_ex, z_cx, gap, symmetry_score(z_ex - z_cx),
                                   quadrant(ex, cx, ex_thr, cx_thr)))
        else:
            gap = None
            out.append(SymmetryRow(team_id, ex, cx, None, None, gap, None,
                                   quadrant(ex, cx, ex_thr, cx_thr)))
    return out


@dataclass(frozen=True)
class LabelBucket:
    ex: float | None
    cx: float | None
    n_ex: int
    n_cx: int


@dataclass(frozen=True)
class Label:
    label: bool | None
    reason: str  # persistent | held_by_hysteresis | not_persistent | insufficient_data
    valid_buckets: int
    happy_buckets: int


def _rule(window: Sequence[LabelBucket], k_ex: int, k_cx: int, need: int,
          ex_thr: float, cx_thr: float) -> tuple[int, int]:
    valid = happy = 0
    for b in window:
        if b.ex is None or b.cx is None or b.n_ex < k_ex or b.n_cx < k_cx:
            continue  # only eligible buckets count
        valid += 1
        happy += quadrant(b.ex, b.cx, ex_thr, cx_thr) == HAPPY
    return valid, happy


def happy_label(
    history: Sequence[LabelBucket],
    k_ex: int = 5,
    k_cx: int = 30,
    need: int = 3,
    window: int = 4,
    hysteresis: bool = True,
    ex_thr: float = EX_THRESHOLD,
    cx_thr: float = CX_THRESHOLD,
) -> Label:
    """Label if the team is in the top quadrant in ≥ 3 of its last 4 buckets (oldest first).

    At least `need` eligible buckets are required, else label None (insufficient_data).
    Hysteresis: a label that held on the previous window is removed only after a second failure.
    """
    if need > window:
        raise Invalid("need cannot exceed window")
    last = history[-window:]
    valid, happy = _rule(last, k_ex, k_cx, need, ex_thr, cx_thr)
    if valid < need:
        return Label(None, "insufficient_data", valid, happy)
    if happy >= need:
        return Label(True, "persistent", valid, happy)
    if hysteresis and len(history) > window:
        prev_valid, prev_happy = _rule(history[-window - 1:-1], k_ex, k_cx, need, ex_thr, cx_thr)
        if prev_valid >= need and prev_happy >= need:
            return Label(True, "held_by_hysteresis", valid, happy)
    return Label(False, "not_persistent", valid, happy)
