"""Canonical customer ratings (ANALYTICS.md §1.2): normalisation, idempotency key, aggregates.

Pure stdlib. Each metric type is aggregated on its own: CSAT is never averaged with NPS.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from statistics import NormalDist

from pulse.core.errors import Invalid

Z95 = NormalDist().inv_cdf(0.975)  # 1.959963984540054
SCHEMA_VERSION = "cx_rating.v1"
FRESHDESK7 = (-103, -102, -101, 100, 101, 102, 103)
FRESHDESK3 = (-103, 100, 103)
BINARY_RATED = ("bad", "good")
BINARY_UNRATED = ("offered", "unoffered")
EARLIEST_YEAR, LATEST_YEAR = 1970, 2999  # a rating outside these years is a typo, not a rating


class CxMetric(StrEnum):
    """The native scale of a rating; ratings of different metrics are never pooled."""

    CSAT = "csat"  # 1–5, 5 = best
    NPS = "nps"  # 0–10
    CES = "ces"  # 1–7 agreement "made it easy", 7 = easiest (CES 2.0)
    BINARY = "binary"  # Zendesk legacy: good / bad (offered / unoffered are not ratings)
    FRESHDESK = "freshdesk"  # codes −103 … 103


class CxAggregateKind(StrEnum):
    """What GET /cx/csat can compute, and the metric each one reads."""

    CSAT_PCT = "csat_pct"
    CSAT_MEAN = "csat_mean"
    NPS = "nps"
    CES = "ces"
    CES_EASY_PCT = "ces_easy_pct"
    BINARY_PCT = "binary_pct"
    FRESHDESK_PCT = "freshdesk_pct"

    @property
    def metric(self) -> CxMetric:
        return {
            "csat_pct": CxMetric.CSAT, "csat_mean": CxMetric.CSAT, "nps": CxMetric.NPS,
            "ces": CxMetric.CES, "ces_easy_pct": CxMetric.CES, "binary_pct": CxMetric.BINARY,
            "freshdesk_pct": CxMetric.FRESHDESK,
        }[self.value]


@dataclass(frozen=True)
class Normalised:
    score: float | None  # on the native scale; None for non-numeric (binary)
    score_norm: float | None  # 0–1; None when the record is not a rating (offered)
    is_positive: bool | None
    is_negative: bool | None
    rated: bool  # False for Zendesk offered/unoffered: kept for response rate only


@dataclass(frozen=True)
class CxRating:
    """One canonical rating, ready to store (team already resolved or marked unmapped)."""

    tenant_id: str
    source: str
    source_instance: str
    source_record_id: str
    source_revision: str
    metric: CxMetric
    raw_value: str
    score: float | None
    score_norm: float | None
    is_positive: bool | None
    is_negative: bool | None
    rated: bool
    responded_at: datetime
    interaction_at: datetime | None = None
    interaction_id: str | None = None
    source_agent_id: str | None = None
    source_group_id: str | None = None
    person_id: str | None = None
    team_id: str | None = None
    team_resolution: str = "unmapped"  # roster | source_group_map | profile_team | unmapped

    @property
    def idempotency_key(self) -> str:
        return idempotency_key(self.source, self.source_instance, self.source_record_id,
                               self.source_revision)


def idempotency_key(source: str, instance: str, record_id: str, revision: str) -> str:
    """sha256("source|instance|record_id|revision") as hex (ANALYTICS.md §1.3)."""
    return hashlib.sha256(f"{source}|{instance}|{record_id}|{revision}".encode()).hexdigest()


def shown(raw: object, limit: int = 40) -> str:
    """repr of a value for a message, cut short: a 5,000-digit score is not echoed whole."""
    text = repr(raw)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def plausible(at: datetime) -> str | None:
    """Why a rating's time cannot be right (outside 1970..2999, like the API's dates), or None."""
    if not EARLIEST_YEAR <= at.year <= LATEST_YEAR:
        return f"year {at.year} is outside {EARLIEST_YEAR}..{LATEST_YEAR}"
    return None


def _number(raw: str) -> float:
    try:
        value = float(str(raw).strip())
    except ValueError as exc:
        raise Invalid(f"not a number: {shown(raw)}") from exc
    if not math.isfinite(value) or value != int(value):
        raise Invalid(f"not a whole number: {shown(raw)}")
    return value


def _scaled(raw: str, low: int, high: int, pos: int, neg: int) -> Normalised:
    value = _number(raw)
    if not low <= value <= high:
        raise Invalid(f"{shown(raw)} is off the {low}–{high} scale")
    return Normalised(value, (value - low) / (high - low), value >= pos, value <= neg, True)


def normalise(metric: CxMetric, raw: str) -> Normalised:
    """Score, 0–1 score and positive/negative flags of one raw value; Invalid if off-scale."""
    if metric is CxMetric.CSAT:
        return _scaled(raw, 1, 5, pos=4, neg=2)
    if metric is CxMetric.NPS:
        return _scaled(raw, 0, 10, pos=9, neg=6)
    if metric is CxMetric.CES:
        return _scaled(raw, 1, 7, pos=5, neg=3)
    if metric is CxMetric.BINARY:
        word = str(raw).strip().lower()
        if word in BINARY_UNRATED:
            return Normalised(None, None, None, None, False)
        if word not in BINARY_RATED:
            raise Invalid(f"{shown(raw)} is not one of good, bad, offered, unoffered")
        good = word == "good"
        return Normalised(float(good), float(good), good, not good, True)
    code = int(_number(raw))
    if code not in FRESHDESK7:
        raise Invalid(f"{shown(raw)} is not a Freshdesk rating code {FRESHDESK7}")
    # Ordered codes map to rank/(k-1); the 3-point survey uses a subset of the same codes.
    return Normalised(float(code), FRESHDESK7.index(code) / 6, code > 100, code < 100, True)


@dataclass(frozen=True)
class CxAggregate:
    kind: CxAggregateKind
    value: float | None
    ci95: tuple[float, float] | None
    n_ratings: int
    eligible: bool


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for k successes out of n, as proportions."""
    if n <= 0:
        raise Invalid("Wilson interval needs n > 0")
    p = k / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return centre - half, centre + half


