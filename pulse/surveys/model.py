"""Survey types: the question bank's items, rounds, invitations, answers, comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pulse.core.model import Locale


class Scale(StrEnum):
    """Answer scales: 1–5 agreement, or 0–10 likelihood (eNPS)."""

    AGREE5 = "agree5"
    NPS11 = "nps11"

    @property
    def bounds(self) -> tuple[int, int]:
        return (1, 5) if self is Scale.AGREE5 else (0, 10)


def to_ten(scale: Scale, value: int) -> float:
    """An answer on its native scale mapped to 0–10 (1–5 agreement: 1→0, 5→10)."""
    if scale is Scale.AGREE5:
        return (value - 1) * 2.5
    return float(value)


class Pillar(StrEnum):
    PAY = "pay"
    BALANCE = "balance_safety"
    BELONGING = "belonging"
    USEFULNESS = "usefulness"
    GROWTH = "growth_recognition"
    MANAGER = "manager_attention"
    TOOLS = "tools_information"
    ENPS = "enps"


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
class Scored:
    """One answer reduced to what scoring needs: who, when, which item, value on 0–10."""

    person_id: str
    question_id: str
    pillar: Pillar
    scale: Scale
    value: int
    answered_at: datetime
    team_id: str = ""
