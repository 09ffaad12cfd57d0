"""Analytics ports: the published cells and the frozen week snapshots (adapters/db implements them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from pulse.analytics.cells import Cell, Snapshot
from pulse.core.model import Bucket


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
