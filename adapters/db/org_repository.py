"""Tenants, teams, people, identities and memberships."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_
from sqlmodel import col, select

from adapters.db.base import Repository
from adapters.db.tables import IdentityRow, MembershipRow, PersonRow, TeamRow, TenantRow
from pulse.core.model import Locale, Membership, Person, Role, Team, Tenant


def _tenant(row: TenantRow) -> Tenant:
    return Tenant(id=row.id, name=row.name, timezone=row.timezone, locale=Locale(row.locale))


def _team(row: TeamRow) -> Team:
    return Team(id=row.id, tenant_id=row.tenant_id, name=row.name, parent_id=row.parent_id)


def _person(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        tenant_id=row.tenant_id,
        display_name=row.display_name,
        role=Role(row.role),
        locale=Locale(row.locale),
        timezone=row.timezone,
        email=row.email,
    )


def _membership(row: MembershipRow) -> Membership:
    return Membership(row.person_id, row.team_id, row.valid_from, row.valid_to)


class OrgRepository(Repository):
    def get_tenant(self, tenant_id: str) -> Tenant | None:
        with self.session() as s:
            row = s.get(TenantRow, tenant_id)
            return _tenant(row) if row else None

    def list_tenants(self) -> list[Tenant]:
        with self.session() as s:
            return [_tenant(r) for r in s.exec(select(TenantRow).order_by(TenantRow.id))]

    def add_tenant(self, tenant: Tenant) -> None:
        with self.session() as s:
            s.merge(TenantRow(id=tenant.id, name=tenant.name, timezone=tenant.timezone,
                              locale=str(tenant.locale)))

    def list_teams(self, tenant_id: str) -> list[Team]:
        with self.session() as s:
            query = select(TeamRow).where(TeamRow.tenant_id == tenant_id)
            rows = s.exec(query.order_by(TeamRow.id))
            return [_team(r) for r in rows]

    def get_team(self, tenant_id: str, team_id: str) -> Team | None:
        with self.session() as s:
            row = s.get(TeamRow, team_id)
            return _team(row) if row and row.tenant_id == tenant_id else None

    def add_team(self, team: Team) -> None:
        with self.session() as s:
            s.merge(TeamRow(id=team.id, tenant_id=team.tenant_id, name=team.name,
                            parent_id=team.parent_id))

    def get_person(self, person_id: str) -> Person | None:
        with self.session() as s:
            row = s.get(PersonRow, person_id)
            return _person(row) if row else None

    def list_people(self, tenant_id: str) -> list[Person]:
        with self.session() as s:
            rows = s.exec(
                select(PersonRow).where(PersonRow.tenant_id == tenant_id).order_by(PersonRow.id)
            )
            return [_person(r) for r in rows]

    def add_person(self, person: Person) -> None:
        with self.session() as s:
            s.merge(PersonRow(id=person.id, tenant_id=person.tenant_id,
                              display_name=person.display_name, email=person.email,
                              role=str(person.role), locale=str(person.locale),
                              timezone=person.timezone))

    def set_locale(self, person_id: str, locale: Locale) -> None:
        with self.session() as s:
            row = s.get(PersonRow, person_id)
            if row is not None:
                row.locale = str(locale)
                s.add(row)

    def link_identity(
        self, platform: str, workspace: str, external_id: str, person_id: str
    ) -> None:
        with self.session() as s:
            s.merge(IdentityRow(platform=platform, workspace=workspace, external_id=external_id,
                                person_id=person_id))

    def person_by_identity(
        self, platform: str, workspace: str, external_id: str
    ) -> Person | None:
        with self.session() as s:
            row = s.exec(
                select(PersonRow)
                .join(IdentityRow, col(IdentityRow.person_id) == PersonRow.id)
                .where(IdentityRow.platform == platform, IdentityRow.workspace == workspace,
                       IdentityRow.external_id == external_id)
            ).first()
            return _person(row) if row else None

    def identities_of(self, person_id: str) -> list[tuple[str, str, str]]:
        with self.session() as s:
            rows = s.exec(select(IdentityRow).where(IdentityRow.person_id == person_id))
            return [(r.platform, r.workspace, r.external_id) for r in rows]

    def find_people(self, tenant_id: str, handle: str) -> list[Person]:
        needle = handle.strip().lstrip("@").lower()
        with self.session() as s:
            rows = s.exec(
                select(PersonRow).where(
                    PersonRow.tenant_id == tenant_id,
                    or_(
                        func.lower(PersonRow.id) == needle,
                        func.lower(PersonRow.email) == needle,
                        func.lower(PersonRow.display_name) == needle,
                    ),
                )
            )
            return [_person(r) for r in rows]

    def add_membership(self, membership: Membership) -> None:
        with self.session() as s:
            s.add(MembershipRow(person_id=membership.person_id, team_id=membership.team_id,
                                valid_from=membership.valid_from, valid_to=membership.valid_to))

    def memberships(self, tenant_id: str) -> list[Membership]:
        with self.session() as s:
            rows = s.exec(
                select(MembershipRow)
                .join(TeamRow, col(TeamRow.id) == MembershipRow.team_id)
                .where(TeamRow.tenant_id == tenant_id)
            )
            return [_membership(r) for r in rows]

    def team_of(self, person_id: str, day: date) -> str | None:
        with self.session() as s:
            rows = s.exec(
                select(MembershipRow)
                .where(MembershipRow.person_id == person_id, MembershipRow.valid_from <= day)
                .order_by(col(MembershipRow.valid_from).desc())
            )
            for row in rows:
                if row.valid_to is None or day < row.valid_to:
                    return row.team_id
            return None
