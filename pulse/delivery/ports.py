"""Ports the delivery use cases need beyond `Store`: cadences, the outbox, a calendar."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Protocol

from pulse.delivery.model import Limit, NewMessage, OutboxItem, TeamSchedule
from pulse.ports import Store
from pulse.surveys.model import Invitation, PulseRound


class Calendar(Protocol):
    """Cadence arithmetic and public holidays (APScheduler triggers and `holidays` behind it)."""

    def next_fire(self, schedule: TeamSchedule, tz: str, after: datetime) -> datetime | None:
        """The first nominal occurrence strictly after `after`, in the team's reference zone."""
        ...

    def is_holiday(self, country: str, day: date) -> bool: ...


class ScheduleRepository(Protocol):
    def set_schedule(self, schedule: TeamSchedule) -> None: ...
    def get_schedule(self, team_id: str) -> TeamSchedule | None: ...
    def list_schedules(self) -> list[TeamSchedule]: ...
    def advance_watermark(self, team_id: str, at: datetime) -> None:
        """Move materialized_until forward to `at`, never backwards (concurrent instances)."""
        ...


class OutboxRepository(Protocol):
    def create_round(
        self, pulse_round: PulseRound, invitations: Sequence[Invitation],
        messages: Sequence[NewMessage],
    ) -> bool:
        """Insert the round, its invitations and messages in one transaction, once.

        False (and nothing written) when the round already existed.
        """
        ...

    def enqueue(self, messages: Sequence[NewMessage]) -> int:
        """Insert messages whose key is new; returns how many went in."""
        ...

    def claim(
        self, worker: str, now: datetime, lease_seconds: float, batch: int,
        limit_of: Callable[[str], Limit | None], wall: float,
    ) -> list[OutboxItem]:
        """Lease due messages to `worker`, at most what each bucket's tokens allow."""
        ...

    def mark_sent(self, item_id: int, worker: str, now: datetime) -> bool: ...
    def mark_sent_many(self, item_ids: Sequence[int], worker: str, now: datetime) -> int:
        """Mark several leased messages sent in one statement; returns how many were ours."""
        ...
    def requeue(self, item_id: int, worker: str, at: datetime, error: str, count: bool) -> bool:
        """Back to pending at `at`; `count=False` gives the attempt back (rate limits)."""
        ...
    def finish(self, item_id: int, worker: str, status: str, error: str) -> bool:
        """End a leased message as dead or cancelled, with the reason."""
        ...
    def reap(self, now: datetime, max_attempts: int) -> int:
        """Expired leases back to pending (dead once attempts are used up); returns the count."""
        ...
    def list_deliveries(
        self, tenant_id: str | None, status: str | None = None, limit: int = 100
    ) -> list[OutboxItem]: ...
    def has_message(self, key: str) -> bool: ...
    def pulsed_between(self, person_ids: Iterable[str], start: datetime, end: datetime) -> set[str]:
        """People with a pulse (cadence or moment) scheduled in [start, end)."""
        ...
    def question_history(
        self, person_ids: Iterable[str], enps_ids: Iterable[str]
    ) -> dict[str, tuple[list[str], list[datetime]]]:
        """Per person: every question id asked, and when an eNPS item was asked."""
        ...
    def buckets_of(self, person_ids: Iterable[str], platforms: Sequence[str]) -> dict[str, str]:
        """Per person: the rate bucket ("platform:workspace") of their preferred chat account."""
        ...
    def reminder_candidates(self, sent_before: datetime, now: datetime) -> list[OutboxItem]:
        """Pulses sent before `sent_before`, round still open, no answer yet, no reminder yet."""
        ...


class DeliveryStore(Store, ScheduleRepository, OutboxRepository, Protocol):
    """What the delivery engine persists (adapters/db.SqlStore implements it)."""
