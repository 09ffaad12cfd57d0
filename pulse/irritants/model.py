"""Irritants: classified comments, the taxonomy and the lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


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
