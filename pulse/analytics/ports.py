"""Analytics ports: what publication reads (the org tree, answers, invitations, kudos) and the
published cells and frozen week snapshots it writes (adapters/db implements them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from pulse.analytics.cells import Cell, Snapshot
from pulse.core.model import Bucket, Team, Tenant
from pulse.surveys.model import Scored


class AnalyticsStore(Protocol):
    """Read-only: a tenant, its team tree, and per-team answers, invitations and kudos."""

    def get_tenant(self, tenant_id: str) -> Tenant | None: ...
    def list_teams(self, tenant_id: str) -> list[Team]: ...
    def get_team(self, tenant_id: str, team_id: str) -> Team | None: ...
    def scored_answers(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> list[Scored]:
        """Answers given in [start, end) by members of these teams, reduced for scoring."""
        ...
    def invited_people(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> dict[str, set[str]]:
        """Invited person ids keyed by the round's opening instant (ISO 8601), for participation."""
        ...
    def kudos_between(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> list[tuple[datetime, str, str | None]]:
        """(created_at, recipient id, value tag) for kudos received by these teams' members."""
        ...


class CellRepository(Protocol):
    """Published cells are written once and never updated: a published number stays as it was."""

    def save_publication(self, snapshot: Snapshot | None, cells: Sequence[Cell]) -> int:
        """Store a week's snapshot (None for a month) and its cells once; the number inserted."""
        ...

    def published_buckets(self, tenant_id: str, granularity: Bucket) -> set[str]:
        """Bucket keys already published for this tenant at this granularity."""
        ...

    def cells(
        self, tenant_id: str, team_ids: Iterable[str], granularity: Bucket, metrics: Iterable[str],
        first: str | None = None, last: str | None = None,
    ) -> list[Cell]:
        """Published cells of these teams and metrics, buckets in [first, last] (keys sort)."""
        ...

    def snapshot(self, tenant_id: str, week: str) -> Snapshot | None:
        """The frozen tree and home teams a published week was computed from."""
        ...
