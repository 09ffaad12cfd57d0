"""Fixtures: the fake Bot Connector, the real app wired to it with auth ON, a seeded tenant."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from botframework.connector.auth import JwtTokenExtractor
from fastapi import FastAPI

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from adapters.teams.auth import build_auth
from app import build_app
from pulse.core.clock import FixedClock
from settings import Settings
from testing.teams_connector import FakeBotConnector
from testing.teams_contracts import activity_errors, card_errors, conversation_errors
from testing.teams_harness import APP_ID, TENANT, StaticCredentialFactory, seed, teams_settings


@pytest.fixture
def fake() -> Iterator[FakeBotConnector]:
    server = FakeBotConnector().start()
    yield server
    server.stop()


@pytest.fixture
def schemas(shared_dir: Path) -> Path:
    return shared_dir / "schemas"


@dataclass
class Wired:
    app: FastAPI
    http: httpx.AsyncClient
    fake: FakeBotConnector
    store: SqlStore
    clock: FixedClock
    schemas: Path

    async def post(self, activity: dict[str, Any], token: str | None = "valid") -> httpx.Response:
        """An activity as the Teams channel posts it, with a valid channel token by default."""
        headers = {}
        if token == "valid":
            headers["Authorization"] = f"Bearer {self.fake.mint(APP_ID)}"
        elif token is not None:
            headers["Authorization"] = token
        return await self.http.post("/api/messages", json=activity, headers=headers)

    @property
    def teams(self) -> Any:
        return self.app.state.teams

    def card(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The valid Adaptive Card of a posted activity or an invoke response."""
        card = payload["attachments"][0]["content"] if "attachments" in payload else payload
        assert card_errors(self.schemas, card) == []
        return card


@asynccontextmanager
async def wire(fake: FakeBotConnector, store: SqlStore, clock: FixedClock,
               schemas: Path) -> AsyncIterator[Wired]:
    """The real app with auth ON against the fake; every payload sent is checked at the end."""
    seed(store, fake)
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


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("teams") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
async def lite(fake: FakeBotConnector, clock: FixedClock, schemas: Path, tmp_path: Path,
               migrated_sqlite: Path) -> AsyncIterator[Wired]:
    """Wired to a copy of a migrated SQLite file: for HTTP-level and error-mapping checks."""
    shutil.copy(migrated_sqlite, tmp_path / "miroir.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'miroir.db'}")
    async with wire(fake, SqlStore(engine), clock, schemas) as w:
        yield w
    engine.dispose()
