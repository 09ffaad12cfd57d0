"""Shared fixtures: a migrated store on SQLite and on the real PostgreSQL, a fixed clock."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from pulse.core.clock import FixedClock

PG_ADMIN_URL = os.environ.get(
    "MIROIR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
if not SHARED.exists():  # git worktrees sit one level deeper (/work/wt/<name>)
    SHARED = Path(__file__).resolve().parents[3] / "shared"


def pg_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    if not pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL does not answer at {PG_ADMIN_URL}")
        pytest.skip(f"PostgreSQL does not answer at {PG_ADMIN_URL}")
    name = f"miroir_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_pg(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' "
            "AND tablename <> 'alembic_version'")).scalars().all()
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: SQLite file, then the real PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'miroir.db'}"
        upgrade(url)
        return url
    url = request.getfixturevalue("pg_database")
    _truncate_pg(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    engine = make_engine(db_url)
    yield SqlStore(engine)
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 4, 9, 30, tzinfo=UTC))


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the project; tests that need it skip with a reason when it is absent."""
    if not SHARED.exists():
        pytest.skip(f"shared/ not found at {SHARED}")
    return SHARED
