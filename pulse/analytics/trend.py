"""A team's pulse trend with the 95 % confidence band published with each shown weekly cell.

The band is read from the published pulse cell (pulse.analytics.band computed it when the week
was published); a hidden bucket, and a month (derived from weeks), has no band.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pulse.analytics import service
from pulse.analytics.anonymity import K_SCORES
from pulse.analytics.ports import AnalyticsStore
from pulse.core import buckets
from pulse.core.model import Bucket


@dataclass(frozen=True)
class TrendPoint:
    value: service.BucketValue
    low: float | None
    high: float | None


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
    cells = {c.bucket: dict(c.detail) for c in store.cells(
        tenant_id, [team_id], kind, ["pulse"], min(shown), max(shown)) if c.shown}
    out = []
    for b in series:
        detail = cells.get(b.bucket, {}) if b.value is not None else {}
        out.append(TrendPoint(b, detail.get("ci_low"), detail.get("ci_high")))
    return out
