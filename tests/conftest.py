"""Shared fixtures: a migrated store on SQLite and on the real PostgreSQL, a fixed clock.

Migrating costs about half a second and emptying two dozen PostgreSQL tables with TRUNCATE about
as much, for each of ~300 database tests: so each session (each xdist worker) migrates once, SQLite
tests get a copy of a migrated file and PostgreSQL tests get the session's database emptied with
DELETE (milliseconds on the few rows a test writes).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

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
# Tests with these marks start worker processes or a browser of their own and assert on timing:
# an inter-process lock keeps two of them from running at the same time under pytest-xdist.
# (Not xdist_group: --dist loadgroup keys work by node id and silently runs only one of the
# schemathesis cases of test_fuzz, which all share a node id.)
EXCLUSIVE = ("browser", "processes")


@pytest.fixture(autouse=True)
def _one_at_a_time(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    if "PYTEST_XDIST_WORKER" not in os.environ or not any(
            request.node.get_closest_marker(name) for name in EXCLUSIVE):
        yield
        return
    # The xdist workers of one run have their base temp dirs in one parent: the lock goes there.
    lock = tmp_path_factory.getbasetemp().parent / "miroir-exclusive.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
        # Tests need no crash durability: commits stop waiting for the disk (a shared, busy one).
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_cleaner(pg_database: str) -> Iterator[PgCleaner]:
    """Empties the session's PostgreSQL database between tests."""
    cleaner = PgCleaner(pg_database)
    yield cleaner
    cleaner.engine.dispose()


class PgCleaner:
    """DELETE from every table, children first; TRUNCATE when DELETE cannot (an FK cycle)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        metadata = MetaData()
        metadata.reflect(self.engine)
        self.tables = [t.name for t in reversed(metadata.sorted_tables)
                       if t.name != "alembic_version"]

    def empty(self) -> None:
        """Leave every table but alembic_version empty (sequences keep counting, as before)."""
        if not self.tables:
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(text("; ".join(f'DELETE FROM "{t}"' for t in self.tables)))
        except DBAPIError:
            with self.engine.begin() as conn:
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in self.tables)
                                  + " CASCADE"))


@pytest.fixture
def pg_url(pg_cleaner: PgCleaner, pg_database: str) -> str:
    """The session's PostgreSQL database, migrated and empty: for PostgreSQL-only tests."""
    pg_cleaner.empty()
    return pg_database


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that tests copy instead of migrating their own."""
    path = tmp_path_factory.mktemp("template") / "miroir.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated, empty SQLite file of this test's own."""
    path = tmp_path / "miroir.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty database: SQLite file, then the real PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


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
