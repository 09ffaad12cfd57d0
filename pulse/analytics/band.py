"""The 95 % confidence band of a person-first mean, published with each weekly pulse cell.

The band is mean ± t(0.975, n−1)·sd/√n over the respondents' own means. It is computed when the
week is published, from the same respondents as the cell, and stored in the cell's detail, so
no page recomputes it from answers. It adds a second moment over the same respondent sets as the
pulse cell: a person's square is isolatable from bands only where their mean is isolatable from
pulse cells, which the auditor already rules out.
"""

from __future__ import annotations

import math
from statistics import fmean, stdev

# Two-sided 95 % Student t quantiles for 1..30 degrees of freedom (stdlib has none).
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
         2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
         2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


def t975(df: int) -> float:
    """The 97.5 % quantile of Student's t; a Cornish–Fisher expansion above 30 df."""
    if df < 1:
        raise ValueError("df must be at least 1")
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959964
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def band(person_means: list[float]) -> tuple[float, float] | None:
    """(low, high) of the 95 % interval of the mean, clipped to 0–10; None below 2 people."""
    if len(person_means) < 2:
        return None
    mean = fmean(person_means)
    half = t975(len(person_means) - 1) * stdev(person_means) / math.sqrt(len(person_means))
    return max(0.0, mean - half), min(10.0, mean + half)
