"""Who may read what on the dashboard: a person's reach over the team tree (pure rules).

- manager: their own team (today's membership) and every team below it;
- cx_lead and admin: every team of the tenant, and the barometer; admin also the settings;
- adviser: their own team's published results (the share-back) and their own answers.

A team outside the reach does not exist for the reader: pages answer 404, never 403, so a
reader cannot even learn which team ids are real.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pulse.core.model import Person, Role, Team
from pulse.core.ports import OrgRepository


@dataclass(frozen=True)
class Reach:
    """The teams a person may read, and the pages they may open."""

    person: Person
    home_team: str | None  # today's team, where the person's own pages start
    team_ids: frozenset[str]
    whole_tenant: bool

    def sees(self, team_id: str) -> bool:
        """True when the team is in the person's reach."""
        return team_id in self.team_ids

    @property
    def barometer(self) -> bool:
        return self.whole_tenant

    @property
    def settings(self) -> bool:
        return self.person.role is Role.ADMIN

    @property
    def board(self) -> bool:
        """The irritants board: managers (their subtree), CX leads and admins."""
        return self.person.role is not Role.ADVISER

    @property
    def changes_irritants(self) -> bool:
        """Managers own the irritants routed to their teams; admins own all. CX leads read."""
        return self.person.role in (Role.MANAGER, Role.ADMIN)


def below(teams: Iterable[Team], root: str) -> set[str]:
    """The team and every team under it (by parent_id; a cycle cannot loop)."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for team in teams:
        children[team.parent_id].append(team.id)
    out: set[str] = set()
    todo = [root]
    while todo:
        current = todo.pop()
        if current not in out:
            out.add(current)
            todo.extend(children[current])
    return out


def reach_of(org: OrgRepository, person: Person, today: date) -> Reach:
    """The person's reach today, from their role and their current team."""
    teams = org.list_teams(person.tenant_id)
    home = org.team_of(person.id, today)
    if person.role in (Role.ADMIN, Role.CX_LEAD):
        return Reach(person, home, frozenset(t.id for t in teams), True)
    if home is None:
        return Reach(person, None, frozenset(), False)
    if person.role is Role.MANAGER:
        return Reach(person, home, frozenset(below(teams, home)), False)
    return Reach(person, home, frozenset({home}), False)
