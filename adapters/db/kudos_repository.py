"""Kudos and API keys."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlmodel import col, select

from adapters.db.base import Repository
from adapters.db.engine import from_db, to_db
from adapters.db.tables import ApiKeyRow, KudosRecipientRow, KudosRow
from pulse.core.model import ApiKey
from pulse.kudos.model import Kudos


class KudosRepository(Repository):
    def add_kudos(self, kudos: Kudos, recipient_teams: dict[str, str | None]) -> None:
        with self.session() as s:
            s.add(KudosRow(id=kudos.id, tenant_id=kudos.tenant_id, sender_id=kudos.sender_id,
                           message=kudos.message, value_tag=kudos.value_tag, public=kudos.public,
                           created_at=to_db(kudos.created_at)))
            s.flush()
            for person_id in kudos.recipient_ids:
                s.add(KudosRecipientRow(kudos_id=kudos.id, person_id=person_id,
                                        team_id=recipient_teams.get(person_id)))

    def kudos_between(
        self, tenant_id: str, team_ids: Iterable[str], start: datetime, end: datetime
    ) -> list[tuple[datetime, str, str | None]]:
        teams = list(team_ids)
        with self.session() as s:
            rows = s.exec(
                select(KudosRow.created_at, KudosRecipientRow.person_id, KudosRow.value_tag)
                .join(KudosRecipientRow, col(KudosRecipientRow.kudos_id) == KudosRow.id)
                .where(
                    KudosRow.tenant_id == tenant_id,
                    col(KudosRecipientRow.team_id).in_(teams),
                    KudosRow.created_at >= to_db(start),
                    KudosRow.created_at < to_db(end),
                )
            )
            return [(from_db(at), person, tag) for at, person, tag in rows]

    def kudos_received(self, person_id: str, limit: int = 10) -> list[Kudos]:
        with self.session() as s:
            rows = s.exec(
                select(KudosRow)
                .join(KudosRecipientRow, col(KudosRecipientRow.kudos_id) == KudosRow.id)
                .where(KudosRecipientRow.person_id == person_id)
                .order_by(col(KudosRow.created_at).desc())
                .limit(limit)
            ).all()
            out = []
            for row in rows:
                recipients = s.exec(
                    select(KudosRecipientRow.person_id).where(KudosRecipientRow.kudos_id == row.id)
                ).all()
                out.append(Kudos(id=row.id, tenant_id=row.tenant_id, sender_id=row.sender_id,
                                 recipient_ids=tuple(recipients), message=row.message,
                                 created_at=from_db(row.created_at), value_tag=row.value_tag,
                                 public=row.public))
            return out


class ApiKeyRepository(Repository):
    def add_api_key(
        self, key_id: str, tenant_id: str, name: str, secret_hash: str, scopes: Sequence[str]
    ) -> None:
        with self.session() as s:
            s.add(ApiKeyRow(id=key_id, tenant_id=tenant_id, name=name, secret_hash=secret_hash,
                            scopes=" ".join(sorted(set(scopes))),
                            created_at=to_db(datetime.now(UTC))))

    def api_key_by_hash(self, secret_hash: str) -> tuple[str, str, frozenset[str]] | None:
        with self.session() as s:
            row = s.exec(select(ApiKeyRow).where(ApiKeyRow.secret_hash == secret_hash)).first()
            if row is None or row.revoked_at is not None:
                return None
            return row.id, row.tenant_id, frozenset(row.scopes.split())

    def list_api_keys(self, tenant_id: str | None = None) -> list[ApiKey]:
        with self.session() as s:
            query = select(ApiKeyRow).order_by(col(ApiKeyRow.created_at), col(ApiKeyRow.id))
            if tenant_id is not None:
                query = query.where(ApiKeyRow.tenant_id == tenant_id)
            return [ApiKey(r.id, r.tenant_id, r.name, frozenset(r.scopes.split()),
                           from_db(r.created_at),
                           from_db(r.revoked_at) if r.revoked_at else None)
                    for r in s.exec(query)]

    def revoke_api_key(self, key_id: str, at: datetime, tenant_id: str | None = None) -> bool:
        with self.session() as s:
            row = s.get(ApiKeyRow, key_id)
            if row is None or row.revoked_at is not None or (
                    tenant_id is not None and row.tenant_id != tenant_id):
                return False
            row.revoked_at = to_db(at)
            s.add(row)
            return True
