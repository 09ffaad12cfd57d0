"""Linkage ports: the barometer reads the analytics' EX side and the stored CX scores."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from pulse.analytics.ports import AnalyticsStore
from pulse.cx.model import Normalised


class BarometerStore(AnalyticsStore, Protocol):
    """Read-only: the EX series' inputs plus the customer ratings mapped to teams."""

    def cx_scores(
        self, tenant_id: str, start: datetime, end: datetime, team_ids: Iterable[str],
        metric: str,
    ) -> list[tuple[str, datetime, Normalised]]:
        """(team id, responded_at, normalised score) of one metric's team-mapped ratings."""
        ...
    def cx_resolution_counts(self, tenant_id: str) -> dict[str, int]:
        """Stored ratings by team resolution (roster, profile_team, unmapped …)."""
        ...
