"""Roster import: every change of one file in a single transaction."""

from __future__ import annotations

from sqlmodel import Session, col, select

from adapters.db.base import Repository
from adapters.db.tables import IdentityRow, MembershipRow, PersonRow, TeamRow, TenantRow
from pulse.core.errors import Invalid
from pulse.roster.rows import RosterChanges


class RosterRepository(Repository):
    def apply_roster(self, changes: RosterChanges) -> None:
        """Write tenant, teams, people, memberships and identities; all or nothing."""
        with self.session() as s:
            if changes.tenant is not None:
                t = changes.tenant
                s.add(TenantRow(id=t.id, name=t.name, timezone=t.timezone, locale=str(t.locale)))
                s.flush()
            for team in changes.teams:  # parents first; flush each so the parent row exists
                _owned(s, TeamRow, team.id, team.tenant_id)
                s.merge(TeamRow(id=team.id, tenant_id=team.tenant_id, name=team.name,
                                parent_id=team.parent_id))
                s.flush()
            for p in changes.people:
                _owned(s, PersonRow, p.id, p.tenant_id)
                s.merge(PersonRow(id=p.id, tenant_id=p.tenant_id, display_name=p.display_name,
                                  email=p.email, role=str(p.role), locale=str(p.locale),
                                  timezone=p.timezone))
            s.flush()
            for old, valid_to in changes.closed:
                row = s.exec(select(MembershipRow).where(
                    MembershipRow.person_id == old.person_id, MembershipRow.team_id == old.team_id,
                    MembershipRow.valid_from == old.valid_from,
                    col(MembershipRow.valid_to).is_(None))).first()
                if row is None:
                    raise Invalid(f"the membership of {old.person_id!r} changed during the import")
                row.valid_to = valid_to
                s.add(row)
            for m in changes.opened:
                s.add(MembershipRow(person_id=m.person_id, team_id=m.team_id,
                                    valid_from=m.valid_from, valid_to=m.valid_to))
            for platform, workspace, external_id, person_id in changes.identities:
                s.merge(IdentityRow(platform=platform, workspace=workspace,
                                    external_id=external_id, person_id=person_id))


def _owned(s: Session, table: type[TeamRow] | type[PersonRow], key: str, tenant_id: str) -> None:
    """Ids are global: refuse to take over a team or person that belongs to another tenant."""
    owner = getattr(s.get(table, key), "tenant_id", tenant_id)
    if owner != tenant_id:
        raise Invalid(f"{table.__tablename__} id {key!r} already belongs to another tenant")
