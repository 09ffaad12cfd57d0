"""Delivery types: team cadences, delivery windows, outbox messages. Plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any


class Cadence(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"  # the first `weekday` of each month


class Moment(StrEnum):
    """Moments of truth an HR system or an admin can post as events."""

    ONBOARDING_DAY_7 = "onboarding_day_7"
    ONBOARDING_DAY_30 = "onboarding_day_30"
    ONBOARDING_DAY_90 = "onboarding_day_90"
    MANAGER_ONE_ON_ONE = "manager_one_on_one"
    JOB_CHANGE = "job_change"
    REORGANISATION = "reorganisation"
    SUGGESTION_ANSWERED = "suggestion_answered"
    HR_MEETING = "hr_meeting"


class Status(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"
    CANCELLED = "cancelled"  # nothing left to say (answered before the reminder, nobody to nudge)


class Kind(StrEnum):
    PULSE = "pulse"
    REMINDER = "reminder"
    NUDGE = "nudge"


@dataclass(frozen=True)
class DeliveryWindow:
    """When a person may be messaged, in their own local time.

    Working hours are [work_start, work_end); quiet hours [quiet_start, quiet_end) may wrap
    midnight and win over working hours (e.g. a 12:00–13:30 lunch break).
    """

    work_start: time = time(9)
    work_end: time = time(18)
    quiet_start: time = time(20)
    quiet_end: time = time(8)
    weekend: tuple[int, ...] = (5, 6)  # date.weekday() values; () for 7-day teams
    country: str = "FR"  # public holidays; "" for none


@dataclass(frozen=True)
class TeamSchedule:
    """A team's pulse cadence: `cadence` on `weekday` at `hour`:`minute`, in local time."""

    team_id: str
    tenant_id: str
    cadence: Cadence = Cadence.WEEKLY
    weekday: int = 1  # Tuesday
    hour: int = 10
    minute: int = 0
    window: DeliveryWindow = field(default_factory=DeliveryWindow)
    items_per_pulse: int = 3
    round_hours: int = 72
    anchor: date | None = None  # fortnightly: a date in an "on" week
    materialized_until: datetime | None = None
    active: bool = True

    @property
    def round_duration(self) -> timedelta:
        return timedelta(hours=self.round_hours)


@dataclass(frozen=True)
class NewMessage:
    """A message to enqueue once: `key` is its natural identity (one per recipient and message)."""

    key: str
    tenant_id: str
    person_id: str
    kind: Kind
    payload: dict[str, Any]
    available_at: datetime
    bucket: str  # rate-limit bucket, e.g. "slack:T123", "teams:<tenant>", "web:local"


@dataclass(frozen=True)
class OutboxItem:
    """One outbox row as the drain and the admin views see it."""

    id: int
    key: str
    tenant_id: str
    person_id: str
    kind: str
    payload: dict[str, Any]
    status: str
    attempts: int
    available_at: datetime
    scheduled_at: datetime
    bucket: str
    last_error: str | None = None
    sent_at: datetime | None = None
    sent_by: str | None = None
    locked_by: str | None = None


@dataclass(frozen=True)
class Limit:
    """A token bucket: `rate` messages per second, `burst` at most at once, and a minimum gap
    between two messages to the same person (Slack: about one message per second per channel)."""

    rate: float
    burst: float
    channel_gap: float = 0.0
