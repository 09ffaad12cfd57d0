"""EX and CX series per team × bucket, aligned for the linkage statistics (ANALYTICS.md §3.3-A).

Privacy: EX values exist only for buckets with at least k_scores distinct respondents; below,
the value is None and n is reported as "<k". Nothing here is per adviser.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pulse.buckets import bucket_key, keys_between
from pulse.cx import CxAggregate, CxAggregateKind, Normalised, aggregate
from pulse.linkage import PanelRow
from pulse.model import Bucket, Scored
from pulse.scoring import to_ten


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


ExSeriesFn = Callable[[Sequence[Scored], str, Bucket, int], dict[str, dict[str, ExPoint]]]


def ex_series(answers: Sequence[Scored], tz: str, bucket: Bucket, k_scores: int
              ) -> dict[str, dict[str, ExPoint]]:
    """Team → bucket → person-first pulse mean on 0–10, suppressed below k_scores respondents."""
    per: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for a in answers:
        per[(a.team_id, bucket_key(a.answered_at, tz, bucket))][a.person_id].append(
            to_ten(a.scale, a.value))
    out: dict[str, dict[str, ExPoint]] = defaultdict(dict)
    for (team, key), people in per.items():
        n = len(people)
        if n < k_scores:
            out[team][key] = ExPoint(None, f"<{k_scores}", False)
            continue
        means = [sum(v) / len(v) for v in people.values()]
        out[team][key] = ExPoint(sum(means) / n, n, True)
    return dict(out)


def cx_series(scores: Iterable[tuple[str, datetime, Normalised]], tz: str, bucket: Bucket,
              kind: CxAggregateKind, k_cx: int) -> dict[str, dict[str, CxAggregate]]:
    """Team → bucket → aggregate, from (team, responded_at, score) of the kind's metric."""
    groups: dict[tuple[str, str], list[Normalised]] = defaultdict(list)
    for team, at, norm in scores:
        groups[(team, bucket_key(at, tz, bucket))].append(norm)
    out: dict[str, dict[str, CxAggregate]] = defaultdict(dict)
    for (team, key), rows in groups.items():
        out[team][key] = aggregate(kind, rows, k_cx)
    return dict(out)


def align(ex: dict[str, ExPoint], cx: dict[str, CxAggregate]) -> list[Aligned]:
    """Consecutive buckets from the first to the last seen on either side (gaps kept for lags)."""
    keys = sorted(set(ex) | set(cx))
    if not keys:
        return []
    out = []
    for key in keys_between(keys[0], keys[-1]):
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
        from pulse.errors import Invalid

        raise Invalid("'to' must be after 'from'")
    return start, end
