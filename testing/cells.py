"""An in-memory published-cell repository (pulse.analytics.ports.CellRepository) for tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pulse.analytics.cells import Cell, Reason, Snapshot
from pulse.core.model import Bucket


@dataclass
class FakeCells:
    """Cells written once and read by key, like the real repository; reads are recorded."""

    stored: dict[tuple[str, str, Bucket, str, str], Cell] = field(default_factory=dict)
    snapshots: dict[tuple[str, str], Snapshot] = field(default_factory=dict)
    reads: list[tuple[str, tuple[str, ...], Bucket, tuple[str, ...], str | None, str | None]] = \
        field(default_factory=list)

    def save_publication(self, snapshot: Snapshot | None, cells: Sequence[Cell]) -> int:
        """Store a week's snapshot and its cells once; the number inserted."""
        if snapshot is not None:
            self.snapshots.setdefault((snapshot.tenant_id, snapshot.week), snapshot)
        added = 0
        for c in cells:
            key = (c.tenant_id, c.team_id, c.granularity, c.bucket, c.metric)
            if key not in self.stored:
                self.stored[key] = c
                added += 1
        return added

    def published_buckets(self, tenant_id: str, granularity: Bucket) -> set[str]:
        """Bucket keys with at least one cell."""
        return {k[3] for k in self.stored if k[0] == tenant_id and k[2] is granularity}

    def cells(
        self, tenant_id: str, team_ids: Iterable[str], granularity: Bucket,
        metrics: Iterable[str], first: str | None = None, last: str | None = None,
    ) -> list[Cell]:
        """Published cells of these teams and metrics, buckets in [first, last]."""
        teams, wanted = tuple(team_ids), tuple(metrics)
        self.reads.append((tenant_id, teams, granularity, wanted, first, last))
        return sorted((c for (t, team, g, b, m), c in self.stored.items()
                       if t == tenant_id and team in teams and g is granularity and m in wanted
                       and (first is None or b >= first) and (last is None or b <= last)),
                      key=lambda c: (c.team_id, c.bucket, c.metric))

    def snapshot(self, tenant_id: str, week: str) -> Snapshot | None:
        """The frozen tree of a published week."""
        return self.snapshots.get((tenant_id, week))


def cell(team: str, week: str, metric: str, value: float | None, n: int | str | None,
         reason: Reason | None = None, tenant: str = "acme") -> Cell:
    """A published week cell, as the publication job would store it."""
    return Cell(tenant, team, Bucket.WEEK, week, metric, value, n, reason, "snap-test",
                datetime(2026, 1, 1, tzinfo=UTC))
