"""Analytics read models: what a series point says about a published (or open) bucket."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pulse.analytics.cells import Reason
from pulse.core.model import Bucket
from pulse.surveys.model import Pillar

# The reasons existing clients know keep their names; the new ones are added.
REASONS = {Reason.BELOW_K: "below_threshold", Reason.COMPLEMENT: "complementary_suppression",
           Reason.NO_RESPONSES: "no_responses", Reason.AUDIT: "audit",
           Reason.NO_PUBLISHED_WEEK: "no_published_week"}
OPEN, NOT_PUBLISHED = "open", "not_published"
PULSE_METRICS = ("pulse", "favourable", "participation")


@dataclass(frozen=True)
class Cell:
    """One published aggregate: value (null when hidden), n as shown, and why it is hidden."""

    value: float | None
    n: int | str | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class Status:
    """A bucket's state: published (closed), open with participation counts, or pending."""

    open: bool = False
    answered: int | None = None
    invited: int | None = None
    pending: bool = False

    @property
    def reason(self) -> str:
        return OPEN if self.open else NOT_PUBLISHED


@dataclass(frozen=True)
class BucketValue:
    """The team's pulse in one bucket: person-first mean on 0–10 plus 1–5 item shares."""

    bucket: str
    start: datetime
    end: datetime
    value: float | None
    n: int | str | None
    participation: float | None
    suppressed: bool
    reason: str | None
    favourable_pct: float | None = None
    neutral_pct: float | None = None
    unfavourable_pct: float | None = None
    mean_100: float | None = None  # no longer published (not a cell): always null
    weeks_used: int | None = None
    open: bool = False
    answered: int | None = None
    invited: int | None = None


@dataclass(frozen=True)
class PillarBucket:
    bucket: str
    start: datetime
    end: datetime
    pillars: dict[Pillar, Cell]
    open: bool = False
    answered: int | None = None
    invited: int | None = None


@dataclass(frozen=True)
class EnpsBucket:
    bucket: str
    start: datetime
    end: datetime
    value: float | None
    se: float | None
    n: int | str | None
    suppressed: bool
    reason: str | None
    promoters_pct: float | None = None
    passives_pct: float | None = None
    detractors_pct: float | None = None
    open: bool = False
    answered: int | None = None
    invited: int | None = None


@dataclass(frozen=True)
class KudosBucket:
    """Public kudos received by the team's members: counts only, nobody named, k applies."""

    bucket: str
    start: datetime
    end: datetime
    received: int | None  # one per (public kudos, recipient); null when withheld
    recipients: int | str | None  # distinct recipients, shown like n
    values: dict[str, int] = field(default_factory=dict)  # per-tag counts are not published
    suppressed: bool = False
    reason: str | None = None
    open: bool = False
    answered: int | None = None
    invited: int | None = None


@dataclass(frozen=True)
class Period:
    """Bucket keys with their UTC bounds, in the tenant's timezone."""

    bucket: Bucket
    tz: str
    keys: tuple[str, ...]
    bounds: tuple[tuple[datetime, datetime], ...]

    @property
    def start(self) -> datetime:
        return self.bounds[0][0]

    @property
    def end(self) -> datetime:
        return self.bounds[-1][1]
