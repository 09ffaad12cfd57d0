"""Engine creation and the dialect-aware helpers the repositories share."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from psycopg.types.string import StrDumperUnknown
from sqlalchemy import Engine, create_engine, event, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for SQLite (foreign keys on, WAL) or PostgreSQL (psycopg 3)."""
    if url.startswith("sqlite"):
        _create_private(make_url(url).database)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()

        return engine
    engine = create_engine(url, echo=echo, pool_pre_ping=True)

    @event.listens_for(engine, "connect")
    def _nul_safe_text(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.adapters.register_dumper(str, _NulSafeStr)

    return engine


def _create_private(path: str | None) -> None:
    """Create a new SQLite file readable by its owner only (its -wal and -shm files follow)."""
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another process created it first
    except OSError:
        pass  # e.g. no such folder: SQLite reports it in its own words


class _NulSafeStr(StrDumperUnknown):
    """PostgreSQL text cannot hold NUL (SQLite can): send U+FFFD in its place, so a NUL typed in
    a chat message or an id is stored or simply not found, instead of failing with a 500."""

    def dump(self, obj: str) -> Any:
        return super().dump(obj.replace("\x00", "\ufffd"))


def insert_ignore(session: Session, table: Any, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL; True when a row went in."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    # RETURNING tells reliably whether a row went in (rowcount is not reliable on psycopg 3).
    stmt = module.insert(table).values(**values).on_conflict_do_nothing()
    stmt = stmt.returning(literal_column("1"))
    return session.execute(stmt).first() is not None


def to_db(at: datetime) -> datetime:
    """Aware UTC for storage (SQLModel's UTCDateTime refuses naive values; naive means UTC)."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def from_db(at: datetime) -> datetime:
    """Aware UTC from storage (SQLite hands back naive values)."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
