"""Sign-in: used link nonces and dashboard sessions."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, delete, select

from adapters.db.base import Repository
from adapters.db.engine import from_db, insert_ignore, to_db
from adapters.db.tables import DashboardSessionRow, SigninNonceRow
from pulse.core.model import Session


def _session(row: DashboardSessionRow) -> Session:
    return Session(row.id_hash, row.person_id, row.tenant_id, row.csrf, from_db(row.created_at),
                   from_db(row.expires_at), row.method)


class SigninRepository(Repository):
    def use_nonce(self, nonce: str, person_id: str, used_at: datetime) -> bool:
        # INSERT … ON CONFLICT DO NOTHING: two clicks racing on one link, one of them wins.
        with self.session() as s:
            return insert_ignore(s, SigninNonceRow, {
                "nonce": nonce, "person_id": person_id, "used_at": to_db(used_at)})

    def add_session(self, session: Session) -> None:
        with self.session() as s:
            s.add(DashboardSessionRow(
                id_hash=session.id_hash, person_id=session.person_id,
                tenant_id=session.tenant_id, csrf=session.csrf,
                created_at=to_db(session.created_at), expires_at=to_db(session.expires_at),
                method=session.method))

    def get_session(self, id_hash: str) -> Session | None:
        with self.session() as s:
            row = s.get(DashboardSessionRow, id_hash)
            return _session(row) if row is not None else None

    def delete_session(self, id_hash: str) -> None:
        with self.session() as s:
            s.exec(delete(DashboardSessionRow).where(  # type: ignore[call-overload]
                col(DashboardSessionRow.id_hash) == id_hash))

    def purge_signin(self, now: datetime, nonces_before: datetime) -> int:
        with self.session() as s:
            gone = s.exec(delete(DashboardSessionRow).where(  # type: ignore[call-overload]
                col(DashboardSessionRow.expires_at) <= to_db(now))).rowcount or 0
            gone += s.exec(delete(SigninNonceRow).where(  # type: ignore[call-overload]
                col(SigninNonceRow.used_at) < to_db(nonces_before))).rowcount or 0
            return int(gone)

    def sessions_of(self, person_id: str) -> list[Session]:
        """Live and expired sessions of one person (tests and erasure)."""
        with self.session() as s:
            rows = s.exec(select(DashboardSessionRow)
                          .where(DashboardSessionRow.person_id == person_id)).all()
            return [_session(r) for r in rows]
