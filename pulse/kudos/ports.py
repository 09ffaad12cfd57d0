"""Kudos ports: what the store implements, and the narrow port sending kudos uses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from pulse.core.ports import Batch
from pulse.kudos.model import Kudos


class KudosRepository(Protocol):
    def add_kudos(self, kudos: Kudos, recipient_teams: dict[str, str | None]) -> None: ...
    def kudos_between(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> list[tuple[datetime, str, str | None]]:
        """(created_at, recipient id, value tag) for kudos received by these teams' members."""
        ...
    def kudos_received(self, person_id: str, limit: int = 10) -> list[Kudos]: ...


class KudosStore(Batch, Protocol):
    """What sending kudos reads and writes: each recipient's team that day, then the kudos."""

    def team_of(self, person_id: str, day: date) -> str | None: ...
    def add_kudos(self, kudos: Kudos, recipient_teams: dict[str, str | None]) -> None: ...
