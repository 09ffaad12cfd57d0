"""CX ports: customer ratings, ingest batches, the CX identity map."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from pulse.core.ports import OrgRepository
from pulse.cx.model import CxBatch, CxRating, Normalised


class CxRepository(Protocol):
    """Customer ratings, ingest batches and the CX identity map (ANALYTICS.md §1)."""

    def upsert_ratings(
        self, ratings: Sequence[CxRating], dry_run: bool = False, batch_id: str | None = None
    ) -> list[str]:
        """Per rating: inserted | updated | duplicate | stale; dry_run writes nothing."""
        ...
    def cx_ratings(
        self, tenant_id: str, start: datetime, end: datetime,
        team_ids: Iterable[str] | None = None, metric: str | None = None,
    ) -> list[CxRating]:
        """Ratings answered in [start, end), optionally for some teams and one metric."""
        ...
    def cx_scores(
        self, tenant_id: str, start: datetime, end: datetime, team_ids: Iterable[str],
        metric: str,
    ) -> list[tuple[str, datetime, Normalised]]:
        """(team id, responded_at, normalised score) of one metric's team-mapped ratings."""
        ...
    def cx_resolution_counts(self, tenant_id: str) -> dict[str, int]:
        """Stored ratings by team resolution (roster, profile_team, unmapped …)."""
        ...
    def link_cx_identity(
        self, tenant_id: str, source: str, source_agent_id: str, person_id: str
    ) -> None: ...
    def cx_person(self, tenant_id: str, source: str, source_agent_id: str) -> str | None: ...
    def cx_batch(self, tenant_id: str, channel: str, request_key: str) -> CxBatch | None: ...
    def start_cx_batch(self, batch: CxBatch) -> bool:
        """Insert once; False when (tenant, channel, request_key) already exists."""
        ...
    def take_over_cx_batch(self, batch_id: str, expected_owner: str, owner: str,
                           now: datetime) -> bool:
        """Run the batch as `owner` if `expected_owner` still holds it; False otherwise."""
        ...
    def heartbeat_cx_batch(self, batch_id: str, owner: str, now: datetime) -> bool:
        """Renew `owner`'s lease; False when another attempt has taken the batch over."""
        ...
    def finish_cx_batch(self, batch_id: str, status: str, report: str,
                        owner: str | None = None) -> bool:
        """Record the outcome (only if `owner`, when given, still holds the batch)."""
        ...


class CxStore(OrgRepository, CxRepository, Protocol):
    """What CX ingest and the barometer need from the store."""
