"""A team's pulse trend with a 95 % confidence band around each shown weekly or monthly mean.

The band is mean ± t(0.975, n−1)·sd/√n over the respondents' own means (person-first, as the
value itself), and exists only where pulse.analytics.service shows the value: a hidden bucket
gets no band, so the band never says more about a group than its value does.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import fmean, stdev

from pulse.analytics import service
from pulse.analytics.anonymity import K_SCORES
from pulse.analytics.ports import AnalyticsStore
from pulse.analytics.scoring import to_ten
from pulse.core import buckets
from pulse.core.model import Bucket
from pulse.surveys.model import Pillar

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


@dataclass(frozen=True)
class TrendPoint:
    value: service.BucketValue
    low: float | None
    high: float | None


def band(person_means: list[float]) -> tuple[float, float] | None:
    """(low, high) of the 95 % interval of the mean, clipped to 0–10; None below 2 people."""
    if len(person_means) < 2:
        return None
    mean = fmean(person_means)
    half = t975(len(person_means) - 1) * stdev(person_means) / math.sqrt(len(person_means))
    return max(0.0, mean - half), min(10.0, mean + half)


def team_trend(
    store: AnalyticsStore, tenant_id: str, team_id: str, bucket: Bucket | str, start_date: date,
    end_date: date, *, k: int = K_SCORES, tz: str | None = None,
) -> list[TrendPoint]:
    """team_series plus a band for every bucket whose value is shown."""
    zone = tz or service.tenant_timezone(store, tenant_id)
    series = service.team_series(store, tenant_id, team_id, bucket, start_date, end_date, k=k,
                                 tz=zone)
    shown = {b.bucket for b in series if b.value is not None}
    if not shown:
        return [TrendPoint(b, None, None) for b in series]
    kind = buckets.parse_bucket(bucket)
    within = service.subtree(store.list_teams(tenant_id), team_id)
    per_person: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for a in store.scored_answers(tenant_id, list(within), series[0].start, series[-1].end):
        key = buckets.bucket_key(a.answered_at, kind, zone)
        if key in shown and a.pillar is not Pillar.ENPS:
            per_person[key][a.person_id].append(to_ten(a.scale, a.value))
    out = []
    for b in series:
        means = [fmean(v) for v in per_person.get(b.bucket, {}).values()]
        found = band(means) if b.value is not None else None
        out.append(TrendPoint(b, *(found or (None, None))))
    return out
