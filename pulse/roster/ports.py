"""Roster ports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pulse.roster.rows import RosterChanges


class RosterRepository(Protocol):
    """Writes a validated roster import; everything in one transaction, or nothing."""

    def apply_roster(self, changes: RosterChanges) -> None:
        """Apply all changes atomically; raise pulse.errors.Invalid on an id owned elsewhere."""
        ...
