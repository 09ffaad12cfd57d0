"""Analytics ports: what publication reads (the org tree, one week's answers, invitations and
kudos, in lean rows) and the published cells and frozen week snapshots it writes; the read side
(AnalyticsStore) sees published cells and open-bucket participation counts only. adapters/db
implements them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from pulse.analytics.cells import Cell, Receipt, Snapshot
from pulse.core.model import Bucket, Membership, Team, Tenant
from pulse.surveys.model import Scored


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


class AnalyticsStore(CellRepository, Protocol):
    """The read side: a tenant, its team tree, published cells and open-bucket counts."""

    def get_tenant(self, tenant_id: str) -> Tenant | None: ...
    def list_teams(self, tenant_id: str) -> list[Team]: ...
    def get_team(self, tenant_id: str, team_id: str) -> Team | None: ...
    def open_participation(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> tuple[int, int]:
        """(people who answered, people invited) in [start, end) among these teams: counts."""
        ...


class PublicationStore(AnalyticsStore, Protocol):
    """What publishing a closed week reads: the tree, memberships and that week's rows only."""

    def memberships(self, tenant_id: str) -> list[Membership]: ...
    def first_activity(self, tenant_id: str) -> datetime | None:
        """The earliest round opening or kudos of the tenant (where catching up starts)."""
        ...
    def week_answers(self, tenant_id: str, start: datetime, end: datetime) -> list[Scored]:
        """The tenant's answers given in [start, end), reduced for scoring (lean rows)."""
        ...
    def week_invited(self, tenant_id: str, start: datetime, end: datetime) -> set[str]:
        """People invited to the tenant's rounds opened in [start, end)."""
        ...
    def week_receipts(self, tenant_id: str, start: datetime, end: datetime) -> list[Receipt]:
        """Kudos receipts (public and private, flagged) of the tenant in [start, end)."""
        ...
