"""Fixtures: the fake Slack Web API, the real app wired to it, two installed workspaces."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from adapters.db.store import SqlStore
from app import build_app
from pulse.core.clock import FixedClock
from settings import Settings
from testing.slack_api import FakeSlack
from testing.slack_harness import WORKSPACES, form, installation, seed, slack_settings


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack().start()
    yield server
    server.stop()


@dataclass
class Wired:
    app: FastAPI
    http: httpx.AsyncClient
    fake: FakeSlack
    store: SqlStore
    clock: FixedClock

    async def post(self, fields: dict[str, Any], ts: int | None = None,
                   **headers: str) -> httpx.Response:
        """A signed form post to /slack/events (commands and interactions)."""
        raw, signed = form(fields, ts=ts)
        return await self.http.post("/slack/events", content=raw, headers={**signed, **headers})

    @property
    def slack(self) -> Any:
        return self.app.state.slack


@pytest.fixture
async def wired(fake: FakeSlack, store: SqlStore, clock: FixedClock) -> AsyncIterator[Wired]:
    seed(store, fake)
    settings = Settings(demo=True, database_url="sqlite://", migrate_on_start=False)
    app = build_app(settings, store=store, clock=clock, slack=slack_settings(fake.api_url))
    for team in WORKSPACES:
        await app.state.slack.gateway.installations.async_save(installation(team))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://miroir.test") as http:
        yield Wired(app, http, fake, store, clock)
    await asyncio.sleep(0.05)  # let post-ack tasks finish before the session closes
    await app.state.slack.gateway.close()
