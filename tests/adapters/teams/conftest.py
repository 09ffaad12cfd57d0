"""Fixtures: the fake Bot Connector, the real app wired to it with auth ON, a populated tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from botframework.connector.auth import JwtTokenExtractor

from adapters.db.engine import make_engine
from adapters.db.store import SqlStore
from adapters.teams.auth import build_auth
from app import build_app
from pulse.core.clock import FixedClock
from settings import Settings
from testing.teams_connector import FakeBotConnector
from testing.teams_contracts import activity_errors, conversation_errors
from testing.teams_harness import (
    APP_ID,
    TENANT,
    StaticCredentialFactory,
    Wired,
    populate,
    teams_settings,
)


@pytest.fixture
def fake() -> Iterator[FakeBotConnector]:
    server = FakeBotConnector().start()
    yield server
    server.stop()


@pytest.fixture
def schemas(shared_dir: Path) -> Path:
    return shared_dir / "schemas"


@asynccontextmanager
async def wire(fake: FakeBotConnector, store: SqlStore, clock: FixedClock,
               schemas: Path) -> AsyncIterator[Wired]:
    """The real app with auth ON against the fake; every payload sent is checked at the end."""
    populate(store, fake)
    JwtTokenExtractor.metadataCache.clear()  # class-level, keyed by the metadata URL
    settings = teams_settings(fake)
    auth = build_auth(settings, StaticCredentialFactory(APP_ID, "unused", TENANT))
    app = build_app(Settings(demo=True, database_url="sqlite://", migrate_on_start=False),
                    store=store, clock=clock, teams=settings, teams_auth=auth)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://miroir.test") as http:
        yield Wired(app, http, fake, store, clock, schemas)
    # Every activity and conversation Miroir sent the connector is valid per the schemas.
    for call in fake.calls:
        if not call.path.startswith("/v3/conversations") or call.body is None:
            continue
        if call.path == "/v3/conversations":
            assert conversation_errors(schemas, call.body) == [], call.body
        else:
            assert activity_errors(schemas, call.body) == [], call.body


@pytest.fixture
async def wired(fake: FakeBotConnector, store: SqlStore, clock: FixedClock,
                schemas: Path) -> AsyncIterator[Wired]:
    """Wired to SQLite and to PostgreSQL: for flows that store things."""
    async with wire(fake, store, clock, schemas) as w:
        yield w


@pytest.fixture
async def lite(fake: FakeBotConnector, clock: FixedClock, schemas: Path,
               sqlite_url: str) -> AsyncIterator[Wired]:
    """Wired to a migrated SQLite file only: for HTTP-level and error-mapping checks."""
    engine = make_engine(sqlite_url)
    async with wire(fake, SqlStore(engine), clock, schemas) as w:
        yield w
    engine.dispose()
