"""Composition root: Settings → adapters → services → FastAPI app. No logic here."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from adapters.api import health, irritants
from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from bot.ports import ChatGateway
from bot.runtime import Runtime
from pulse.clock import SystemClock
from pulse.ports import Clock, Store
from sentiment.loader import LazyClassifier
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
    runtime = Runtime(store=store, clock=clock or SystemClock(), gateways=dict(gateways or {}),
                      k_scores=settings.k_scores, k_comments=settings.k_comments)
    runtime.extras["classifier"] = LazyClassifier(
        settings.classifier_backend, settings.classifier_model,
        Path(settings.classifier_heads_dir) if settings.classifier_heads_dir else None,
        tenant_heads=store.active_head)
    return runtime


def build_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    gateways: dict[str, ChatGateway] | None = None,
) -> FastAPI:
    """The whole application: API, web chat, chat platforms, background ticker."""
    settings = settings or Settings()
    runtime = build_runtime(settings, store=store, clock=clock, gateways=gateways)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        runtime.extras["classifier"].load()  # says DEGRADED MODE now if the engine cannot run
        log.info("Miroir ready on %s", settings.url)
        yield

    app = FastAPI(title="Miroir", version="0.1.0", lifespan=lifespan,
                  description="Pulse, irritants, kudos and the EX↔CX barometer.")
    app.state.runtime = runtime
    app.state.settings = settings
    app.include_router(health.router)
    app.include_router(irritants.router)
    return app
