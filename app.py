"""Composition root: Settings → adapters → services → FastAPI app. No logic here."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from adapters.api import deliveries, events, health
from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from bot.ports import ChatGateway
from bot.runtime import Runtime
from pulse.clock import SystemClock
from pulse.ports import Clock, Store
from scheduler.ticker import delivery_extras, start_ticker
from settings import Settings

log = logging.getLogger("miroir")


def build_runtime(
    settings: Settings,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    gateways: dict[str, ChatGateway] | None = None,
) -> Runtime:
    """Wire the store, clock and gateways from settings; tests pass fakes instead."""
    if store is None:
        if settings.migrate_on_start:
            upgrade(settings.database_url)
        store = SqlStore(make_engine(settings.database_url))
    return Runtime(store=store, clock=clock or SystemClock(), gateways=dict(gateways or {}),
                   k_scores=settings.k_scores, k_comments=settings.k_comments)


def build_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    gateways: dict[str, ChatGateway] | None = None,
    ticker: bool | None = None,
) -> FastAPI:
    """The whole application: API, web chat, chat platforms, background ticker.

    The ticker runs when settings.scheduler_enabled, unless a test injected its own store
    (then pass ticker=True to run it anyway).
    """
    settings = settings or Settings()
    run_ticker = settings.scheduler_enabled and store is None if ticker is None else ticker
    runtime = build_runtime(settings, store=store, clock=clock, gateways=gateways)
    runtime.extras.update(delivery_extras(settings.delivery))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        log.info("Miroir ready on %s", settings.url)
        background = start_ticker(runtime, settings.delivery) if run_ticker else None
        yield
        if background is not None:
            background.shutdown(wait=False)

    app = FastAPI(title="Miroir", version="0.1.0", lifespan=lifespan,
                  description="Pulse, irritants, kudos and the EX↔CX barometer.")
    app.state.runtime = runtime
    app.state.settings = settings
    app.include_router(health.router)
    app.include_router(deliveries.router)
    app.include_router(events.router)
    return app
