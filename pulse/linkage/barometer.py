"""EX and CX series per team × bucket, aligned for the linkage statistics (ANALYTICS.md §3.3-A).

Privacy: EX points come from pulse.analytics.team_series, which applies the k threshold and
complementary suppression; only shown EX buckets are eligible. Nothing here is per adviser.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pulse.core.buckets import bucket_key, keys_between, parse_key
from pulse.core.model import Bucket
from pulse.cx.model import CxAggregate, CxAggregateKind, Normalised, aggregate
from pulse.linkage.stats import PanelRow


@dataclass(frozen=True)
class ExPoint:
    value: float | None  # pulse mean 0–10, person-first; None below k_scores
    n: int | str  # distinct respondents, or "<k"
    eligible: bool


@dataclass(frozen=True)
class Aligned:
    bucket: str
    ex: float | None
    n_ex: int | str
    eligible_ex: bool
    cx: float | None
    cx_ci95: tuple[float, float] | None
    n_cx: int
    eligible_cx: bool

    @property
    def eligible(self) -> bool:
        return self.eligible_ex and self.eligible_cx


def cx_series(scores: Iterable[tuple[str, datetime, Normalised]], tz: str, bucket: Bucket,
              kind: CxAggregateKind, k_cx: int) -> dict[str, dict[str, CxAggregate]]:
    """Team → bucket → aggregate, from (team, responded_at, score) of the kind's metric."""
    groups: dict[tuple[str, str], list[Normalised]] = defaultdict(list)
    for team, at, norm in scores:
        groups[(team, bucket_key(at, bucket, tz))].append(norm)
    out: dict[str, dict[str, CxAggregate]] = defaultdict(dict)
    for (team, key), rows in groups.items():
        out[team][key] = aggregate(kind, rows, k_cx)
    return dict(out)


def align(ex: dict[str, ExPoint], cx: dict[str, CxAggregate]) -> list[Aligned]:
    """Consecutive buckets from the first to the last seen on either side (gaps kept for lags)."""
    keys = sorted(set(ex) | set(cx))
    if not keys:
        return []
    kind, first, _ = parse_key(keys[0])
    out = []
    for key in keys_between(first, parse_key(keys[-1])[1], kind):
        e = ex.get(key, ExPoint(None, 0, False))
        c = cx.get(key)
        out.append(Aligned(key, e.value, e.n, e.eligible,
                           c.value if c else None, c.ci95 if c else None,
                           c.n_ratings if c else 0, bool(c and c.eligible)))
    return out


def eligible_values(rows: Sequence[Aligned]) -> tuple[list[float | None], list[float | None]]:
    """EX and CX per consecutive bucket, None where the bucket is not eligible on both sides."""
    xs = [r.ex if r.eligible else None for r in rows]
    ys = [r.cx if r.eligible else None for r in rows]
    return xs, ys


def panel(series: dict[str, list[Aligned]]) -> list[PanelRow]:
    """Eligible team × bucket rows for the org-level statistics."""
    return [PanelRow(team, r.bucket, float(r.ex), float(r.cx))
            for team, rows in sorted(series.items()) for r in rows
            if r.eligible and r.ex is not None and r.cx is not None]


def window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """A validated [start, end) window."""
    if end <= start:
        from pulse.core.errors import Invalid

        raise Invalid("'to' must be after 'from'")
    return start, end
