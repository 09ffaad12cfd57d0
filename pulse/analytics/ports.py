"""Analytics ports: what the team series read (the org tree, scored answers, invitations, kudos)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from pulse.core.model import Team, Tenant
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
