"""Roster ports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from pulse.core.model import Membership, Person, Team, Tenant

if TYPE_CHECKING:
    from pulse.roster.rows import RosterChanges


class RosterRepository(Protocol):
    """Writes a validated roster import; everything in one transaction, or nothing."""

    def apply_roster(self, changes: RosterChanges) -> None:
        """Apply all changes atomically; raise pulse.errors.Invalid on an id owned elsewhere."""
        ...


class RosterStore(RosterRepository, Protocol):
    """What the roster import reads (the tenant's people, teams, identities) and writes."""

    def get_tenant(self, tenant_id: str) -> Tenant | None: ...
    def list_teams(self, tenant_id: str) -> list[Team]: ...
    def get_person(self, person_id: str) -> Person | None: ...
    def memberships(self, tenant_id: str) -> list[Membership]: ...
    def person_by_identity(
        self, platform: str, workspace: str, external_id: str
    ) -> Person | None: ...
