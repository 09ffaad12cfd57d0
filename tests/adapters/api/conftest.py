"""Fixtures: the analytics API over httpx, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.db.store import SqlStore
from app import build_app
from pulse.core.apikeys import create_api_key
from pulse.core.clock import FixedClock
from settings import Settings
from testing import factories
from testing.analytics_api import NOW, Q_ENPS, Q_PAY, Q_TOOLS, Api


@pytest.fixture
async def api(db_url: str, store: SqlStore) -> AsyncIterator[Api]:
    """The app on `db_url`: tenant acme (Paris), three questions, an analytics:read key."""
    factories.tenant(store, "acme", "Acme", timezone="Europe/Paris")
    factories.questions(store, (Q_TOOLS, Q_PAY, Q_ENPS))
    _, token = create_api_key(store, "acme", "cx lead", ["analytics:read"])
    app = build_app(Settings(demo=True, database_url=db_url, migrate_on_start=False),
                    clock=FixedClock(NOW))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://miroir.test") as client:
        yield Api(client, store, token)
