"""Domain types. Plain frozen dataclasses: no ORM, no vendor SDK."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    ADVISER = "adviser"
    MANAGER = "manager"
    ADMIN = "admin"


class Locale(StrEnum):
    FR = "fr"
    EN = "en"


class Scale(StrEnum):
    """Answer scales: 1–5 agreement, or 0–10 likelihood (eNPS)."""

    AGREE5 = "agree5"
    NPS11 = "nps11"

    @property
    def bounds(self) -> tuple[int, int]:
        return (1, 5) if self is Scale.AGREE5 else (0, 10)


class Pillar(StrEnum):
    PAY = "pay"
    BALANCE = "balance_safety"
    BELONGING = "belonging"
    USEFULNESS = "usefulness"
    GROWTH = "growth_recognition"
    MANAGER = "manager_attention"
    TOOLS = "tools_information"
    ENPS = "enps"


class Bucket(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Tenant:
    id: str
    name: str
    timezone: str = "Europe/Paris"
    locale: Locale = Locale.FR


@dataclass(frozen=True)
class Team:
    id: str
    tenant_id: str
    name: str
    parent_id: str | None = None


@dataclass(frozen=True)
class Person:
    id: str
    tenant_id: str
    display_name: str
    role: Role = Role.ADVISER
    locale: Locale = Locale.FR
    timezone: str = "Europe/Paris"
    email: str | None = None


@dataclass(frozen=True)
class Membership:
    """Effective-dated membership: valid on [valid_from, valid_to)."""

    person_id: str
    team_id: str
    valid_from: date
    valid_to: date | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class Question:
    id: str
    pillar: Pillar
    scale: Scale
    text_fr: str
    text_en: str
    moments: tuple[str, ...] = ()
    active: bool = True

    def text(self, locale: Locale | str) -> str:
        return self.text_fr if str(locale) == Locale.FR else self.text_en


@dataclass(frozen=True)
class PulseRound:
    """One pulse sent to one team; answers are accepted between opens_at and closes_at."""

    id: str
    tenant_id: str
    team_id: str
    opens_at: datetime
    closes_at: datetime
    kind: str = "cadence"

    def is_open(self, at: datetime) -> bool:
        return self.opens_at <= at < self.closes_at


@dataclass(frozen=True)
class Invitation:
    """A person invited to a round, with the questions chosen for them."""

    round_id: str
    person_id: str
    question_ids: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    round_id: str
    person_id: str
    question_id: str
    team_id: str
    value: int
    answered_at: datetime


@dataclass(frozen=True)
class Comment:
    id: str
    tenant_id: str
    person_id: str
    team_id: str | None
    text: str
    source: str  # "pulse" or "irritant"
    created_at: datetime
    round_id: str | None = None
    pulse_score: float | None = None  # the 0–10 score the adviser gave with this comment


@dataclass(frozen=True)
class Kudos:
    id: str
    tenant_id: str
    sender_id: str
    recipient_ids: tuple[str, ...]
    message: str
    created_at: datetime
    value_tag: str | None = None
    public: bool = True


@dataclass(frozen=True)
class Scored:
    """One answer reduced to what scoring needs: who, when, which item, value on 0–10."""

    person_id: str
    question_id: str
    pillar: Pillar
    scale: Scale
    value: int
    answered_at: datetime
    team_id: str = ""


@dataclass(frozen=True)
class ApiKey:
    id: str
    tenant_id: str
    name: str
    scopes: frozenset[str] = field(default_factory=frozenset)


class Polarity(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class IrritantCategory(StrEnum):
    """The contact-centre irritant taxonomy (PRODUCT.md)."""

    TOOLS = "tools_systems"
    INFORMATION = "information_knowledge"
    PROCESSES = "processes_rules"
    WORKLOAD = "workload_schedule"
    MANAGEMENT = "management_recognition"
    PAY = "pay_benefits"
    WORKSPACE = "workspace_equipment"
    COMMUTE = "commute_remote"
    TRAINING = "training_growth"
    CUSTOMER = "customer_aggression_stress"
    OTHER = "other"


class IrritantStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    WONT_FIX = "wont_fix"


@dataclass(frozen=True)
class CategoryScore:
    category: IrritantCategory
    confidence: float


@dataclass(frozen=True)
class Classification:
    """What the classifier says about one comment."""

    polarity: Polarity
    score: float  # P(positive) − P(negative), in [−1, 1]
    categories: tuple[CategoryScore, ...]
    language: str  # "fr", "en" or "und"
    model_version: str


@dataclass(frozen=True)
class Irritant:
    """A friction raised by an adviser; the reporter stays behind `comment_id`, never shown."""

    id: str
    tenant_id: str
    comment_id: str
    team_id: str | None
    category: IrritantCategory
    status: IrritantStatus
    text: str  # anonymised
    created_at: datetime
    updated_at: datetime
    language: str = "und"
    owner_team_id: str | None = None
    owner_note: str | None = None
    category_corrected: bool = False


@dataclass(frozen=True)
class IrritantFilter:
    """Listing filters; None means any. Period is [start, end)."""

    team_id: str | None = None
    category: IrritantCategory | None = None
    status: IrritantStatus | None = None
    start: datetime | None = None
    end: datetime | None = None
