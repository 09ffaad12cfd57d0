"""Fixtures: the fake Slack Web API, the real app wired to it, two installed workspaces."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from adapters.db.store import SqlStore
from app import build_app
from pulse.core.clock import FixedClock
from settings import Settings
from testing.slack_api import FakeSlackWebApi
from testing.slack_harness import WORKSPACES, Wired, installation, populate, slack_settings


@pytest.fixture
def fake() -> Iterator[FakeSlackWebApi]:
    server = FakeSlackWebApi().start()
    yield server
    server.stop()


@pytest.fixture
async def wired(fake: FakeSlackWebApi, store: SqlStore, clock: FixedClock
                ) -> AsyncIterator[Wired]:
    populate(store, fake)
    settings = Settings(demo=True, database_url="sqlite://", migrate_on_start=False)
    app = build_app(settings, store=store, clock=clock, slack=slack_settings(fake.api_url))
    for team in WORKSPACES:
        await app.state.slack.gateway.installations.async_save(installation(team))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://miroir.test") as http:
        yield Wired(app, http, fake, store, clock)
    await asyncio.sleep(0.05)  # let post-ack tasks finish before the session closes
    await app.state.slack.gateway.close()