def _mean_ci(values: Sequence[float]) -> tuple[float, float] | None:
    # Normal approximation; a CX bucket is only eligible from 30 ratings, where it is adequate.
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = Z95 * sd / math.sqrt(n)
    return mean - half, mean + half


def aggregate(
    kind: CxAggregateKind, ratings: Sequence[CxRating] | Sequence[Normalised], k_cx: int = 30
) -> CxAggregate:
    """One bucket's aggregate over ratings of the kind's metric only (others are ignored)."""
    metric = kind.metric
    rows = [r for r in ratings if isinstance(r, Normalised) or r.metric is metric]
    rated = [r for r in rows if r.rated]
    n = len(rated)
    if n == 0:
        return CxAggregate(kind, None, None, 0, False)
    eligible = n >= k_cx
    if kind in (CxAggregateKind.CSAT_PCT, CxAggregateKind.BINARY_PCT,
                CxAggregateKind.FRESHDESK_PCT, CxAggregateKind.CES_EASY_PCT):
        k = sum(1 for r in rated if r.is_positive)
        lo, hi = wilson(k, n)
        return CxAggregate(kind, 100 * k / n, (100 * lo, 100 * hi), n, eligible)
    if kind is CxAggregateKind.NPS:
        p_pos = sum(1 for r in rated if r.is_positive) / n
        p_neg = sum(1 for r in rated if r.is_negative) / n
        value = 100 * (p_pos - p_neg)
        # Multinomial SE of a difference of two shares (ANALYTICS.md §2.2).
        se = 100 * math.sqrt(max(p_pos + p_neg - (p_pos - p_neg) ** 2, 0.0) / n)
        return CxAggregate(kind, value, (value - Z95 * se, value + Z95 * se), n, eligible)
    scores = [float(r.score) for r in rated if r.score is not None]
    return CxAggregate(kind, sum(scores) / len(scores), _mean_ci(scores), n, eligible)


@dataclass(frozen=True)
class CxBatch:
    """One ingest request (upload, JSON batch, webhook delivery) and its report."""

    id: str
    tenant_id: str
    channel: str
    request_key: str
    body_sha256: str
    created_at: datetime
    status: str = "running"
    report: str = "{}"  # JSON text
    lease_owner: str = ""  # the attempt that runs it (a fresh id per attempt)
    heartbeat_at: datetime | None = None  # when that attempt last proved alive


def normalise_revision(revision: str | None) -> str:
    """ISO 8601 revisions as 'YYYY-MM-DDTHH:MM:SSZ' in UTC so they sort; others unchanged."""
    text = (revision or "").strip()
    if not text:
        return ""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return text
    if at.tzinfo is None:
        return text  # a naive revision cannot be placed in time; keep it verbatim
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def newer(revision: str, than: str) -> bool:
    """True if `revision` replaces `than` (numeric or ISO strings compare in their own order)."""
    if revision.isdigit() and than.isdigit():
        return int(revision) > int(than)
    return revision > than
